"""Freezing a submission: the one place where a score snapshot is built.

``freeze`` scores the answers *stored* for each assessment (read in the caller's transaction,
so nothing can slip in between the check and the snapshot), builds the ScoreCard and the
passport, writes the ``score_snapshots`` row and marks the assessment submitted. The cards of a
batch are scored together (``scoring.batch.score_cards``: one check of every answer by the
vectorised scorer, then the engine's cards, the same as ``scoring.score`` one by one). ``submit``
(one assessment), the import (many) and the demo seeding (the whole population) call it; a
snapshot built anywhere else would drift from these.

The passport of an assessment combines its ScoreCard with the submitted ScoreCards of the
sector profile's other frameworks (same organisation, profile and year) and compares it with
last year's submitted passport. In a batch the assessments are frozen in (year, id) order, each
one seeing the ones frozen before it exactly as a later ``submit`` would see them: a batch
freezes the same snapshots as the same submits one by one. ``build_passport`` gives the same
passport for a draft (live, "concept") and for a frozen card (the passport page).

Callers hold the assessment rows (``submit`` and the import lock them) and have checked access
and that they are drafts; ``freeze`` neither audits nor checks rights.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from app.services import catalogue, scoring_bridge
from app.services.principal import Principal
from app.services.values import decode_value
from app.store.db import Store
from app.store.models import (
    AnswerRow,
    AssessmentRow,
    OrganisationRow,
    ScoreSnapshotRow,
    utcnow,
)
from frameworks.models import size_class
from scoring.models import Organisation, Passport, ScoreCard, dump_json_with

CHUNK = 500


@dataclass(frozen=True)
class Frozen:
    """The outcome of freezing one assessment: its ScoreCard from the stored answers, and the
    passport when it was submitted (no required question open)."""

    assessment_id: int
    card: ScoreCard
    passport: Passport | None
    open_questions: tuple[str, ...]

    @property
    def submitted(self) -> bool:
        return not self.open_questions


@dataclass(frozen=True)
class _Key:
    """What freezing needs of an assessment row (ORM row or Core row alike)."""

    id: int
    organisation_id: int
    framework: str
    framework_version: str
    profile: str | None
    year: int
    profile_version: str | None = None


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def organisation_model(row: Any) -> Organisation:
    """The scoring engine's ``Organisation`` of an organisation row."""
    return Organisation(
        name=row.name, kbo=row.kbo, fte=row.fte, municipality=row.municipality, nace=row.nace
    )


def stored_passport(
    passport_json: str, scorecard_json: str | ScoreCard, framework: str
) -> Passport:
    """The passport of a snapshot row: ``freeze`` stores its own card once, in
    ``scorecard_json``, and the passport JSON with the other frameworks' cards; the own card
    goes back in last, where ``freeze`` put it (the passport as built, equal and serialising
    to the same bytes). A passport stored whole (snapshots from before) is read as it is.
    Every reader of ``passport_json`` reads it here."""
    passport = Passport.model_validate_json(passport_json)
    if framework in passport.scorecards:
        return passport
    card = (
        scorecard_json
        if isinstance(scorecard_json, ScoreCard)
        else ScoreCard.model_validate_json(scorecard_json)
    )
    return passport.model_copy(update={"scorecards": {**passport.scorecards, framework: card}})


