"""S7: the improvement plan — what each question would add to the overall score at its maximum.

The overall score is a chain of weighted means (topic -> section -> framework overall ->
passport overall), so raising one question's points changes it linearly and the gain of every
question follows in closed form, in one pass over the score cards, without rescoring::

    gain_q = 100 * w_q * (max_q - p_q) / D_t      # topic: D_t = sum(w * max) over applicable
           * m_t / M_s                            # section: M_s = materiality of scored topics
           * w_s / W_f                            # framework: W_f = weight of scored sections
           * v_f / V                              # passport: V = weight of scored frameworks

The exceptions are a question that a ``visible_if`` condition refers to (raising it may show
or hide other questions, which changes the denominators) and a number whose maximum no valid
answer reaches. The engine evaluates those few what-ifs (a handful per framework) when it
scores, and the card carries them in ``ScoreCard.raised``; the plan is a function of the score
cards alone, so a card read back from JSON (the department's batch) plans like a fresh one.

A question answered "weet niet" is in the plan like an unanswered one (S3), flagged
``find_out`` ("zoek uit"): the first step is to find out.

The plan lists every scored, visible, not-n/a question below its maximum whose gain is positive,
largest gain first; ties (to 1e-9) put the more material topic first, then questionnaire order.
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.engine import APPLICABLE, DONT_KNOW_STATUS, _built
from scoring.models import ImprovementStep, ScoreCard

TIE_DIGITS = 9


def weighted_overall(
    overalls: Mapping[str, float | None], weights: Mapping[str, float]
) -> float | None:
    """The passport overall: the weighted mean of the frameworks' overalls that are not None."""
    total = mass = 0.0
    for framework_id, overall in overalls.items():
        if overall is not None:
            total += weights.get(framework_id, 1.0) * overall
            mass += weights.get(framework_id, 1.0)
    return total / mass if mass else None


def improvement_plan(
    scorecards: Mapping[str, ScoreCard], weights: Mapping[str, float] | None = None
) -> list[ImprovementStep]:
    """S7: every question's gain in the (passport) overall if raised to its maximum.

    ``weights`` are the frameworks' weights in the passport overall (default 1 each); with one
    score card the gain is in that framework's overall.
    """
    weights = dict(weights or {})
    overalls = {fid: card.overall for fid, card in scorecards.items()}
    base = weighted_overall(overalls, weights)
    if base is None:
        return []
    passport_mass = sum(weights.get(f, 1.0) for f, o in overalls.items() if o is not None)
    steps: list[tuple[tuple, ImprovementStep]] = []
    threshold = 10.0**-TIE_DIGITS
    for f_order, (framework_id, card) in enumerate(scorecards.items()):
        if card.overall is None:
            continue
        questions = card.questions.values()
        topic_denominator: dict[str, float] = {}
        for q in questions:
            if q.max > 0 and q.status in APPLICABLE:
                topic_denominator[q.topic] = topic_denominator.get(q.topic, 0.0) + q.weight * q.max
        section_mass: dict[str, float] = {}
        for topic in card.topics.values():
            if topic.score is not None:
                section_mass[topic.section] = section_mass.get(topic.section, 0.0) + (
                    topic.materiality
                )
        framework_mass = sum(s.weight for s in card.sections.values() if s.score is not None)
        framework_share = weights.get(framework_id, 1.0) / passport_mass
        topics, sections, raised_overalls = card.topics, card.sections, card.raised
        # per topic read once: (materiality, section), None where left out (no score)
        factors: dict[str, tuple[int, str] | None] = {}
        for q_order, q in enumerate(questions):
            q_max, q_points = q.max, q.points
            if q_max <= 0 or q_points >= q_max or q.status not in APPLICABLE:
                continue
            topic_id = q.topic
            if topic_id not in factors:
                topic = topics[topic_id]
                factors[topic_id] = (
                    None if topic.score is None else (topic.materiality, topic.section)
                )
            found = factors[topic_id]
            if found is None:
                continue  # left out of the passport (materiality 0)
            materiality, section_id = found
            qid = q.question
            if qid in raised_overalls:
                what_if = raised_overalls[qid]
                if what_if is None:
                    continue  # no valid answer reaches the maximum (out of the question's range)
                raised = dict(overalls)
                raised[framework_id] = what_if
                new = weighted_overall(raised, weights)
                gain = (new - base) if new is not None else -base
            else:
                gain = (
                    100.0
                    * q.weight
                    * (q_max - q_points)
                    / topic_denominator[topic_id]
                    * materiality
                    / section_mass[section_id]
                    * sections[section_id].weight
                    / framework_mass
                    * framework_share
                )
            if gain <= threshold:
                continue
            step = _built(
                ImprovementStep,
                {
                    "framework": framework_id,
                    "question": qid,
                    "topic": topic_id,
                    "materiality": materiality,
                    "gain": gain,
                    "points": q_points,
                    "max": q_max,
                    "find_out": q.status == DONT_KNOW_STATUS,
                },
            )
            steps.append(((-round(gain, TIE_DIGITS), -materiality, f_order, q_order), step))
    steps.sort(key=lambda pair: pair[0])
    return [step for _, step in steps]
