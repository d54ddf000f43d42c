"""Which sectors a federation reaches, and their participation counts and years.

A federation user reaches only the sector profiles listed on its account; the department and
admins may call these for any profile. Figures and member rows of a sector leave only through
``app.services.disclosure`` (S9, S10).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.services.errors import AccessDenied
from app.services.principal import DENIED, FEDERATION, Principal
from app.store.db import Store
from app.store.models import AssessmentRow, OrganisationRow


def require_sector(principal: Principal, profile: str) -> None:
    """A federation reaches only its own sector profiles; department and admin reach all."""
    if principal.reads_everything:
        return
    if principal.role == FEDERATION and profile in principal.sectors:
        return
    raise AccessDenied(DENIED)


@dataclass(frozen=True)
class Participation:
    profile: str
    year: int
    organisations: int
    started: int
    #: None where the count is withheld (fewer than k, S9; ``disclosure.sector_release``).
    submitted: int | None


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
