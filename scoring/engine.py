"""Scores one assessment: answers -> question points -> topic, section and overall scores.

The rules are S1..S5 and S8 of the design (``/work/shared/DESIGN.md``):

- S1 points per question type (see ``question_points``); a question whose maximum is 0 (text, a
  number without thresholds, a yes/no worth 0) is *unscored*: it has a status but never enters
  a numerator or denominator.
- S2 a hidden question (``visible_if`` false) and an ``"n/a"`` answer leave numerator and
  denominator. A condition whose referenced question is unanswered, n/a or itself hidden is
  false.
- S3 an unanswered applicable question counts 0 points and stays in the denominator.
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
- S8 nothing is rounded here.

The framework is compiled once into flat lists (``CompiledFramework``) so that scoring one
assessment, the what-if of the improvement plan and ``scoring.batch`` share one reading of it.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from frameworks.compose import effective_framework
from frameworks.models import (
    NA,
    ChoiceQuestion,
    Condition,
    Framework,
    MaturityQuestion,
    MultiQuestion,
    NumberQuestion,
    QuestionBase,
    SectorProfile,
    YesNoQuestion,
)
from scoring.models import QuestionScore, ScoreCard, SectionScore, TopicScore
from scoring.validation import InvalidAnswers, as_maturity, validate_answers

ANSWERED, UNANSWERED, NOT_APPLICABLE, HIDDEN = "answered", "unanswered", "n/a", "hidden"


@dataclass(frozen=True)
class CompiledCondition:
    """A ``visible_if`` read for the type of the question it refers to."""

    ref: int
    ref_type: str
    #: "in" with ``values`` normalised to the referenced type, or "gte" with ``threshold``.
    kind: str
    values: frozenset = frozenset()
    threshold: float = 0.0

    def matches(self, value: Any) -> bool:
        """Whether the (answered, visible) referenced value meets the condition."""
        if self.kind == "gte":
            if self.ref_type == "maturity" or self.ref_type == "number":
                return float(value) >= self.threshold
            return False
        if self.ref_type == "multi":
            return any(v in self.values for v in value)
        if self.ref_type == "yes_no":
            return bool(value) in self.values
        if self.ref_type in ("maturity", "number"):
            return float(value) in self.values
        return value in self.values


def _compile_condition(condition: Condition, ref: int, ref_question: QuestionBase):
    ref_type = ref_question.type  # type: ignore[attr-defined]
    if condition.gte is not None:
        return CompiledCondition(ref, ref_type, "gte", threshold=float(condition.gte))
    raw = condition.in_ or []
    values: set = set()
    for item in raw:
        if ref_type == "yes_no":
            if isinstance(item, bool):
                values.add(item)
            elif item in ("yes", "no"):
                values.add(item == "yes")
        elif ref_type in ("maturity", "number"):
            if isinstance(item, int | float) and not isinstance(item, bool):
                values.add(float(item))
        elif isinstance(item, str):
            values.add(item)
    return CompiledCondition(ref, ref_type, "in", values=frozenset(values))


def question_points(question: QuestionBase, value: Any) -> float:
    """S1: the points a valid, answered ``value`` earns (0 for unscored types)."""
    if isinstance(question, MaturityQuestion):
        return float(as_maturity(value) or 0)
    if isinstance(question, YesNoQuestion):
        return question.points if value else 0.0
    if isinstance(question, ChoiceQuestion):
        for option in question.options:
            if option.id == value:
                return option.points
        return 0.0
    if isinstance(question, MultiQuestion):
        chosen = set(value)
        total = sum(o.points for o in question.options if o.id in chosen)
        return min(total, question.cap) if question.cap is not None else total
    if isinstance(question, NumberQuestion):
        return question.points_for(float(value)) if question.thresholds else 0.0
    return 0.0


def max_answer(question: QuestionBase) -> Any:
    """A valid answer that earns the question's maximum points, or None where none does."""
    if isinstance(question, MaturityQuestion):
        return 4
    if isinstance(question, YesNoQuestion):
        return True
    if isinstance(question, ChoiceQuestion):
        best = question.max_points
        return next(o.id for o in question.options if o.points == best)
    if isinstance(question, MultiQuestion):
        return [o.id for o in question.options]
    if isinstance(question, NumberQuestion):
        best = question.max_points
        for step in question.thresholds:
            if step.points != best:
                continue
            candidate = math.ceil(step.gte) if question.integer else step.gte
            if question.min is not None:
                candidate = max(candidate, question.min)
            if question.max is not None and candidate > question.max:
                continue
            if question.integer:
                candidate = int(math.ceil(candidate))
            if question.points_for(candidate) == best:
                return candidate
        return None
    return None


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
    conditions: list[CompiledCondition | None]
    #: Question indices in an order where each condition's reference comes first.
    order: list[int]
    #: Questions in a cycle of conditions: always hidden (``frameworks.rules`` reports cycles).
    cyclic: frozenset[int]
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
    conditions: list[CompiledCondition | None] = []
    for question in questions:
        condition = question.visible_if
        if condition is None:
            conditions.append(None)
        elif condition.question not in index:
            # A dangling reference can never be met: hidden (the rules module reports it).
            conditions.append(CompiledCondition(-1, "text", "in"))
        else:
            ref = index[condition.question]
            conditions.append(_compile_condition(condition, ref, questions[ref]))
    order, cyclic = _condition_order(conditions)
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
        conditions=conditions,
        order=order,
        cyclic=frozenset(cyclic),
        topic_ids=topic_ids,
        topic_section=topic_section,
        topic_ranges=topic_ranges,
        materiality=materiality,
        section_ids=section_ids,
        section_weights=[weights_by_id[s] for s in section_ids],
        section_ranges=section_ranges,
        points_total=framework.points_total,
        controllers=frozenset(c.ref for c in conditions if c is not None and c.ref >= 0),
        targets=[_target_points(q) for q in questions],
    )


