"""Passports and benchmarks of one assessment, as their readers may see them.

A submitted assessment's passport is built from the ScoreCards frozen at submit (so it never
changes when a framework file is edited later); a draft's passport is computed live from its
answers (level "concept" while required questions are open). A passport of a sector profile
with several frameworks combines this assessment's ScoreCard with the submitted ScoreCards of
the same organisation, profile and year. The benchmark compares a submitted assessment with its peer
group (S9) read from the score snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import catalogue, scoring_bridge
from app.services.errors import AccessDenied
from app.services.principal import DENIED, Principal, can_see_name
from app.store.db import Store
from app.store.models import AssessmentRow, OrganisationRow, ScoreSnapshotRow
from scoring.models import Benchmark, Organisation, Passport, ScoreCard


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


def _organisation(row: OrganisationRow) -> Organisation:
    return Organisation(
        name=row.name, kbo=row.kbo, fte=row.fte, municipality=row.municipality, nace=row.nace
    )


def build_passport(
    store: Store,
    session: Session,
    row: AssessmentRow,
    organisation: OrganisationRow,
    card: ScoreCard,
    status: str,
) -> Passport:
    """The passport of ``row`` with ``card`` as its ScoreCard, combined with the submitted
    ScoreCards of the profile's other frameworks (same organisation and year) and compared
    with last year's passport."""
    profile = catalogue.profile(store.catalogue, row.profile)
    cards: dict[str, ScoreCard] = {row.framework: card}
    if profile is not None:
        included = [f.id for f in profile.frameworks if f.id != row.framework]
        if included:
            others = session.scalars(
                select(ScoreSnapshotRow).where(
                    ScoreSnapshotRow.organisation_id == row.organisation_id,
                    ScoreSnapshotRow.profile == row.profile,
                    ScoreSnapshotRow.year == row.year,
                    ScoreSnapshotRow.framework.in_(included),
                )
            )
            for other in others:
                cards[other.framework] = ScoreCard.model_validate_json(other.scorecard_json)
    previous_json = session.scalar(
        select(ScoreSnapshotRow.passport_json)
        .where(
            ScoreSnapshotRow.organisation_id == row.organisation_id,
            ScoreSnapshotRow.framework == row.framework,
            ScoreSnapshotRow.profile == row.profile
            if row.profile is not None
            else ScoreSnapshotRow.profile.is_(None),
            ScoreSnapshotRow.year < row.year,
            ScoreSnapshotRow.passport_json.is_not(None),
        )
        .order_by(ScoreSnapshotRow.year.desc())
        .limit(1)
    )
    previous = Passport.model_validate_json(previous_json) if previous_json else None
    return scoring_bridge.passport(
        cards,
        profile,
        organisation=_organisation(organisation),
        year=row.year,
        status=status,
        previous=previous,
    )


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
    if not can_see_name(
        principal, organisation.id, row.profile or organisation.profile, organisation.consent_named
    ):
        raise AccessDenied(DENIED)
    return row, organisation


def get_passport(store: Store, principal: Principal, assessment_id: int) -> PassportView:
    """The passport of an assessment: the frozen snapshot once submitted, live for a draft.

    SME: own organisation; federation: consenting members of its sectors; department/admin: all.
    """
    from app.services.assessments import decode_value
    from app.store.models import AnswerRow

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
        card = scoring_bridge.scorecard(base, profile, answers)
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
    """The position of an assessment in its peer group (S9): same profile, year, framework
    version and size class, widened to the sector below k, nothing below k in the sector.

    The member's own card is its snapshot once submitted, else its live ScoreCard. Readers as
    for ``get_passport``.
    """
    view = get_passport(store, principal, assessment_id)
    with store.read() as session:
        row = session.get(AssessmentRow, assessment_id)
        organisation = session.get(OrganisationRow, row.organisation_id)
        peers = peer_snapshots(session, row.profile, row.year, row.framework)
    profile = catalogue.profile(store.catalogue, row.profile)
    return scoring_bridge.benchmark(
        view.scorecard,
        peers,
        profile=profile,
        profile_id=row.profile or row.framework,
        year=row.year,
        fte=organisation.fte,
        passport=view.passport,
    )


@dataclass(frozen=True)
class PeerSnapshot:
    """One submitted assessment of a peer group, as benchmarks need it."""

    assessment_id: int
    organisation_id: int
    framework_version: str
    fte: float | None
    size_class: str | None
    overall: float | None
    level: str | None
    scorecard_json: str
    passport_json: str | None

    def scorecard(self) -> ScoreCard:
        return ScoreCard.model_validate_json(self.scorecard_json)

    def passport(self) -> Passport | None:
        return Passport.model_validate_json(self.passport_json) if self.passport_json else None


def peer_snapshots(
    session: Session, profile: str | None, year: int, framework: str
) -> list[PeerSnapshot]:
    """The snapshots of every submitted assessment of ``profile``, ``year`` and ``framework``
    (all versions and size classes: the benchmark narrows them per S9)."""
    rows = session.execute(
        select(
            ScoreSnapshotRow.assessment_id,
            ScoreSnapshotRow.organisation_id,
            ScoreSnapshotRow.framework_version,
            ScoreSnapshotRow.fte,
            ScoreSnapshotRow.size_class,
            ScoreSnapshotRow.overall,
            ScoreSnapshotRow.level,
            ScoreSnapshotRow.scorecard_json,
            ScoreSnapshotRow.passport_json,
        )
        .join(AssessmentRow, AssessmentRow.id == ScoreSnapshotRow.assessment_id)
        .where(
            ScoreSnapshotRow.profile == profile
            if profile is not None
            else ScoreSnapshotRow.profile.is_(None),
            ScoreSnapshotRow.year == year,
            ScoreSnapshotRow.framework == framework,
            AssessmentRow.status == "submitted",
        )
        .order_by(ScoreSnapshotRow.assessment_id)
    ).all()
    return [PeerSnapshot(*r) for r in rows]
