"""Passports and benchmarks of one assessment, as their readers may see them.

A submitted assessment's passport is built from the ScoreCards frozen at submit (so it never
changes when a framework file is edited later); a draft's passport is computed live from its
answers (level "concept" while required questions are open). A passport of a sector profile
with several frameworks combines this assessment's ScoreCard with the submitted ScoreCards of
the same organisation, profile and year. The benchmark compares a submitted assessment with its peer
group (S9) read from the score snapshots.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from app.services import catalogue, scoring_bridge
from app.services.errors import AccessDenied
from app.services.principal import DENIED, Principal, can_read_passport
from app.services.submission import build_passport, table_row
from app.services.values import decode_value
from app.store.db import Store
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow, ScoreSnapshotRow
from frameworks.models import size_class
from scoring.models import Benchmark, Passport, ScoreCard


@dataclass(frozen=True)
class PassportView:
    """A passport with the assessment it belongs to."""

    assessment_id: int
    organisation_id: int
    framework: str
    year: int
    status: str
    passport: Passport
    scorecard: ScoreCard


def _readable_named(
    session: Session, principal: Principal, assessment_id: int
) -> tuple[AssessmentRow, OrganisationRow]:
    """The assessment and organisation if the principal may see this organisation by name
    (a federation: only consenting members; others only inside aggregates, S10)."""
    found = session.execute(
        select(AssessmentRow, OrganisationRow)
        .join(OrganisationRow, AssessmentRow.organisation_id == OrganisationRow.id)
        .where(AssessmentRow.id == assessment_id)
    ).first()
    if found is None:
        raise AccessDenied(DENIED)
    row, organisation = found
    if not can_read_passport(principal, organisation.id, row.profile, organisation.consent_named):
        raise AccessDenied(DENIED)
    return row, organisation


def get_passport(store: Store, principal: Principal, assessment_id: int) -> PassportView:
    """The passport of an assessment: the frozen snapshot once submitted, live for a draft.

    SME: own organisation; federation: consenting members of its sectors; department/admin: all.
    """
    with store.read() as session:
        row, organisation = _readable_named(session, principal, assessment_id)
        snapshot = session.scalar(
            select(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id == row.id)
        )
        if snapshot is not None:
            # Frozen card; the passport combines it with the profile's other frozen cards.
            card = ScoreCard.model_validate_json(snapshot.scorecard_json)
            passport = build_passport(store, session, row, organisation, card, row.status)
            return PassportView(
                assessment_id=row.id,
                organisation_id=row.organisation_id,
                framework=row.framework,
                year=row.year,
                status=row.status,
                passport=passport,
                scorecard=card,
            )
        answers = {
            q: decode_value(v, na)
            for q, v, na in session.execute(
                select(AnswerRow.question_id, AnswerRow.value, AnswerRow.na).where(
                    AnswerRow.assessment_id == row.id
                )
            )
        }
        answers = {q: v for q, v in answers.items() if v is not None}
        base = catalogue.framework(store.catalogue, row.framework)
        profile = catalogue.profile(store.catalogue, row.profile)
        card = scoring_bridge.scorecard(base, profile, answers, organisation.fte)
        passport = build_passport(store, session, row, organisation, card, row.status)
        return PassportView(
            assessment_id=row.id,
            organisation_id=row.organisation_id,
            framework=row.framework,
            year=row.year,
            status=row.status,
            passport=passport,
            scorecard=card,
        )


def get_benchmark(store: Store, principal: Principal, assessment_id: int) -> Benchmark:
    """The position of an assessment in its peer group (S9), as
    ``disclosure.benchmark_position`` releases it (a draft: quartile band only)."""
    from app.services.disclosure import benchmark_position  # noqa: PLC0415

    return benchmark_position(store, principal, assessment_id)


def unless_figures(column: Any) -> Any:
    """Load option for the statistics readers: ``column`` (a snapshot's score card or passport
    JSON, tens of kB each) only for a snapshot without frozen ``figures_json`` (one from before
    migration 0007), NULL otherwise. The frozen figures (a few kB) are what the sector and
    peer tables read, so a refresh over a sector of 2,000 members reads them and not every
    passport: ``CASE WHEN figures_json IS NULL THEN column END``, under the column's name."""
    return case((ScoreSnapshotRow.figures_json.is_(None), column), else_=None).label(column.key)