class _Submitted:
    """The submitted ScoreCards and passports of some organisations, read once and extended
    with every assessment frozen in the same batch. A card is parsed once, and serialised at
    most once (a passport of several frameworks holds the others' cards)."""

    def __init__(self, session: Session, organisation_ids: Iterable[int]) -> None:
        # (organisation, profile, year) -> framework -> [card or its stored JSON, JSON dump]
        self._cards: dict[tuple[int, str | None, int], dict[str, list[Any]]] = defaultdict(dict)
        self._passports: dict[tuple[int, str, str | None], dict[int, Any]] = defaultdict(dict)
        ids = sorted(set(organisation_ids))
        for chunk in _chunks(ids):
            for s in session.execute(
                select(
                    ScoreSnapshotRow.organisation_id,
                    ScoreSnapshotRow.framework,
                    ScoreSnapshotRow.profile,
                    ScoreSnapshotRow.year,
                    ScoreSnapshotRow.scorecard_json,
                    ScoreSnapshotRow.passport_json,
                ).where(ScoreSnapshotRow.organisation_id.in_(chunk))
            ):
                key = (s.organisation_id, s.profile, s.year)
                self._cards[key][s.framework] = [s.scorecard_json, None]
                if s.passport_json is not None:
                    key = (s.organisation_id, s.framework, s.profile)
                    self._passports[key][s.year] = (s.passport_json, s.scorecard_json)

    def _card(self, entry: list[Any]) -> ScoreCard:
        if not isinstance(entry[0], ScoreCard):
            entry[0] = ScoreCard.model_validate_json(entry[0])
        return entry[0]

    def others(self, row: _Key, profile: Any) -> dict[str, ScoreCard]:
        """The submitted cards of the profile's other frameworks, same organisation and year."""
        if profile is None:
            return {}
        found = self._cards.get((row.organisation_id, row.profile, row.year), {})
        return {
            included.id: self._card(found[included.id])
            for included in profile.frameworks
            if included.id != row.framework and included.id in found
        }

    def card_json(self, row: _Key, framework: str) -> str:
        """``model_dump_json()`` of the card ``others`` gives for ``framework`` (a stored card
        as parsed here: what a passport holding it writes)."""
        entry = self._cards[(row.organisation_id, row.profile, row.year)][framework]
        if entry[1] is None:
            entry[1] = self._card(entry).model_dump_json()
        return entry[1]

    def previous(self, row: _Key) -> Passport | None:
        """The latest submitted passport of an earlier year (same framework and profile)."""
        years = self._passports.get((row.organisation_id, row.framework, row.profile), {})
        earlier = [y for y in years if y < row.year]
        if not earlier:
            return None
        found = years[max(earlier)]
        if isinstance(found, Passport):
            return found
        return stored_passport(*found, row.framework)

    def add(self, row: _Key, card: ScoreCard, passport: Passport, card_json: str) -> None:
        self._cards[(row.organisation_id, row.profile, row.year)][row.framework] = [
            card,
            card_json,
        ]
        self._passports[(row.organisation_id, row.framework, row.profile)][row.year] = passport


def _passport(
    store: Store, submitted: _Submitted, row: _Key, organisation: Any, card: ScoreCard, status: str
) -> Passport:
    # the assessment's own versions (catalogue.of_assessment), for its card and the others'
    profile = catalogue.profile(store.catalogue, row.profile, row.profile_version)
    cards = {**submitted.others(row, profile), row.framework: card}
    known = store.catalogue.frameworks
    return scoring_bridge.passport(
        cards,
        profile,
        organisation=organisation_model(organisation),
        year=row.year,
        status=status,
        previous=submitted.previous(row),
        frameworks={
            f: catalogue.questionnaire(
                store.catalogue, f, row.profile, cards[f].framework_version, row.profile_version
            )
            for f in cards
            if f in known
        },
    )


