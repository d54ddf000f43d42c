"""Claims on an organisation that already holds data: who may join it, and who decides.

A KBO number is not a secret: anybody can type a competitor's. So a new SME account that
registers a KBO number a federation imported answers for (an organisation without an SME
account of its own) is *not* linked to that organisation; it gets a pending claim and sees
none of the organisation's data (its principal has no organisation) until the claim is
approved. A KBO number whose organisation has its own account (a colleague registered it) is
refused before anything is created (``refuse_own_account``): that colleague or the admin
adds the newcomer (issue 11).

Who approves (``decide_claim``):

- an admin, every claim;
- a federation user, a claim on an organisation of its own sector that has no SME account of
  its own yet (its data came from the federation's import, so the federation knows it). Where
  the organisation has an account of its own by now (an earlier claim on it was approved, or
  a claim recorded before issue 11), only an admin decides: a federation must not let a
  stranger into a member's account, and S10 keeps a non-consenting member's name and KBO
  from the federation.

Approving links the claimant to the organisation (effective at its next click: sessions read
the user afresh); rejecting leaves it without one. Both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from app.kbo import display
from app.services import audit
from app.services.errors import AccessDenied, ConflictError, InvalidInput, NotFound
from app.services.messages import message
from app.services.principal import ADMIN, FEDERATION, SME, Principal, require_role
from app.store.db import Store
from app.store.models import OrganisationClaimRow, OrganisationRow, UserRow, utcnow

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


@dataclass(frozen=True)
class ClaimView:
    """A claim as its claimant or an approver sees it."""

    id: int
    organisation_id: int
    kbo: str
    organisation_name: str
    profile: str | None
    claimant_email: str
    status: str
    created_at: datetime
    #: Whether the organisation already has an SME account of its own (admin decides then).
    has_own_account: bool


def _own_account(organisation_id):  # noqa: ANN202 - an SQL EXISTS clause
    """Whether the organisation ``organisation_id`` (a column or a value) has an SME account
    of its own: the one definition ``refuse_own_account`` and ``ClaimView`` share."""
    member = aliased(UserRow)
    return exists().where(member.organisation_id == organisation_id, member.role == SME)


def refuse_own_account(session, organisation: OrganisationRow) -> None:
    """Refuse a registration for ``organisation`` where it has an SME account of its own (a
    colleague registered it): nothing is claimed; the colleague or the admin gives access.
    An organisation known only from an import can be claimed (``claim_organisation``)."""
    if session.scalar(select(_own_account(organisation.id))):
        raise InvalidInput(
            message("kbo-registered-by-a-colleague", number=display(organisation.kbo)),
            field="kbo",
        )


def claim_organisation(session, principal: Principal, organisation: OrganisationRow) -> int:
    """Record a pending claim of ``principal`` (an SME user without organisation) on an
    existing ``organisation`` without an account of its own (``refuse_own_account``), inside
    the caller's transaction; the claim's id."""
    if principal.role != SME or principal.user_id is None or principal.organisation_id:
        raise AccessDenied(message("only-a-new-sme-account"))
    refuse_own_account(session, organisation)
    existing = session.scalar(
        select(OrganisationClaimRow).where(
            OrganisationClaimRow.organisation_id == organisation.id,
            OrganisationClaimRow.user_id == principal.user_id,
        )
    )
    if existing is not None:
        return existing.id
    row = OrganisationClaimRow(
        organisation_id=organisation.id, user_id=principal.user_id, status=PENDING
    )
    session.add(row)
    session.flush()
    audit.record(
        session, principal, "claim", "organisation", organisation.id, new={"claim": row.id}
    )
    return row.id


def my_claims(store: Store, principal: Principal) -> list[ClaimView]:
    """The principal's own claims (the start page says which one is waiting)."""
    if principal.user_id is None:
        return []
    with store.read() as session:
        return _views(session, OrganisationClaimRow.user_id == principal.user_id)


def pending_claims(store: Store, principal: Principal) -> list[ClaimView]:
    """The claims this principal may decide: all for an admin; for a federation, those on
    organisations of its sectors without an own SME account."""
    require_role(principal, ADMIN, FEDERATION)
    with store.read() as session:
        views = _views(session, OrganisationClaimRow.status == PENDING)
    return [view for view in views if _may_decide(principal, view)]


def decide_claim(store: Store, principal: Principal, claim_id: int, approve: bool) -> ClaimView:
    """Approve (link the claimant to the organisation) or reject a pending claim."""
    require_role(principal, ADMIN, FEDERATION)
    with store.write() as session:
        [view] = _views(session, OrganisationClaimRow.id == claim_id) or [None]
        if view is None or not _may_decide(principal, view):
            if principal.reads_everything:
                raise NotFound(message("no-claim", claim_id=claim_id))
            raise AccessDenied(message("access-denied"))
        if view.status != PENDING:
            raise ConflictError(
                message("claim-was-already-decided", claim_id=claim_id, status=view.status)
            )
        row = session.get(OrganisationClaimRow, claim_id)
        status = APPROVED if approve else REJECTED
        if approve:
            user = session.get(UserRow, row.user_id)
            if user is None or not user.active or user.organisation_id is not None:
                raise ConflictError(message("the-claimant-is-no-longer"))
            user.organisation_id = row.organisation_id
        row.status = status
        row.decided_at = utcnow()
        row.decided_by = principal.user_id
        audit.record(
            session,
            principal,
            status,
            "organisation_claim",
            claim_id,
            field="status",
            old=PENDING,
            new=status,
        )
    return replace(view, status=status)


def _may_decide(principal: Principal, view: ClaimView) -> bool:
    if principal.reads_everything:
        return True
    return (
        principal.role == FEDERATION
        and view.profile is not None
        and view.profile in principal.sectors
        and not view.has_own_account
    )


def _views(session, condition) -> list[ClaimView]:
    own_account = _own_account(OrganisationRow.id).correlate(OrganisationRow)
    rows = session.execute(
        select(OrganisationClaimRow, OrganisationRow, UserRow.email, own_account.label("own"))
        .join(OrganisationRow, OrganisationClaimRow.organisation_id == OrganisationRow.id)
        .join(UserRow, OrganisationClaimRow.user_id == UserRow.id)
        .where(condition)
        .order_by(OrganisationClaimRow.created_at, OrganisationClaimRow.id)
    ).all()
    return [
        ClaimView(
            id=claim.id,
            organisation_id=organisation.id,
            kbo=organisation.kbo,
            organisation_name=organisation.name,
            profile=organisation.profile,
            claimant_email=email,
            status=claim.status,
            created_at=claim.created_at,
            has_own_account=bool(own),
        )
        for claim, organisation, email, own in rows
    ]