def _snapshot_row(s, profile: str, year: int, *, names: bool) -> dict:
    """A snapshot's scores-table row: ``table_row`` as frozen (``figures_json``) with the
    identity and consent of now, or ``table_row`` of the parsed card for older snapshots."""
    name = s.name if names and s.consent_named else None
    if s.figures_json:
        row = json.loads(s.figures_json)["peers"]
        row.update(
            assessment=s.assessment_id,
            profile=profile,
            year=year,
            framework_version=s.framework_version,
            size_class=size_class(s.fte),
            status="submitted",
            organisation=name,
            consent=bool(s.consent_named),
        )
        return row
    return table_row(
        assessment_id=s.assessment_id,
        profile=profile,
        year=year,
        framework_version=s.framework_version,
        fte=s.fte,
        status="submitted",
        name=name,
        consent=bool(s.consent_named),
        scorecard=json.loads(s.scorecard_json),
        passport=json.loads(s.passport_json) if s.passport_json else None,
    )


def scores_table(
    session: Session, profile: str | None, year: int, framework: str, *, names: bool
) -> pd.DataFrame:
    """The scores table ``scoring.benchmark`` reads: one row per submitted assessment of the
    profile, year and framework (overall, section:, topic:, kpi: columns), plus one row per
    draft (status "draft", no scores) so participation counts are right. Organisation names
    are filled in only with ``names`` and only for members who consented (S10)."""
    snapshots = session.execute(
        select(
            ScoreSnapshotRow.assessment_id,
            ScoreSnapshotRow.framework_version,
            ScoreSnapshotRow.fte,
            unless_figures(ScoreSnapshotRow.scorecard_json),
            unless_figures(ScoreSnapshotRow.passport_json),
            ScoreSnapshotRow.figures_json,
            OrganisationRow.name,
            OrganisationRow.consent_named,
        )
        .join(AssessmentRow, AssessmentRow.id == ScoreSnapshotRow.assessment_id)
        .join(OrganisationRow, OrganisationRow.id == ScoreSnapshotRow.organisation_id)
        .where(
            _same_profile(ScoreSnapshotRow.profile, profile),
            ScoreSnapshotRow.year == year,
            ScoreSnapshotRow.framework == framework,
            AssessmentRow.status == "submitted",
        )
        .order_by(ScoreSnapshotRow.assessment_id)
    ).all()
    rows = [_snapshot_row(s, profile or framework, year, names=names) for s in snapshots]
    drafts = session.execute(
        select(AssessmentRow.id, AssessmentRow.framework_version, OrganisationRow.fte)
        .join(OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id)
        .where(
            _same_profile(AssessmentRow.profile, profile),
            AssessmentRow.year == year,
            AssessmentRow.framework == framework,
            AssessmentRow.status == "draft",
        )
    ).all()
    for d in drafts:
        rows.append(
            {
                "assessment": d.id,
                "profile": profile or framework,
                "year": year,
                "framework_version": d.framework_version,
                "size_class": size_class(d.fte),
                "status": "draft",
                "organisation": None,
                "consent": False,
                "overall": None,
            }
        )
    columns = [
        "assessment",
        "profile",
        "year",
        "framework_version",
        "size_class",
        "status",
        "organisation",
        "consent",
        "overall",
    ]
    table = pd.DataFrame(rows) if rows else pd.DataFrame(columns=columns)
    return table


def _same_profile(column, profile: str | None):
    return column == profile if profile is not None else column.is_(None)
