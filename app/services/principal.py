"""Who is asking: the ``Principal`` every service takes, and the access rules in one place.

- an SME user reaches only its own organisation (and its assessments);
- raw assessment data (answers, notes, history and audit with users' e-mails, evidence) is
  readable only by the organisation's own SME users and the department/admin
  (``can_read_raw``);
- a federation user reaches only organisations of its sector profiles, sees names only of
  members who consented (S10), reads a passport only of a consenting member and only of an
  assessment made under one of its profiles (never a Start-to-MVO scan without a profile,
  ``can_read_passport``), and everything else only through ``app.services.disclosure``;
- the department reaches everything, read-only (the one write it has is ``reopen``);
- an admin manages users and reads like the department.

The rules are checked in the services, never only by hiding buttons.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from app.services.errors import AccessDenied
from app.services.messages import message

SME, FEDERATION, DEPARTMENT, ADMIN = "sme", "federation", "department", "admin"
ROLES = (SME, FEDERATION, DEPARTMENT, ADMIN)

DENIED = message("access-denied")


@dataclass(frozen=True)
class Principal:
    """A signed-in user (or the command line's system principal)."""

    user_id: int | None
    email: str
    role: str
    organisation_id: int | None = None
    sectors: frozenset[str] = field(default_factory=frozenset)
    #: The CLI and demo seeding act as the system: full rights, audited as "system".
    system: bool = False

    @classmethod
    def from_row(cls, row: object) -> Principal:
        return cls(
            user_id=row.id,  # type: ignore[attr-defined]
            email=row.email,  # type: ignore[attr-defined]
            role=row.role,  # type: ignore[attr-defined]
            organisation_id=row.organisation_id,  # type: ignore[attr-defined]
            sectors=frozenset(json.loads(row.sectors or "[]")),  # type: ignore[attr-defined]
        )

    @property
    def reads_everything(self) -> bool:
        return self.system or self.role in (DEPARTMENT, ADMIN)


SYSTEM = Principal(user_id=None, email="system", role=ADMIN, system=True)


def can_read_organisation(principal: Principal, organisation_id: int, profile: str | None) -> bool:
    """Whether the principal may see this organisation's data at all."""
    if principal.reads_everything:
        return True
    if principal.role == SME:
        return principal.organisation_id == organisation_id
    if principal.role == FEDERATION:
        return profile is not None and profile in principal.sectors
    return False


def can_see_name(
    principal: Principal, organisation_id: int, profile: str | None, consent_named: bool
) -> bool:
    """S10: a federation sees a member by name only where the member consented."""
    if not can_read_organisation(principal, organisation_id, profile):
        return False
    if principal.role == FEDERATION and not principal.system:
        return consent_named
    return True


def can_read_raw(principal: Principal, organisation_id: int) -> bool:
    """Answers, notes, history (with users' e-mails) and evidence: the organisation's own SME
    users and the department/admin only; never a federation (S10)."""
    if principal.reads_everything:
        return True
    return principal.role == SME and principal.organisation_id == organisation_id


def require_raw_read(principal: Principal, organisation_id: int) -> None:
    if not can_read_raw(principal, organisation_id):
        raise AccessDenied(DENIED)


def can_read_passport(
    principal: Principal, organisation_id: int, assessment_profile: str | None, consent: bool
) -> bool:
    """A passport: own SME users and department/admin; a federation only of a consenting
    member and an assessment made under one of its sector profiles (a Start-to-MVO scan
    without a profile never, S10)."""
    if can_read_raw(principal, organisation_id):
        return True
    if principal.role == FEDERATION:
        return (
            assessment_profile is not None and assessment_profile in principal.sectors and consent
        )
    return False


def require_read(principal: Principal, organisation_id: int, profile: str | None) -> None:
    if not can_read_organisation(principal, organisation_id, profile):
        raise AccessDenied(DENIED)


def require_answer_write(principal: Principal, organisation_id: int) -> None:
    """Only the organisation's own SME users (and the system) fill in answers."""
    if principal.system:
        return
    if principal.role == SME and principal.organisation_id == organisation_id:
        return
    raise AccessDenied(message("only-the-organisation-itself-can"))


def require_role(principal: Principal, *roles: str) -> None:
    if principal.system or principal.role in roles:
        return
    raise AccessDenied(DENIED)