def _key(row: Any) -> _Key:
    return _Key(
        id=row.id,
        organisation_id=row.organisation_id,
        framework=row.framework,
        framework_version=row.framework_version,
        profile=row.profile,
        year=row.year,
        profile_version=row.profile_version,
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
    with last year's passport; the same rule ``freeze`` applies."""
    submitted = _Submitted(session, [row.organisation_id])
    return _passport(store, submitted, _key(row), organisation, card, status)


def stored_answers(session: Session, assessment_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """``{assessment id: {question id: value}}`` of the stored answers (cleared ones left out),
    as ``scoring.score`` takes them."""
    answers: dict[int, dict[str, Any]] = {aid: {} for aid in assessment_ids}
    for chunk in _chunks(list(assessment_ids)):
        for aid, qid, text, na in session.execute(
            select(
                AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.value, AnswerRow.na
            ).where(AnswerRow.assessment_id.in_(chunk))
        ):
            value = decode_value(text, na)
            if value is not None:
                answers[aid][qid] = value
    return answers


def without_figures(session: Session, found: Sequence[Any], *columns: Any) -> dict[int, Any]:
    """The ``columns`` (a snapshot's JSON) by assessment id of the ``found`` snapshot rows whose
    ``figures_json`` is missing (snapshots from before it existed): a reader of the figures
    reads the full card or passport only for these, not the megabytes of every snapshot."""
    ids = [s.assessment_id for s in found if not s.figures_json]
    full: dict[int, Any] = {}
    for chunk in _chunks(ids):
        for row in session.execute(
            select(ScoreSnapshotRow.assessment_id, *columns).where(
                ScoreSnapshotRow.assessment_id.in_(chunk)
            )
        ):
            full[row.assessment_id] = row
    return full


def table_row(
    *,
    assessment_id: int,
    profile: str,
    year: int,
    framework_version: str,
    fte: float | None,
    status: str,
    name: str | None,
    consent: bool,
    scorecard: dict,
    passport: dict | None,
) -> dict:
    """One row of the peer scores table ``scoring.benchmark`` reads (``passports.scores_table``
    and the frozen ``figures_json``): the card's overall, sections and topics, the KPIs."""
    row = {
        "assessment": assessment_id,
        "profile": profile,
        "year": year,
        "framework_version": framework_version,
        "size_class": size_class(fte),
        "status": status,
        "organisation": name,
        "consent": consent,
        "overall": scorecard.get("overall"),
    }
    for section_id, section in scorecard.get("sections", {}).items():
        row[f"section:{section_id}"] = section.get("score")
    for topic_id, topic in scorecard.get("topics", {}).items():
        row[f"topic:{topic_id}"] = topic.get("score")
    for kpi in (passport or {}).get("kpis", []):
        row[f"kpi:{kpi['kpi']}"] = kpi.get("value")
    return row


def _figures_json(row: _Key, organisation: Any, card: ScoreCard, passport: Passport) -> str:
    """The snapshot's rows of the sector table (``benchmark.sector_row``) and of the peer
    scores table (``table_row``), kept so that a sector's figures are recomputed
    without parsing every passport again."""
    from scoring.benchmark import sector_row  # noqa: PLC0415

    peers = table_row(
        assessment_id=row.id,
        profile=row.profile or row.framework,
        year=row.year,
        framework_version=row.framework_version,
        fte=organisation.fte,
        status="submitted",
        name=None,
        consent=False,
        # what table_row reads of the card and passport (not a dump of all 150 questions)
        scorecard={
            "overall": card.overall,
            "sections": {k: {"score": v.score} for k, v in card.sections.items()},
            "topics": {k: {"score": v.score} for k, v in card.topics.items()},
        },
        passport={"kpis": [{"kpi": k.kpi, "value": k.value} for k in passport.kpis]},
    )
    return json.dumps(
        {"sector": sector_row(passport, assessment=row.id, consent=False), "peers": peers},
        separators=(",", ":"),
    )


def freeze(
    store: Store,
    session: Session,
    assessment_ids: Sequence[int],
    *,
    principal: Principal,
    now: datetime | None = None,
    refresh_statistics: bool = True,
    written: Mapping[int, Mapping[str, Any]] | None = None,
) -> list[Frozen]:
    """Freeze every listed draft whose stored answers leave no required question open: store
    its snapshot and mark it submitted (revision + 1), and refresh the benchmark figures the
    snapshots feed (``app.services.statistics``) in the same transaction. Returns one
    ``Frozen`` per assessment, in (year, id) order; those with open questions are left
    untouched. Only a caller that refreshes the figures itself later in the same write (the
    batched demo seeding) passes ``refresh_statistics=False``. ``written`` holds, for some of
    the assessments, every answer stored for them, as the caller stored them in this same
    transaction (the import's new assessments): those are not read back."""
    now = now or utcnow()
    rows: list[_Key] = []
    for chunk in _chunks(sorted(set(assessment_ids))):
        rows += [
            _key(r)
            for r in session.execute(
                select(
                    AssessmentRow.id,
                    AssessmentRow.organisation_id,
                    AssessmentRow.framework,
                    AssessmentRow.framework_version,
                    AssessmentRow.profile,
                    AssessmentRow.year,
                    AssessmentRow.profile_version,
                ).where(AssessmentRow.id.in_(chunk))
            )
        ]
    rows.sort(key=lambda r: (r.year, r.id))
    organisation_ids = sorted({r.organisation_id for r in rows})
    organisations = {
        o.id: o
        for chunk in _chunks(organisation_ids)
        for o in session.execute(
            select(
                OrganisationRow.id,
                OrganisationRow.name,
                OrganisationRow.kbo,
                OrganisationRow.fte,
                OrganisationRow.municipality,
                OrganisationRow.nace,
            ).where(OrganisationRow.id.in_(chunk))
        )
    }
    written = written or {}
    answers = stored_answers(session, [r.id for r in rows if r.id not in written])
    answers.update({aid: dict(given) for aid, given in written.items()})
    submitted = _Submitted(session, organisation_ids)
    cat = store.catalogue
    results: list[Frozen] = []
    snapshots: list[dict[str, Any]] = []
    groups: dict[tuple[str, str, str | None, str | None], list[_Key]] = defaultdict(list)
    for row in rows:
        groups[(row.framework, row.framework_version, row.profile, row.profile_version)].append(row)
    cards: dict[int, ScoreCard] = {}
    for group in groups.values():
        # One batch per framework and profile at their versions (the vectorised check, the
        # engine's cards).
        base, profile = catalogue.parts_of(cat, group[0])
        cards.update(
            scoring_bridge.scorecards(
                base,
                profile,
                {row.id: answers[row.id] for row in group},
                {
                    row.id: organisations[row.organisation_id].fte
                    for row in group
                    if row.organisation_id in organisations
                },
            )
        )
    for row in rows:
        card = cards[row.id]
        if card.required_open:
            results.append(Frozen(row.id, card, None, tuple(card.required_open)))
            continue
        organisation = organisations[row.organisation_id]
        passport = _passport(store, submitted, row, organisation, card, "submitted")
        card_json = card.model_dump_json()
        submitted.add(row, card, passport, card_json)
        results.append(Frozen(row.id, card, passport, ()))
        snapshots.append(
            {
                "assessment_id": row.id,
                "organisation_id": row.organisation_id,
                "profile": row.profile,
                "framework": row.framework,
                "framework_version": row.framework_version,
                "year": row.year,
                "fte": organisation.fte,
                "size_class": size_class(organisation.fte),
                "overall": card.overall,
                "completeness": card.completeness,
                "level": passport.level,
                "scorecard_json": card_json,
                # the other frameworks' cards, each serialised once; this card is stored once,
                # above (stored_passport puts it back)
                "passport_json": dump_json_with(
                    passport,
                    "scorecards",
                    [
                        f"{to_json(f).decode()}:{submitted.card_json(row, f)}"
                        for f in passport.scorecards
                        if f != row.framework
                    ],
                ),
                "figures_json": _figures_json(row, organisation, card, passport),
                "created_at": now,
            }
        )
    submitted_ids = [s["assessment_id"] for s in snapshots]
    for chunk in _chunks(submitted_ids):
        session.execute(
            update(AssessmentRow)
            .where(AssessmentRow.id.in_(chunk), AssessmentRow.status == "draft")
            .values(
                status="submitted",
                submitted_at=now,
                submitted_by=principal.user_id,
                version=AssessmentRow.version + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    for chunk in _chunks(snapshots, 200):
        session.connection().execute(insert(ScoreSnapshotRow.__table__), chunk)
    if snapshots and refresh_statistics:
        # The benchmark figures these snapshots feed, in the same transaction (statistics
        # once per change, never per page view).
        from app.services import statistics  # noqa: PLC0415 (statistics reads passports)

        statistics.refresh(
            store, session, {(s["profile"], s["framework"], s["year"]) for s in snapshots}
        )
    return results


def refreeze(
    store: Store, session: Session, assessment_ids: Sequence[int], *, principal: Principal
) -> tuple[list[Frozen], dict[int, dict[str, Any]]]:
    """Freeze submitted assessments again from their stored answers with the catalogue as it
    is now (``mvo rescore``): their snapshots are replaced by ``freeze``'s, their submit time
    and submitter kept. One that can no longer be frozen (a required question now open) keeps
    its old snapshot and stays submitted. Returns ``freeze``'s results and the old snapshot
    columns by assessment id; the caller holds the rows locked."""
    ids = sorted(set(assessment_ids))
    columns = [c for c in ScoreSnapshotRow.__table__.columns if c.name != "id"]
    old: dict[int, dict[str, Any]] = {}
    submitters: dict[int, tuple[Any, Any]] = {}
    for chunk in _chunks(ids):
        for row in session.execute(
            select(*columns).where(ScoreSnapshotRow.assessment_id.in_(chunk))
        ):
            old[row.assessment_id] = dict(row._mapping)
        for aid, at, by in session.execute(
            select(AssessmentRow.id, AssessmentRow.submitted_at, AssessmentRow.submitted_by).where(
                AssessmentRow.id.in_(chunk)
            )
        ):
            submitters[aid] = (at, by)
        session.execute(delete(ScoreSnapshotRow).where(ScoreSnapshotRow.assessment_id.in_(chunk)))
        session.execute(
            update(AssessmentRow)
            .where(AssessmentRow.id.in_(chunk))
            .values(status="draft")
            .execution_options(synchronize_session=False)
        )
    frozen = freeze(store, session, ids, principal=principal)
    kept = [f.assessment_id for f in frozen if not f.submitted]
    if kept:
        session.execute(
            update(AssessmentRow)
            .where(AssessmentRow.id.in_(kept))
            .values(status="submitted")
            .execution_options(synchronize_session=False)
        )
        rows = [old[a] for a in kept if a in old]
        if rows:
            session.execute(insert(ScoreSnapshotRow.__table__), rows)
            from app.services import statistics  # noqa: PLC0415

            statistics.refresh(
                store, session, {(r["profile"], r["framework"], r["year"]) for r in rows}
            )
    # The submission stays the SME's: its time and submitter, not the rescorer's.
    table = AssessmentRow.__table__
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(submitted_at=bindparam("b_at"), submitted_by=bindparam("b_by")),
        [{"b_id": a, "b_at": at, "b_by": by} for a, (at, by) in submitters.items()],
    )
    return frozen, old


__all__ = [
    "Frozen",
    "build_passport",
    "freeze",
    "organisation_model",
    "refreeze",
    "stored_answers",
    "stored_passport",
    "table_row",
    "without_figures",
]