def _target_points(question: QuestionBase) -> float | None:
    best = max_answer(question)
    return question_points(question, best) if best is not None else None


def _condition_order(conditions: list[CompiledCondition | None]) -> tuple[list[int], set[int]]:
    """Topological order of questions over their condition references; cycles set apart."""
    order: list[int] = []
    state = [0] * len(conditions)  # 0 new, 1 on the path, 2 done
    cyclic: set[int] = set()
    for start in range(len(conditions)):
        path: list[int] = []
        node = start
        while state[node] == 0:
            state[node] = 1
            path.append(node)
            condition = conditions[node]
            if condition is None or condition.ref < 0:
                break
            node = condition.ref
        else:
            if state[node] == 1:  # back on the current path: a cycle from node onwards
                cyclic.update(path[path.index(node) :])
        for done in reversed(path):
            state[done] = 2
            order.append(done)
    return order, cyclic


_compiled_cache: dict[tuple[int, int], tuple[Framework, SectorProfile | None, Any]] = {}
_CACHE_SIZE = 64
_cache_lock = threading.Lock()


def compiled_for(framework: Framework, profile: SectorProfile | None = None) -> CompiledFramework:
    """The compiled effective framework for ``profile``, cached per (framework, profile) object.

    Frameworks are frozen, so the identity of the objects is a safe key; the cache holds the
    objects themselves so an id is never reused while its entry lives.
    """
    key = (id(framework), id(profile))
    hit = _compiled_cache.get(key)
    if hit is not None and hit[0] is framework and hit[1] is profile:
        return hit[2]
    compiled = compile_framework(effective_framework(framework, profile), profile)
    with _cache_lock:  # Streamlit serves sessions from several threads
        while len(_compiled_cache) >= _CACHE_SIZE:
            _compiled_cache.pop(next(iter(_compiled_cache)))
        _compiled_cache[key] = (framework, profile, compiled)
    return compiled


def evaluate(compiled: CompiledFramework, values: list[Any]) -> tuple[list[str], list[float]]:
    """Status and points of every question for ``values`` (one per question, None = none)."""
    n = len(values)
    status: list[str] = [UNANSWERED] * n
    points: list[float] = [0.0] * n
    conditions = compiled.conditions
    for i in compiled.order:
        condition = conditions[i]
        if condition is not None:
            ref = condition.ref
            if (
                i in compiled.cyclic
                or ref < 0
                or status[ref] != ANSWERED
                or not condition.matches(values[ref])
            ):
                status[i] = HIDDEN
                continue
        value = values[i]
        if value is None:
            continue
        if isinstance(value, str) and value == NA:
            status[i] = NOT_APPLICABLE
            continue
        status[i] = ANSWERED
        if compiled.maxima[i] > 0:
            points[i] = question_points(compiled.questions[i], value)
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


def aggregate(compiled: CompiledFramework, status: list[str], points: list[float]) -> Aggregate:
    """S3..S5 over evaluated statuses and points."""
    maxima, weights = compiled.maxima, compiled.weights
    topic_scores: list[float | None] = []
    applicable_counts: list[int] = []
    answered_counts: list[int] = []
    denominators: list[float] = []
    total_applicable = total_answered = 0
    for t, (start, end) in enumerate(compiled.topic_ranges):
        numerator = denominator = 0.0
        applicable = answered = 0
        for i in range(start, end):
            s = status[i]
            if s == ANSWERED or s == UNANSWERED:
                applicable += 1
                if s == ANSWERED:
                    answered += 1
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


def score_card(
    compiled: CompiledFramework, values: list[Any], status: list[str], points: list[float]
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
        if status[i] == UNANSWERED
        and compiled.questions[i].required
        and compiled.materiality[compiled.topic_of[i]] > 0
    ]
    card = ScoreCard.model_construct(
        framework=compiled.framework.id,
        framework_version=compiled.framework.version,
        profile=compiled.profile_id,
        overall=result.overall,
        completeness=result.completeness,
        required_open=required_open,
        efqm_points=efqm_total if total is not None and result.overall is not None else None,
        sections=sections,
        topics=topics,
        questions=questions,
    )
    _scored_against[id(card)] = compiled
    weakref.finalize(card, _scored_against.pop, id(card), None)
    return card


def score(
    framework: Framework, answers: Mapping[str, Any], profile: SectorProfile | None = None
) -> ScoreCard:
    """Score one assessment (S1..S5, S8).

    ``answers`` maps question ids to values (see ``scoring.validation``); the framework is first
    made effective for ``profile`` (its sector section). Every invalid answer is reported at once
    by raising ``InvalidAnswers``; nothing is scored then.
    """
    compiled = compiled_for(framework, profile)
    problems = validate_answers(compiled.framework, answers)
    if problems:
        raise InvalidAnswers(problems)
    values = values_list(compiled, answers)
    status, points = evaluate(compiled, values)
    return score_card(compiled, values, status, points)


#: id(ScoreCard) -> the compiled framework it was scored against, while the card lives. Kept
#: beside the card (not on it) so that cards stay plain data: equal after a JSON round trip.
_scored_against: dict[int, CompiledFramework] = {}


def compiled_of(card: ScoreCard) -> CompiledFramework | None:
    """The compiled framework a ScoreCard was scored against, where this process scored it."""
    return _scored_against.get(id(card))
