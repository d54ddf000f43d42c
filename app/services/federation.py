"""What a sector federation sees of its sector: participation, its members (by name only where
they consented, S10) and the submitted score snapshots benchmarks are computed from.

A federation user reaches only the sector profiles listed on its account; the department and
admins may call these for any profile.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.services.errors import AccessDenied
from app.services.passports import PeerSnapshot, peer_snapshots
from app.services.principal import DENIED, FEDERATION, Principal, can_see_name
from app.store.db import Store
from app.store.models import AssessmentRow, OrganisationRow, ScoreSnapshotRow
from frameworks.models import size_class as size_class_of


def require_sector(principal: Principal, profile: str) -> None:
    """A federation reaches only its own sector profiles; department and admin reach all."""
    if principal.reads_everything:
        return
    if principal.role == FEDERATION and profile in principal.sectors:
        return
    raise AccessDenied(DENIED)


@dataclass(frozen=True)
class MemberLine:
    """One organisation of the sector in a year. ``name`` and ``kbo`` are None unless the
    organisation consented to be named to its federation."""

    organisation_id: int
    name: str | None
    kbo: str | None
    named: bool
    size_class: str | None
    assessment_id: int | None
    framework: str | None
    status: str | None
    overall: float | None
    level: str | None


@dataclass(frozen=True)
class Participation:
    profile: str
    year: int
    organisations: int
    started: int
    submitted: int


def sectors_of(principal: Principal, store: Store) -> list[str]:
    """The sector profiles the principal may look at."""
    if principal.reads_everything:
        return sorted(store.catalogue.profiles)
    if principal.role == FEDERATION:
        return sorted(principal.sectors)
    return []


def participation(store: Store, principal: Principal, profile: str, year: int) -> Participation:
    """How many organisations of the sector started and submitted an assessment in ``year``."""
    require_sector(principal, profile)
    with store.read() as session:
        organisations = session.scalar(
            select(func.count())
            .select_from(OrganisationRow)
            .where(OrganisationRow.profile == profile)
        )
        counts = dict(
            session.execute(
                select(
                    AssessmentRow.status, func.count(func.distinct(AssessmentRow.organisation_id))
                )
                .where(AssessmentRow.profile == profile, AssessmentRow.year == year)
                .group_by(AssessmentRow.status)
            ).all()
        )
    submitted = counts.get("submitted", 0)
    return Participation(
        profile=profile,
        year=year,
        organisations=organisations or 0,
        started=submitted + counts.get("draft", 0),
        submitted=submitted,
    )


def members(
    store: Store,
    principal: Principal,
    profile: str,
    year: int,
    *,
    size_class: str | None = None,
) -> list[MemberLine]:
    """Every organisation of the sector with its assessment(s) of ``year`` (one line per
    assessment; organisations without one get a line with ``status`` None). Names only of
    consenting members; the list is ordered so that hidden members cannot be found back by
    their position (named first by name, then the others by score)."""
    require_sector(principal, profile)
    with store.read() as session:
        rows = session.execute(
            select(
                OrganisationRow,
                AssessmentRow.id,
                AssessmentRow.framework,
                AssessmentRow.status,
                ScoreSnapshotRow.overall,
                ScoreSnapshotRow.level,
            )
            .outerjoin(
                AssessmentRow,
                (AssessmentRow.organisation_id == OrganisationRow.id)
                & (AssessmentRow.year == year)
                & (AssessmentRow.profile == profile),
            )
            .outerjoin(ScoreSnapshotRow, ScoreSnapshotRow.assessment_id == AssessmentRow.id)
            .where(OrganisationRow.profile == profile)
        ).all()
    lines = []
    for organisation, assessment_id, framework, status, overall, level in rows:
        klass = size_class_of(organisation.fte)
        if size_class is not None and klass != size_class:
            continue
        named = can_see_name(principal, organisation.id, profile, organisation.consent_named)
        lines.append(
            MemberLine(
                organisation_id=organisation.id,
                name=organisation.name if named else None,
                kbo=organisation.kbo if named else None,
                named=named,
                size_class=klass,
                assessment_id=assessment_id,
                framework=framework,
                status=status,
                overall=overall,
                level=level,
            )
        )
    lines.sort(
        key=lambda m: (
            not m.named,
            (m.name or "").lower(),
            -(m.overall if m.overall is not None else -1.0),
            m.organisation_id if m.named else 0,
        )
    )
    return lines


def sector_snapshots(
    store: Store, principal: Principal, profile: str, year: int, framework: str
) -> list[PeerSnapshot]:
    """The submitted score snapshots of the sector for one framework and year (for the
    federation's distributions and benchmark report; they carry no names)."""
    require_sector(principal, profile)
    with store.read() as session:
        return peer_snapshots(session, profile, year, framework)


def years(store: Store, principal: Principal, profile: str) -> list[int]:
    """The years with assessments in the sector, newest first."""
    require_sector(principal, profile)
    with store.read() as session:
        return list(
            session.scalars(
                select(AssessmentRow.year)
                .where(AssessmentRow.profile == profile)
                .distinct()
                .order_by(AssessmentRow.year.desc())
            )
        )


def sector_view(
    store: Store,
    principal: Principal,
    profile: str,
    year: int,
    *,
    framework: str | None = None,
    size_class: str | None = None,
):
    """``scoring.benchmark.FederationView`` of the sector, year and framework (default: the
    profile's first framework): participation, distributions (S9: nothing below k) and the
    consenting members by name (S10); others only inside the aggregates."""
    from app.services import catalogue
    from app.services.passports import scores_table
    from scoring import benchmark

    require_sector(principal, profile)
    profile_model = catalogue.profile(store.catalogue, profile)
    framework = framework or profile_model.frameworks[0].id
    with store.read() as session:
        table = scores_table(session, profile, year, framework, names=True)
    return benchmark.federation_view(
        table, profile=profile, year=year, k=profile_model.k, size_class=size_class
    )
