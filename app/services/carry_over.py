"""Carrying answers over into a new assessment, in one place: roll-forward and "answer once".

A new draft is prefilled, question by question, from the first of these that holds a value
that fits the question (``validate_answer``); an answer already stored is never overwritten:

1. **answer once**: the same datapoint answered in another framework of the same
   organisation and year, through the ``vsme.sources`` mappings of ``frameworks/vsme.yaml``,
   both ways (a GRI answer prefills the VSME datapoint, a VSME answer the GRI question that
   ``sources`` names), converted where the units differ (``UNIT_FACTORS``);
2. **the organisation's own data** (``organisation: nace | fte | municipality | kbo``);
3. **roll-forward**: last year's answer of the same framework and profile where the major
   framework version is the same.

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
from app.services.messages import message
from app.services.principal import (
    DENIED,
    Principal,
    require_answer_write,
    require_raw_read,
)
from app.services.values import decode_value, encode_value
from app.store.db import Store
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow, utcnow

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
    if not unit and block is not None and question.type == "text":
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
    if question.type == "text" and isinstance(value, int | float) and not isinstance(value, bool):
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
    if previous is None or _major(previous.framework_version) != _major(row.framework_version):
        return None, []
    return previous, list(
        session.scalars(select(AnswerRow).where(AnswerRow.assessment_id == previous.id))
    )


def _major(version: str | None) -> str:
    return (version or "").split(".", 1)[0]


def candidates(
    session: Session, cat: Any, row: AssessmentRow, questions: Any
) -> dict[str, tuple[Any, str, str | None]]:
    """``{question id: (value, source text, note)}`` that would prefill ``row``, by the
    order of this module's docstring (answers already stored are *not* left out here)."""
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
    previous, answers = _last_year(session, row)
    for answer in answers:
        question = questions.questions.get(answer.question_id)
        if question is None or answer.question_id in found:
            continue
        value = decode_value(answer.value, answer.na)
        if value is None:
            continue
        try:
            value = validate_answer(question, value)
        except InvalidInput:
            continue
        found[answer.question_id] = (value, f"last_year:{previous.year}", answer.note)
    return found


def prefill(
    session: Session, principal: Principal, row: AssessmentRow, questions: Any, cat: Any
) -> dict[str, int]:
    """Store the carried-over answers of a draft whose questions are not answered yet;
    ``{kind: count}`` of what was stored (for the audit log)."""
    stored = set(
        session.scalars(select(AnswerRow.question_id).where(AnswerRow.assessment_id == row.id))
    )
    now = utcnow()
    rows = []
    counts: dict[str, int] = {}
    for question_id, (value, source, note) in candidates(session, cat, row, questions).items():
        if question_id in stored:
            continue
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
    return counts


def prefill_missing(store: Store, principal: Principal, assessment_id: int) -> dict[str, int]:
    """Prefill the questions of a draft that are still unanswered (e.g. after the GRI energy
    question was answered once the VSME report had been started); never overwrites a stored
    answer. ``{kind: count}`` of what was added; audited."""
    with store.write() as session:
        row = writable_draft(session, principal, assessment_id)
        questions = catalogue.questionnaire(store.catalogue, row.framework, row.profile)
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
        framework, profile = row.framework, row.profile
    cat = store.catalogue
    questions = catalogue.questionnaire(cat, framework, profile).questions
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
    "Link",
    "Source",
    "UNIT_FACTORS",
    "answer_sources",
    "candidates",
    "confirm_unchanged",
    "conversion",
    "links",
    "prefill",
    "prefill_missing",
    "writable_draft",
]
