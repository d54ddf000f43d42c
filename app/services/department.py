"""What the department sees: an overview across sectors and the submitted passports and
anonymised data of a year, for the batch exports. Read-only; department and admin only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.services.principal import ADMIN, DEPARTMENT, Principal, require_role
from app.services.submission import stored_passport
from app.store.db import Store
from app.store.models import AssessmentRow, OrganisationRow, ScoreSnapshotRow
from scoring.models import Organisation, Passport, ScoreCard


@dataclass(frozen=True)
class SectorLine:
    profile: str | None
    year: int
    started: int
    submitted: int
    mean_overall: float | None


@dataclass(frozen=True)
class SubmittedPassport:
    """One submitted passport with its organisation (for PDFs and the manifest)."""

    assessment_id: int
    organisation: Organisation
    profile: str | None
    framework: str
    year: int
    overall: float | None
    level: str | None
    passport: Passport | None
    scorecard: ScoreCard


def disclosure_frameworks(store: Store) -> list[str]:
    """Frameworks that are disclosures, never scored (VSME): they are no passport, so neither
    the overview nor the passports of a year count them (their figures leave through
    ``disclosure.vsme_statistics`` and ``app.services.vsme``)."""
    return sorted(f.id for f in store.catalogue.frameworks.values() if not f.scored)


def overview(store: Store, principal: Principal, year: int | None = None) -> list[SectorLine]:
    """Per sector profile and year: assessments started, submitted and their mean overall."""
    require_role(principal, DEPARTMENT, ADMIN)
    query = (
        select(
            AssessmentRow.profile,
            AssessmentRow.year,
            func.count(AssessmentRow.id),
            func.count(ScoreSnapshotRow.id),
            func.avg(ScoreSnapshotRow.overall),
        )
        .outerjoin(ScoreSnapshotRow, ScoreSnapshotRow.assessment_id == AssessmentRow.id)
        .where(AssessmentRow.framework.not_in(disclosure_frameworks(store)))
        .group_by(AssessmentRow.profile, AssessmentRow.year)
        .order_by(AssessmentRow.year.desc(), AssessmentRow.profile)
    )
    if year is not None:
        query = query.where(AssessmentRow.year == year)
    with store.read() as session:
        return [
            SectorLine(p, y, started, submitted, float(mean) if mean is not None else None)
            for p, y, started, submitted, mean in session.execute(query)
        ]


def level_counts(
    store: Store, principal: Principal, year: int
) -> dict[tuple[str | None, str], int]:
    """Per sector profile and level the number of submitted snapshots of ``year`` (a level
    of None counts as "concept"): one GROUP BY, no passport parsed."""
    require_role(principal, DEPARTMENT, ADMIN)
    query = (
        select(ScoreSnapshotRow.profile, ScoreSnapshotRow.level, func.count())
        .join(AssessmentRow, AssessmentRow.id == ScoreSnapshotRow.assessment_id)
        .where(ScoreSnapshotRow.year == year, AssessmentRow.status == "submitted")
        .where(ScoreSnapshotRow.framework.not_in(disclosure_frameworks(store)))
        .group_by(ScoreSnapshotRow.profile, ScoreSnapshotRow.level)
    )
    counts: dict[tuple[str | None, str], int] = {}
    with store.read() as session:
        for profile, level, n in session.execute(query):
            key = (profile, level or "concept")
            counts[key] = counts.get(key, 0) + n
    return counts


def submitted_passports(
    store: Store,
    principal: Principal,
    year: int,
    profiles: list[str] | None = None,
) -> list[SubmittedPassport]:
    """Every submitted passport of ``year`` (optionally only these sector profiles), ordered
    by profile and KBO number."""
    require_role(principal, DEPARTMENT, ADMIN)
    query = (
        select(ScoreSnapshotRow, OrganisationRow)
        .join(OrganisationRow, OrganisationRow.id == ScoreSnapshotRow.organisation_id)
        .join(AssessmentRow, AssessmentRow.id == ScoreSnapshotRow.assessment_id)
        .where(ScoreSnapshotRow.year == year, AssessmentRow.status == "submitted")
        .where(ScoreSnapshotRow.framework.not_in(disclosure_frameworks(store)))
        .order_by(ScoreSnapshotRow.profile, OrganisationRow.kbo, ScoreSnapshotRow.framework)
    )
    if profiles:
        query = query.where(ScoreSnapshotRow.profile.in_(profiles))
    with store.read() as session:
        rows = session.execute(query).all()
    return [
        SubmittedPassport(
            assessment_id=snap.assessment_id,
            organisation=Organisation(
                name=org.name,
                kbo=org.kbo,
                fte=org.fte,
                municipality=org.municipality,
                nace=org.nace,
            ),
            profile=snap.profile,
            framework=snap.framework,
            year=snap.year,
            overall=snap.overall,
            level=snap.level,
            passport=stored_passport(snap.passport_json, scorecard, snap.framework)
            if snap.passport_json
            else None,
            scorecard=scorecard,
        )
        for snap, org in rows
        for scorecard in (ScoreCard.model_validate_json(snap.scorecard_json),)
    ]


def anonymised_rows(
    store: Store, principal: Principal, year: int, profiles: list[str] | None = None
) -> list[dict[str, Any]]:
    """One anonymised row per submitted assessment (``disclosure.anonymised_rows``: keyed
    pseudonym, NACE division, size class, scores; no name, KBO, FTE or answers)."""
    from app.services.disclosure import anonymised_rows as released  # noqa: PLC0415

    return released(store, principal, year, profiles)
