"""Scores one assessment: answers -> question points -> topic, section and overall scores.

The rules are S1..S5 and S8 of the design (``/work/shared/DESIGN.md``):

- S1 points per question type, by the question's own class (``QuestionBase.points_for`` in
  ``frameworks.models``); a question whose maximum is 0 (text, a
  number without thresholds, a yes/no worth 0) is *unscored*: it has a status but never enters
  a numerator or denominator.
- S2 a hidden question (``visible_if`` false) and an ``"n/a"`` answer leave numerator and
  denominator. A condition whose referenced question is unanswered, n/a or itself hidden is
  false (``frameworks.visibility``, the one reading the questionnaire pages also use).
- S3 an unanswered applicable question counts 0 points and stays in the denominator; so does
  one answered "weet niet" (status ``dont_know``: counted apart, never as answered).
  *Completeness* = answered / applicable, where *applicable* means every question (scored or
  not) that is neither hidden nor n/a, in topics that are not left out (materiality 0). Nothing
  applicable gives completeness 1.0.
- S4 topic score = 100 * sum(w_q p_q) / sum(w_q max_q) over its applicable scored questions;
  None ("no score") where it has none or where the profile gives it materiality 0.
- S5 section score = materiality-weighted mean of its non-None topic scores; overall =
  section-weighted mean (``Framework.section_weights``) of the non-None section scores, the
  weights renormalised over the sections that have a score. Where the framework declares
  ``points_total`` (EFQM), section points = score / 100 * weight share * points_total and the
  overall points are their sum.
- S6a gates (``QuestionBase.gate``): an answered, visible value the gate fails, of an
  organisation the gate applies to, is a red flag on the card (``ScoreCard.gates``, evaluated
  here only); ``scoring.passport`` caps the level with it. Never points.
- S8 nothing is rounded here.

``employees`` (the organisation's FTE, None where unknown) hides the questions about
employees at 0 FTE (``frameworks.visibility``) and decides which gates apply.

The framework is compiled once into flat lists (``CompiledFramework``, remembered on the
framework object) so that scoring one assessment, the what-ifs of the improvement plan (kept on
the card as ``ScoreCard.raised``) and ``scoring.batch`` share one reading of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from frameworks.compose import effective_framework
from frameworks.models import DONT_KNOW, NA, Framework, QuestionBase, SectorProfile
from frameworks.visibility import Visibility
from scoring.models import GateResult, QuestionScore, ScoreCard, SectionScore, TopicScore
from scoring.validation import InvalidAnswers, validate_answers

ANSWERED, UNANSWERED, NOT_APPLICABLE, HIDDEN = "answered", "unanswered", "n/a", "hidden"
DONT_KNOW_STATUS = "dont_know"
#: Statuses that are applicable (S3: in the denominator); only ANSWERED earns points.
APPLICABLE = (ANSWERED, UNANSWERED, DONT_KNOW_STATUS)


def question_points(question: QuestionBase, value: Any) -> float:
    """S1: the points a valid, answered ``value`` earns (the question's class decides)."""
    return question.points_for(value)


def max_answer(question: QuestionBase) -> Any:
    """A valid answer that earns the question's maximum points, or None where none does."""
    return question.best_answer()


@dataclass
class CompiledFramework:
    """A framework (already made effective for a profile) as flat lists, ready to score."""

    framework: Framework
    profile_id: str | None
    questions: list[QuestionBase]
    ids: list[str]
    index: dict[str, int]
    types: list[str]
    maxima: list[float]
    weights: list[float]
    topic_of: list[int]
    #: The framework's ``visible_if`` conditions (``frameworks.visibility``, the one reading).
    visibility: Visibility
    topic_ids: list[str]
    topic_section: list[int]
    topic_ranges: list[tuple[int, int]]
    materiality: list[int]
    section_ids: list[str]
    section_weights: list[float]
    section_ranges: list[tuple[int, int]]
    points_total: int | None
    #: Questions some condition refers to: raising them may show or hide others.
    controllers: frozenset[int] = field(default_factory=frozenset)
    #: Points of each question's best valid answer (None where no valid answer reaches it).
    targets: list[float | None] = field(default_factory=list)


def compile_framework(framework: Framework, profile: SectorProfile | None) -> CompiledFramework:
    """Flatten an effective framework plus the profile's materiality into lists."""
    questions: list[QuestionBase] = []
    topic_of: list[int] = []
    topic_ids: list[str] = []
    topic_section: list[int] = []
    topic_ranges: list[tuple[int, int]] = []
    materiality: list[int] = []
    section_ids: list[str] = []
    section_ranges: list[tuple[int, int]] = []
    for s_index, section in enumerate(framework.sections):
        section_ids.append(section.id)
        first_topic = len(topic_ids)
        for topic in section.topics:
            t_index = len(topic_ids)
            topic_ids.append(topic.id)
            topic_section.append(s_index)
            start = len(questions)
            for question in topic.questions:
                questions.append(question)
                topic_of.append(t_index)
            topic_ranges.append((start, len(questions)))
            materiality.append(
                profile.materiality_of(framework.id, topic.id) if profile is not None else 1
            )
        section_ranges.append((first_topic, len(topic_ids)))
    ids = [q.id for q in questions]
    index = {qid: i for i, qid in enumerate(ids)}
    # Built from the compiled list itself, so indices agree even where ids repeat.
    visibility = Visibility(questions)
    weights_by_id = framework.section_weights()
    return CompiledFramework(
        framework=framework,
        profile_id=profile.id if profile is not None else None,
        questions=questions,
        ids=ids,
        index=index,
        types=[q.type for q in questions],  # type: ignore[attr-defined]
        maxima=[float(q.max_points) for q in questions],
        weights=[float(q.weight) for q in questions],
        topic_of=topic_of,
        visibility=visibility,
        topic_ids=topic_ids,
        topic_section=topic_section,
        topic_ranges=topic_ranges,
        materiality=materiality,
        section_ids=section_ids,
        section_weights=[weights_by_id[s] for s in section_ids],
        section_ranges=section_ranges,
        points_total=framework.points_total,
        controllers=visibility.controllers,
        targets=[_target_points(q) for q in questions],
    )


def _target_points(question: QuestionBase) -> float | None:
    best = max_answer(question)
    return question_points(question, best) if best is not None else None


def compiled_for(framework: Framework, profile: SectorProfile | None = None) -> CompiledFramework:
    """The compiled effective framework for ``profile``, remembered on the framework object.

    The memo lives in ``Framework.derived`` (it dies with the framework) and is checked by the
    profile's value, so an equal framework or profile read back from JSON compiles equally.
    """
    memo = framework.derived
    key = ("scoring.compiled", profile.id if profile is not None else None)
    found = memo.get(key)
    if found is not None and found[0] == profile:
        return found[1]
    compiled = compile_framework(effective_framework(framework, profile), profile)
    memo[key] = (profile, compiled)
    return compiled


def evaluate(
    compiled: CompiledFramework, values: list[Any], employees: float | None = None
) -> tuple[list[str], list[float]]:
    """Status and points of every question for ``values`` (one per question, None = none) of
    an organisation with ``employees`` FTE."""
    n = len(values)
    status: list[str] = [UNANSWERED] * n
    points: list[float] = [0.0] * n
    hidden = compiled.visibility.hidden(values, employees)
    questions, maxima = compiled.questions, compiled.maxima
    for i in range(n):
        if i in hidden:
            status[i] = HIDDEN
            continue
        value = values[i]
        if value is None:
            continue
        if isinstance(value, str):
            if value == NA:
                status[i] = NOT_APPLICABLE
                continue
            if value == DONT_KNOW:
                status[i] = DONT_KNOW_STATUS
                continue
        status[i] = ANSWERED
        if maxima[i] > 0:
            points[i] = questions[i].points_for(value)
    return status, points


@dataclass
class Aggregate:
    """Topic, section and overall scores of one evaluated assessment (S3..S5)."""

    topic_scores: list[float | None]
    topic_applicable: list[int]
    topic_answered: list[int]
    section_scores: list[float | None]
    overall: float | None
    completeness: float
    #: Per topic: sum(w_q * max_q) over applicable scored questions (the S4 denominator).
    topic_denominators: list[float]
    #: Over topics not left out: applicable questions answered "weet niet".
    dont_know: int = 0
    answered: int = 0
    applicable: int = 0


def aggregate(compiled: CompiledFramework, status: list[str], points: list[float]) -> Aggregate:
    """S3..S5 over evaluated statuses and points."""
    maxima, weights = compiled.maxima, compiled.weights
    topic_scores: list[float | None] = []
    applicable_counts: list[int] = []
    answered_counts: list[int] = []
    denominators: list[float] = []
    total_applicable = total_answered = total_dont_know = 0
    for t, (start, end) in enumerate(compiled.topic_ranges):
        numerator = denominator = 0.0
        applicable = answered = dont_know = 0
        for i in range(start, end):
            s = status[i]
            if s == ANSWERED or s == UNANSWERED or s == DONT_KNOW_STATUS:
                applicable += 1
                if s == ANSWERED:
                    answered += 1
                elif s == DONT_KNOW_STATUS:
                    dont_know += 1
                if maxima[i] > 0:
                    numerator += weights[i] * points[i]
                    denominator += weights[i] * maxima[i]
        included = compiled.materiality[t] > 0
        topic_scores.append(100.0 * numerator / denominator if included and denominator else None)
        applicable_counts.append(applicable)
        answered_counts.append(answered)
        denominators.append(denominator)
        if included:
            total_applicable += applicable
            total_answered += answered
            total_dont_know += dont_know
    section_scores: list[float | None] = []
    for first, last in compiled.section_ranges:
        weighted = mass = 0.0
        for t in range(first, last):
            score = topic_scores[t]
            if score is not None:
                weighted += compiled.materiality[t] * score
                mass += compiled.materiality[t]
        section_scores.append(weighted / mass if mass else None)
    weighted = mass = 0.0
    for s, score in enumerate(section_scores):
        if score is not None:
            weighted += compiled.section_weights[s] * score
            mass += compiled.section_weights[s]
    overall = weighted / mass if mass else None
    completeness = total_answered / total_applicable if total_applicable else 1.0
    return Aggregate(
        topic_scores,
        applicable_counts,
        answered_counts,
        section_scores,
        overall,
        completeness,
        denominators,
        total_dont_know,
        total_answered,
        total_applicable,
    )


def values_list(compiled: CompiledFramework, answers: Mapping[str, Any]) -> list[Any]:
    """Answers keyed by question id as one value per question (None where absent)."""
    values: list[Any] = [None] * len(compiled.ids)
    for qid, value in answers.items():
        values[compiled.index[qid]] = value
    return values


_set_attribute = object.__setattr__


def _built(cls, fields: dict[str, Any]):
    """A result model from already-checked values with every field given.

    What ``model_construct`` does, minus its per-field alias and default handling: a score card
    holds ~150 of these, and building them dominated the time of one ``score`` call.
    """
    model = cls.__new__(cls)
    _set_attribute(model, "__dict__", fields)
    _set_attribute(model, "__pydantic_fields_set__", set(fields))
    _set_attribute(model, "__pydantic_extra__", None)
    _set_attribute(model, "__pydantic_private__", None)
    return model


def gate_results(
    compiled: CompiledFramework, values: list[Any], status: list[str], employees: float | None
) -> list[GateResult]:
    """S6a, the one evaluation of gates: per gate question that shows and applies at
    ``employees`` FTE, whether its answer fails the gate ("failed"), meets it ("met") or is
    not known yet ("open": unanswered or "weet niet"). Hidden and n/a gate questions and
    topics left out (materiality 0) give nothing."""
    results: list[GateResult] = []
    for i, question in enumerate(compiled.questions):
        gate = question.gate
        if gate is None or compiled.materiality[compiled.topic_of[i]] <= 0:
            continue
        if status[i] not in APPLICABLE or not gate.applies_to(employees):
            continue
        if status[i] == ANSWERED:
            outcome = "failed" if question.gate_fails()(values[i]) else "met"
        else:
            outcome = "open"
        results.append(
            GateResult(
                framework=compiled.framework.id,
                question=question.id,
                topic=compiled.topic_ids[compiled.topic_of[i]],
                status=outcome,
                caps_at=gate.caps_at,
                law={"nl": gate.law.nl, "en": gate.law.en} if gate.law else {},
                source=gate.source or "",
            )
        )
    return results


def score_card(
    compiled: CompiledFramework,
    values: list[Any],
    status: list[str],
    points: list[float],
    employees: float | None = None,
) -> ScoreCard:
    """Build the ScoreCard model of an evaluated assessment."""
    result = aggregate(compiled, status, points)
    questions = {}
    for i, qid in enumerate(compiled.ids):
        value = values[i]
        if isinstance(value, tuple | list):
            value = list(value)  # a copy: the card must not change with the caller's list
        questions[qid] = _built(
            QuestionScore,
            {
                "question": qid,
                "topic": compiled.topic_ids[compiled.topic_of[i]],
                "points": points[i],
                "max": compiled.maxima[i],
                "weight": compiled.weights[i],
                "status": status[i],
                "value": value,
            },
        )
    topics = {
        tid: _built(
            TopicScore,
            {
                "topic": tid,
                "section": compiled.section_ids[compiled.topic_section[t]],
                "score": result.topic_scores[t],
                "materiality": compiled.materiality[t],
                "applicable": result.topic_applicable[t],
                "answered": result.topic_answered[t],
            },
        )
        for t, tid in enumerate(compiled.topic_ids)
    }
    total = compiled.points_total
    sections = {}
    efqm_total = 0.0
    for s, sid in enumerate(compiled.section_ids):
        score = result.section_scores[s]
        efqm = None
        if total is not None and score is not None:
            efqm = score / 100.0 * compiled.section_weights[s] * total
            efqm_total += efqm
        sections[sid] = SectionScore.model_construct(
            section=sid, score=score, weight=compiled.section_weights[s], efqm_points=efqm
        )
    required_open = [
        qid
        for i, qid in enumerate(compiled.ids)
        if status[i] in (UNANSWERED, DONT_KNOW_STATUS)
        and compiled.questions[i].required
        and compiled.materiality[compiled.topic_of[i]] > 0
    ]
    card = ScoreCard.model_construct(
        raised=_raised_overalls(compiled, values, status, points, result, employees),
        framework=compiled.framework.id,
        framework_version=compiled.framework.version,
        profile=compiled.profile_id,
        overall=result.overall,
        completeness=result.completeness,
        required_open=required_open,
        efqm_points=efqm_total if total is not None and result.overall is not None else None,
        answered=result.answered,
        dont_know=result.dont_know,
        open=result.applicable - result.answered - result.dont_know,
        gates=gate_results(compiled, values, status, employees),
        sections=sections,
        topics=topics,
        questions=questions,
    )
    return card


def _raised_overalls(
    compiled: CompiledFramework,
    values: list[Any],
    status: list[str],
    points: list[float],
    result: Aggregate,
    employees: float | None = None,
) -> dict[str, float | None]:
    """S7's what-if where a closed form cannot give it: the overall with one question raised
    to its best answer, for questions that show or hide others (condition references) or that
    no valid answer raises to their maximum (None). Kept on the card, so that the plan of a
    card read back from JSON is the plan of the card as scored."""
    if result.overall is None:
        return {}
    raised: dict[str, float | None] = {}
    for i, target in enumerate(compiled.targets):
        if target is not None and i not in compiled.controllers:
            continue
        if (
            compiled.maxima[i] <= 0
            or status[i] not in APPLICABLE
            or points[i] >= compiled.maxima[i]
            or result.topic_scores[compiled.topic_of[i]] is None
        ):
            continue
        if target is None:
            raised[compiled.ids[i]] = None
            continue
        what_if = list(values)
        what_if[i] = compiled.questions[i].best_answer()
        raised_status, raised_points = evaluate(compiled, what_if, employees)
        raised[compiled.ids[i]] = aggregate(compiled, raised_status, raised_points).overall
    return raised


def score(
    framework: Framework,
    answers: Mapping[str, Any],
    profile: SectorProfile | None = None,
    *,
    employees: float | None = None,
) -> ScoreCard:
    """Score one assessment (S1..S5, S6a, S8).

    ``answers`` maps question ids to values (see ``scoring.validation``); the framework is first
    made effective for ``profile`` (its sector section). ``employees`` is the organisation's
    FTE (None: unknown): at 0 the questions about employees are hidden (S2), and it decides
    which gates apply. Every invalid answer is reported at once by raising
    ``InvalidAnswers``; nothing is scored then.
    """
    compiled = compiled_for(framework, profile)
    problems = validate_answers(compiled.framework, answers)
    if problems:
        raise InvalidAnswers(problems)
    values = values_list(compiled, answers)
    status, points = evaluate(compiled, values, employees)
    return score_card(compiled, values, status, points, employees)
