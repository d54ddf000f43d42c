"""Carrying answers over into a new assessment, in one place: roll-forward and "answer once".

A new draft is prefilled, question by question, from the first of these that holds a value
that fits the question (``validate_answer``); an answer already stored is never overwritten:

1. **answer once**: the same datapoint answered in another framework of the same
   organisation and year, through the ``vsme.sources`` mappings of ``frameworks/vsme.yaml``,
   both ways (a GRI answer prefills the VSME datapoint, a VSME answer the GRI question that
   ``sources`` names), converted where the units differ (``UNIT_FACTORS``);
2. **the organisation's own data** (``organisation: nace | fte | municipality | kbo``);
3. **roll-forward**: last year's answer of the same framework and profile, carried into
   this year's version by the framework's (and for sector questions the profile's)
   ``carry_over`` block: renamed ids are followed, a question listed under ``not_carried``
   never takes an old answer, a version without a block keeps ids and meaning where the
   major version is the same (``roll_forward``). What was not carried, and why, is
   ``not_carried`` (and the ``carry_over`` audit entry of the new draft).

This year's figure from a sibling framework wins over last year's own figure because it
describes the same year. Every stored answer records where it came from in
``answers.source`` (see ``Source``); a value a user types is ``user``. A rolled-forward
value the SME checked is marked ``confirmed`` ("unchanged since last year") with
``confirm_unchanged``; ``answer_sources`` gives the page both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.services import audit, catalogue
from app.services.answers import validate_answer
from app.services.errors import AccessDenied, InvalidInput, NotFound, ReadOnly
from app.services.messages import ServiceMessage, message
from app.services.principal import (
    DENIED,
    Principal,
    require_answer_write,
    require_raw_read,
)
from app.services.values import decode_value, encode_value
from app.store.db import Store
from app.store.models import AnswerRow, AssessmentRow, EvidenceRow, OrganisationRow, utcnow
from frameworks.models import CarryOver, LocalizedText, SectorProfile

VSME = "vsme"
USER = "user"
#: The source of a B3 answer written by the energy and greenhouse-gas calculator.
CALCULATOR = "calculator"

#: Units that name the same thing in different frameworks (GRI writes "tonnes", VSME "t").
UNIT_ALIASES = {"tonnes": "t", "tonne": "t", "m³": "m3", "tCO2": "tCO2e"}
#: Multiply a value in the first unit by the factor to get it in the second.
UNIT_FACTORS: dict[tuple[str, str], float] = {
    ("kWh", "MWh"): 0.001,
    ("MWh", "kWh"): 1000.0,
    ("GJ", "MWh"): 1 / 3.6,
    ("MWh", "GJ"): 3.6,
    ("kg", "t"): 0.001,
    ("t", "kg"): 1000.0,
    ("kgCO2e", "tCO2e"): 0.001,
    ("tCO2e", "kgCO2e"): 1000.0,
    # Start-to-MVO asks employees in FTE; VSME B1 counts employees in headcount or FTE
    # (TypeOfNumberOfEmployees says which), so the figure carries over as it is.
    ("FTE", "count"): 1.0,
}


@dataclass(frozen=True)
class Source:
    """Where an answer's value came from, as the page shows it.

    ``kind`` is ``user``, ``last_year``, ``framework``, ``organisation``, ``calculator`` (a
    B3 figure of the energy and greenhouse-gas calculator) or ``unknown`` (an
    answer stored before provenance was kept, or imported); ``year`` is last year's year,
    ``framework``/``question`` the sibling question, ``field`` the organisation field;
    ``conversion`` says how the value was converted (``"kWh -> MWh x 0.001"``) or None;
    ``confirmed`` is True once the SME confirmed a rolled-forward value as unchanged."""

    kind: str
    raw: str | None = None
    year: int | None = None
    framework: str | None = None
    question: str | None = None
    field: str | None = None
    conversion: str | None = None
    confirmed: bool = False

    @classmethod
    def parse(cls, raw: str | None, *, confirmed: bool = False) -> Source:
        """The stored ``answers.source`` text read back."""
        if not raw:
            return cls("unknown", raw, confirmed=confirmed)
        kind, _, rest = raw.partition(":")
        if kind == "last_year" and rest.isdigit():
            return cls(kind, raw, year=int(rest), confirmed=confirmed)
        if kind == "framework" and ":" in rest:
            framework, _, question = rest.partition(":")
            return cls(kind, raw, framework=framework, question=question, confirmed=confirmed)
        if kind == "organisation" and rest:
            return cls(kind, raw, field=rest, confirmed=confirmed)
        if kind in (USER, CALCULATOR) and not rest:
            return cls(kind, raw, confirmed=confirmed)
        return cls("unknown", raw, confirmed=confirmed)


@dataclass(frozen=True)
class Link:
    """One ``vsme.sources`` entry: ``question`` of ``framework`` carries the same datapoint as
    ``other_question`` of ``other_framework`` (or the organisation field ``field``)."""

    framework: str
    question: str
    other_framework: str | None = None
    other_question: str | None = None
    field: str | None = None


def links(cat: Any) -> list[Link]:
    """Every answer-once link of the catalogue, in both directions (organisation fields only
    towards the question: the organisation's data is edited on the organisation)."""
    vsme = cat.frameworks.get(VSME)
    if vsme is None:
        return []
    found: list[Link] = []
    for question in _questions(vsme):
        block = getattr(question, "vsme", None)
        for source in getattr(block, "sources", None) or []:
            if source.organisation:
                found.append(Link(VSME, question.id, field=source.organisation))
            elif source.framework and source.question:
                found.append(Link(VSME, question.id, source.framework, source.question))
                found.append(Link(source.framework, source.question, VSME, question.id))
    return found


def _questions(framework: Any) -> Iterable[Any]:
    for section in framework.sections:
        for topic in section.topics:
            yield from topic.questions


def _unit(question: Any) -> str | None:
    """The question's unit; for a VSME table column (a text question, one line per row) the
    unit of its taxonomy concept (``utr:MWh`` -> ``MWh``)."""
    unit = getattr(question, "unit", None)
    block = getattr(question, "vsme", None)
    if not unit and block is not None and question.free_text:
        from exports.vsme.taxonomy import taxonomy  # noqa: PLC0415

        tax = taxonomy()
        concept = f"vsme:{block.concept}"
        if tax.has(block.concept) and tax.concepts[concept].get("numeric"):
            unit = (tax.unit(concept, "EUR") or "").removeprefix("utr:") or None
    return UNIT_ALIASES.get(unit, unit) if unit else None


def conversion(source_question: Any, target_question: Any) -> tuple[float, str | None] | None:
    """(factor, description) turning a value of ``source_question`` into one of
    ``target_question``; description None when no conversion is needed, and None when the
    units cannot be converted (then nothing is carried over)."""
    a, b = _unit(source_question), _unit(target_question)
    if a == b or a is None or b is None:
        return (1.0, None) if a == b else None
    factor = UNIT_FACTORS.get((a, b))
    if factor is None:
        return None
    return factor, f"{a} -> {b} x {factor:g}"


def _converted(value: Any, factor: float) -> Any:
    if factor == 1.0 or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return round(value * factor, 9)


def _fits(question: Any, value: Any) -> Any:
    """The value as the question stores it, or None when it does not fit (a number going to a
    VSME table column is its one line)."""
    if value is None or value == "n/a":
        return None
    if question.free_text and isinstance(value, int | float) and not isinstance(value, bool):
        value = f"{value:g}"
    try:
        return validate_answer(question, value)
    except InvalidInput:
        return None


def _organisation_value(organisation: OrganisationRow, field: str) -> Any:
    return getattr(organisation, field, None)


def _sibling_answers(
    session: Session, row: AssessmentRow, framework: str, question_ids: set[str]
) -> dict[str, Any]:
    """Answers of ``framework`` for the same organisation and year (the most recently
    changed assessment first where there are several, e.g. under two profiles)."""
    found: dict[str, Any] = {}
    assessments = session.scalars(
        select(AssessmentRow)
        .where(
            AssessmentRow.organisation_id == row.organisation_id,
            AssessmentRow.framework == framework,
            AssessmentRow.year == row.year,
            AssessmentRow.id != row.id,
        )
        .order_by(AssessmentRow.updated_at.desc(), AssessmentRow.id.desc())
    ).all()
    for other in assessments:
        for answer in session.scalars(
            select(AnswerRow).where(
                AnswerRow.assessment_id == other.id, AnswerRow.question_id.in_(question_ids)
            )
        ):
            value = decode_value(answer.value, answer.na)
            if value is not None and answer.question_id not in found:
                found[answer.question_id] = value
    return found


def _last_year(session: Session, row: AssessmentRow) -> tuple[AssessmentRow | None, list]:
    """The most recent earlier assessment of the same framework and profile, and its answers."""
    previous = session.scalar(
        select(AssessmentRow)
        .where(
            AssessmentRow.organisation_id == row.organisation_id,
            AssessmentRow.framework == row.framework,
            AssessmentRow.profile == row.profile
            if row.profile is not None
            else AssessmentRow.profile.is_(None),
            AssessmentRow.year < row.year,
        )
        .order_by(AssessmentRow.year.desc())
        .limit(1)
    )
    if previous is None:
        return None, []
    return previous, list(
        session.scalars(
            select(AnswerRow)
            .where(AnswerRow.assessment_id == previous.id)
            .order_by(AnswerRow.question_id)
        )
    )


def _major(version: str | None) -> str:
    return (version or "").split(".", 1)[0]


#: Why an answer of last year was not carried over (``NotCarried.reason``).
CHANGED = "changed"
REMOVED = "removed"
NO_LONGER_FITS = "no-longer-fits"
OTHER_VERSION = "other-version"


@dataclass(frozen=True)
class NotCarried:
    """An answer of last year that a new year's draft does not take over, and why: the
    question changed in this version (``changed``, with the framework's ``explanation``),
    no longer exists (``removed``), the value no longer fits it (``no-longer-fits``) or the
    framework says nothing about carrying answers from that version (``other-version``).
    ``question`` is this version's id (last year's where the question is gone)."""

    question: str
    previous_question: str
    reason: str
    year: int
    from_version: str | None
    to_version: str | None
    explanation: LocalizedText | None = None

    @property
    def message(self) -> ServiceMessage:
        """What the SME is told ("not carried over because the question changed")."""
        return message(
            f"not-carried-{self.reason}",
            question_id=self.question,
            year=self.year,
            from_version=self.from_version or "-",
            to_version=self.to_version or "-",
        )


@dataclass(frozen=True)
class RollForward:
    """What last year's answers give a new draft: ``carried`` ``{question id: (value, source
    text, note)}`` by this version's ids, and every answer ``not_carried``."""

    previous: AssessmentRow | None
    carried: dict[str, tuple[Any, str, str | None]]
    not_carried: list[NotCarried]


def _sector_questions(profile: SectorProfile | None, framework_id: str) -> set[str]:
    if profile is None or profile.sector_section is None:
        return set()
    if profile.frameworks[0].id != framework_id:
        return set()
    found = {q.id for t in profile.sector_section.topics for q in t.questions}
    if profile.carry_over is not None:
        found |= set(profile.carry_over.renamed)
    return found


def _step(
    block: CarryOver | None, before: str | None, now: str | None, question_id: str
) -> tuple[str, str | None, LocalizedText | None]:
    """(this version's id, reason it is not carried or None, the framework's explanation) of
    an answer to ``question_id`` given on version ``before``, by the ``carry_over`` block of
    version ``now``."""
    if before == now:
        return question_id, None, None
    if block is not None and block.from_version == before:
        target = block.renamed.get(question_id, question_id)
        why = block.reason_for(target)
        return target, (CHANGED if why is not None else None), why
    if block is None and _major(before) == _major(now):
        # A version that declares no changes keeps its ids and their meaning.
        return question_id, None, None
    return question_id, OTHER_VERSION, None


def _carry(
    cat: Any, earlier: Any, later: Any, question_id: str, value: Any, questions: Any
) -> tuple[str, Any, str | None, str | None, str | None, LocalizedText | None]:
    """An answer to ``question_id`` given on ``earlier``'s versions, as ``later`` (a row or
    view on the versions it moves to, whose questionnaire is ``questions``) takes it:
    (this version's id, value, reason it is not carried or None, version before, version
    now, the framework's explanation). The later version's ``carry_over`` block decides:
    the framework's for its questions, the profile's for its sector questions."""
    base, profile = catalogue.parts_of(cat, later)
    if question_id in _sector_questions(profile, later.framework):
        block = profile.carry_over if profile is not None else None
        before, now = earlier.profile_version, later.profile_version
    else:
        block = base.carry_over
        before, now = earlier.framework_version, later.framework_version
    target, reason, why = _step(block, before, now, question_id)
    question = questions.questions.get(target)
    if reason is None and question is None:
        reason = REMOVED
    if reason is None and value is not None:
        try:
            value = validate_answer(question, value)
        except InvalidInput:
            reason = NO_LONGER_FITS
    return target, value, reason, before, now, why


def roll_forward(session: Session, cat: Any, row: AssessmentRow, questions: Any) -> RollForward:
    """Last year's answers of ``row``'s framework and profile carried into ``row``'s version:
    the framework's ``carry_over`` block decides for its questions (framework versions), the
    profile's for its sector questions (profile versions); renamed ids are followed, a
    question listed as changed is never carried, and a value must still fit its question."""
    previous, answers = _last_year(session, row)
    carried: dict[str, tuple[Any, str, str | None]] = {}
    skipped: list[NotCarried] = []
    if previous is None:
        return RollForward(None, carried, skipped)
    for answer in answers:
        value = decode_value(answer.value, answer.na)
        if value is None:
            continue
        target, value, reason, before, now, why = _carry(
            cat, previous, row, answer.question_id, value, questions
        )
        if reason is not None:
            skipped.append(
                NotCarried(target, answer.question_id, reason, previous.year, before, now, why)
            )
            continue
        carried[target] = (value, f"last_year:{previous.year}", answer.note)
    return RollForward(previous, carried, skipped)


@dataclass(frozen=True)
class _Versions:
    """An assessment's framework and profile at given versions (for ``_carry``)."""

    framework: str
    profile: str | None
    framework_version: str
    profile_version: str | None


@dataclass(frozen=True)
class Switched:
    """What moving a draft to the current versions did: the versions before and after, the
    answers kept (by the new ids) and those the new version does not take (each with its
    reason; the old values stay in the ``switch_version`` audit entry)."""

    from_framework_version: str
    to_framework_version: str
    from_profile_version: str | None
    to_profile_version: str | None
    kept: list[str]
    not_carried: list[NotCarried]


def switch_to_current(store: Store, principal: Principal, assessment_id: int) -> Switched:
    """Move a draft started on an earlier version to the current versions of its framework
    and profile, through the same ``carry_over`` blocks as a new year: renamed ids are
    followed, an answer to a changed question (or one that no longer fits) is taken out and
    kept, with its value, in the audit entry. Refused for a submitted assessment (its
    version is frozen). Nothing changes when it is on the current versions already."""
    cat = store.catalogue
    with store.write() as session:
        row = writable_draft(session, principal, assessment_id)
        base = catalogue.framework(cat, row.framework)
        profile = catalogue.profile(cat, row.profile)
        target = _Versions(
            row.framework,
            row.profile,
            base.version,
            profile.version if profile is not None else None,
        )
        before = _Versions(row.framework, row.profile, row.framework_version, row.profile_version)
        if before == target:
            return Switched(
                before.framework_version,
                target.framework_version,
                before.profile_version,
                target.profile_version,
                [],
                [],
            )
        questions = catalogue.of_assessment(cat, target)
        answers = list(session.scalars(select(AnswerRow).where(AnswerRow.assessment_id == row.id)))
        kept: list[str] = []
        dropped: list[NotCarried] = []
        removed: dict[str, dict[str, Any]] = {}
        renames: dict[str, str] = {}
        for answer in answers:
            value = decode_value(answer.value, answer.na)
            new_id, new_value, reason, old_v, new_v, why = _carry(
                cat, before, target, answer.question_id, value, questions
            )
            if reason is not None:
                dropped.append(
                    NotCarried(new_id, answer.question_id, reason, row.year, old_v, new_v, why)
                )
                removed[answer.question_id] = {
                    "value": answer.value,
                    "na": answer.na,
                    "note": answer.note,
                    "reason": reason,
                }
                session.delete(answer)
                continue
            kept.append(new_id)
            if new_id != answer.question_id:
                renames[answer.question_id] = new_id
        session.flush()
        for answer in answers:
            if answer.question_id in renames:
                answer.question_id = renames[answer.question_id]
                answer.version += 1
        for old_id, new_id in renames.items():
            session.execute(
                update(EvidenceRow)
                .where(EvidenceRow.assessment_id == row.id, EvidenceRow.question_id == old_id)
                .values(question_id=new_id)
            )
        row.framework_version = target.framework_version
        row.profile_version = target.profile_version
        row.version += 1
        row.updated_at = utcnow()
        audit.record(
            session,
            principal,
            "switch_version",
            "assessment",
            row.id,
            old={
                "framework_version": before.framework_version,
                "profile_version": before.profile_version,
                "not_carried": removed,
            },
            new={
                "framework_version": target.framework_version,
                "profile_version": target.profile_version,
                "renamed": renames,
            },
        )
        return Switched(
            before.framework_version,
            target.framework_version,
            before.profile_version,
            target.profile_version,
            sorted(kept),
            dropped,
        )


def candidates(
    session: Session,
    cat: Any,
    row: AssessmentRow,
    questions: Any,
    rolled: RollForward | None = None,
) -> dict[str, tuple[Any, str, str | None]]:
    """``{question id: (value, source text, note)}`` that would prefill ``row``, by the
    order of this module's docstring (answers already stored are *not* left out here);
    ``rolled`` is the roll-forward where the caller computed it already."""
    found: dict[str, tuple[Any, str, str | None]] = {}
    own = [link for link in links(cat) if link.framework == row.framework]
    # 1. answer once: the same organisation and year, another framework
    by_framework: dict[str, list[Link]] = {}
    for link in own:
        if link.other_framework and link.question in questions.questions:
            by_framework.setdefault(link.other_framework, []).append(link)
    for framework_id, group in by_framework.items():
        other = cat.frameworks.get(framework_id)
        if other is None:
            continue
        other_questions = {q.id: q for q in _questions(other)}
        answers = _sibling_answers(session, row, framework_id, {g.other_question for g in group})
        for link in group:
            source_question = other_questions.get(link.other_question)
            if source_question is None or link.question in found:
                continue
            target = questions.questions[link.question]
            converted = conversion(source_question, target)
            if converted is None or link.other_question not in answers:
                continue
            value = _fits(target, _converted(answers[link.other_question], converted[0]))
            if value is not None:
                source = f"framework:{framework_id}:{link.other_question}"
                found[link.question] = (value, source, None)
    # 2. the organisation's own data
    organisation = session.get(OrganisationRow, row.organisation_id)
    for link in own:
        if link.field is None or link.question in found or link.question not in questions.questions:
            continue
        value = _fits(
            questions.questions[link.question], _organisation_value(organisation, link.field)
        )
        if value is not None:
            found[link.question] = (value, f"organisation:{link.field}", None)
    # 3. roll-forward from last year
    if rolled is None:
        rolled = roll_forward(session, cat, row, questions)
    for question_id, carried in rolled.carried.items():
        found.setdefault(question_id, carried)
    return found


def prefill(
    session: Session, principal: Principal, row: AssessmentRow, questions: Any, cat: Any
) -> dict[str, int]:
    """Store the carried-over answers of a draft whose questions are not answered yet;
    ``{kind: count}`` of what was stored (for the audit log). On a fresh draft with a year
    before it, one ``carry_over`` audit entry says which of last year's answers were carried
    (by this version's ids) and which were not, with the reason."""
    stored = set(
        session.scalars(select(AnswerRow.question_id).where(AnswerRow.assessment_id == row.id))
    )
    fresh = not stored
    rolled = roll_forward(session, cat, row, questions)
    now = utcnow()
    rows = []
    counts: dict[str, int] = {}
    carried: list[str] = []
    found = candidates(session, cat, row, questions, rolled)
    for question_id, (value, source, note) in found.items():
        if question_id in stored:
            continue
        if source.startswith("last_year:"):
            carried.append(question_id)
        text, na = encode_value(value)
        rows.append(
            {
                "assessment_id": row.id,
                "question_id": question_id,
                "value": text,
                "na": na,
                "note": note,
                "version": 1,
                "updated_at": now,
                "updated_by": principal.user_id,
                "source": source,
                "confirmed": False,
            }
        )
        kind = source.split(":", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    if rows:
        session.execute(insert(AnswerRow), rows)
    if fresh and rolled.previous is not None:
        previous = rolled.previous
        audit.record(
            session,
            principal,
            "carry_over",
            "assessment",
            row.id,
            old={
                "assessment": previous.id,
                "year": previous.year,
                "framework_version": previous.framework_version,
                "profile_version": previous.profile_version,
            },
            new={
                "framework_version": row.framework_version,
                "profile_version": row.profile_version,
                "carried": sorted(carried),
                "not_carried": {n.question: n.reason for n in rolled.not_carried},
            },
        )
    return counts


def not_carried(store: Store, principal: Principal, assessment_id: int) -> list[NotCarried]:
    """Last year's answers that this assessment did not take over, and why (e.g. "not
    carried over because the question changed in version 1.1"), for the readers of its raw
    answers. Computed from last year's answers and the frameworks' ``carry_over`` blocks, so
    it holds for an assessment started before this list was kept as well."""
    with store.read() as session:
        row = session.get(AssessmentRow, assessment_id)
        if row is None:
            if principal.reads_everything:
                raise NotFound(message("no-assessment", assessment_id=assessment_id))
            raise AccessDenied(DENIED)
        require_raw_read(principal, row.organisation_id)
        questions = catalogue.of_assessment(store.catalogue, row)
        return roll_forward(session, store.catalogue, row, questions).not_carried


def prefill_missing(store: Store, principal: Principal, assessment_id: int) -> dict[str, int]:
    """Prefill the questions of a draft that are still unanswered (e.g. after the GRI energy
    question was answered once the VSME report had been started); never overwrites a stored
    answer. ``{kind: count}`` of what was added; audited."""
    with store.write() as session:
        row = writable_draft(session, principal, assessment_id)
        questions = catalogue.of_assessment(store.catalogue, row)
        counts = prefill(session, principal, row, questions, store.catalogue)
        if counts:
            row.version += 1
            row.updated_at = utcnow()
            audit.record(session, principal, "prefill", "assessment", row.id, new=counts)
        return counts


def writable_draft(session: Session, principal: Principal, assessment_id: int) -> AssessmentRow:
    """The draft's row, held for this transaction, if the principal may write its answers;
    refused when missing, not theirs or submitted."""
    row = session.scalar(
        select(AssessmentRow).where(AssessmentRow.id == assessment_id).with_for_update()
    )
    if row is None:
        if principal.reads_everything:
            raise NotFound(message("no-assessment", assessment_id=assessment_id))
        raise AccessDenied(DENIED)
    require_answer_write(principal, row.organisation_id)
    if row.status != "draft":
        raise ReadOnly(message("assessment-submitted-read-only"))
    return row


def answer_sources(store: Store, principal: Principal, assessment_id: int) -> dict[str, Source]:
    """Where each stored answer of an assessment came from (readers of its raw answers only:
    the organisation's own users, the department and admin), with the unit conversion
    applied to an answer-once value and the "unchanged since last year" flag."""
    with store.read() as session:
        row = session.get(AssessmentRow, assessment_id)
        if row is None:
            if principal.reads_everything:
                raise NotFound(message("no-assessment", assessment_id=assessment_id))
            raise AccessDenied(DENIED)
        require_raw_read(principal, row.organisation_id)
        stored = session.execute(
            select(AnswerRow.question_id, AnswerRow.source, AnswerRow.confirmed).where(
                AnswerRow.assessment_id == assessment_id
            )
        ).all()
        versions = _Versions(row.framework, row.profile, row.framework_version, row.profile_version)
    cat = store.catalogue
    questions = catalogue.of_assessment(cat, versions).questions
    sources: dict[str, Source] = {}
    for question_id, raw, confirmed in stored:
        source = Source.parse(raw, confirmed=bool(confirmed))
        if source.kind == "framework" and question_id in questions:
            other = cat.frameworks.get(source.framework)
            other_question = (
                {q.id: q for q in _questions(other)}.get(source.question) if other else None
            )
            if other_question is not None:
                converted = conversion(other_question, questions[question_id])
                if converted is not None and converted[1]:
                    source = Source(**{**source.__dict__, "conversion": converted[1]})
        sources[question_id] = source
    return sources


def confirm_unchanged(
    store: Store, principal: Principal, assessment_id: int, question_ids: Iterable[str]
) -> dict[str, Source]:
    """Mark rolled-forward answers of a draft as "unchanged since last year" (the SME checked
    them). Only answers whose source is ``last_year:<year>`` can be confirmed; any other id is
    refused with the question named, and nothing is changed. Audited; raises the assessment's
    revision. Returns the sources of the confirmed answers."""
    wanted = list(dict.fromkeys(question_ids))
    with store.write() as session:
        row = writable_draft(session, principal, assessment_id)
        stored = {
            r.question_id: r
            for r in session.execute(
                select(AnswerRow.question_id, AnswerRow.source).where(
                    AnswerRow.assessment_id == assessment_id,
                    AnswerRow.question_id.in_(wanted),
                )
            )
        }
        for question_id in wanted:
            found = stored.get(question_id)
            if found is None or Source.parse(found.source).kind != "last_year":
                raise InvalidInput(
                    message("not-carried-over-from-last-year", question_id=question_id),
                    field=question_id,
                )
        if wanted:
            session.execute(
                update(AnswerRow)
                .where(AnswerRow.assessment_id == assessment_id, AnswerRow.question_id.in_(wanted))
                .values(confirmed=True)
            )
            row.version += 1
            row.updated_at = utcnow()
            audit.record(session, principal, "confirm_unchanged", "assessment", row.id, new=wanted)
        return {q: Source.parse(stored[q].source, confirmed=True) for q in wanted}


__all__ = [
    "CHANGED",
    "NO_LONGER_FITS",
    "OTHER_VERSION",
    "REMOVED",
    "Link",
    "NotCarried",
    "RollForward",
    "Source",
    "Switched",
    "UNIT_FACTORS",
    "answer_sources",
    "candidates",
    "confirm_unchanged",
    "conversion",
    "links",
    "not_carried",
    "prefill",
    "prefill_missing",
    "roll_forward",
    "switch_to_current",
    "writable_draft",
]
