"""Properties of ``scoring.score`` that must hold for any valid answers (hypothesis).

Covers S2 (N/A and hidden questions leave the score alone whatever their value), S3/S4 (raising
an answer never lowers its topic score), S5 (scores stay in [0, 100]; question and answer order
do not matter).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks.compose import effective_framework
from frameworks.models import DONT_KNOW, Framework
from scoring import score
from scoring.engine import compiled_for, question_points

CASE_NAMES = ["example", "example+profile", "conditions"]
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def all_scores(card) -> list[float | None]:
    return (
        [card.overall]
        + [s.score for s in card.sections.values()]
        + [t.score for t in card.topics.values()]
    )


def same(left, right) -> bool:
    return all(
        (a is None and b is None)
        or (a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9))
        for a, b in zip(all_scores(left), all_scores(right), strict=True)
    )


@pytest.mark.parametrize("case", CASE_NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_scores_stay_between_0_and_100(cases, answers_strategy, case, data):
    """S5: every topic, section and overall score is in [0, 100]; completeness in [0, 1]."""
    framework, profile = cases[case]
    card = score(framework, data.draw(answers_strategy(framework, profile)), profile)
    for value in all_scores(card):
        assert value is None or 0.0 <= value <= 100.0
    assert 0.0 <= card.completeness <= 1.0
    if card.efqm_points is not None:
        assert 0.0 <= card.efqm_points <= framework.points_total


@pytest.mark.parametrize("case", CASE_NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_hidden_questions_leave_scores_alone_whatever_their_value(
    cases, answers_strategy, case, data
):
    """S2: replacing the value of every hidden question by another valid one changes nothing."""
    framework, profile = cases[case]
    answers = data.draw(answers_strategy(framework, profile))
    card = score(framework, answers, profile)
    other = data.draw(answers_strategy(framework, profile))
    changed = dict(answers)
    for qid, question in card.questions.items():
        if question.status == "hidden":
            changed[qid] = other.get(qid)
    again = score(framework, changed, profile)
    assert [q.status for q in again.questions.values()] == [
        q.status for q in card.questions.values()
    ]
    assert same(card, again)


def _without(framework: Framework, qid: str) -> Framework | None:
    sections = []
    for section in framework.sections:
        topics = []
        for topic in section.topics:
            questions = [q for q in topic.questions if q.id != qid]
            if not questions:
                return None
            topics.append(topic.model_copy(update={"questions": questions}))
        sections.append(section.model_copy(update={"topics": topics}))
    fields = {name: getattr(framework, name) for name in Framework.model_fields}
    fields["sections"] = sections
    return Framework(**fields)


@pytest.mark.parametrize("case", ["example", "conditions"])
@PROPERTY_SETTINGS
@given(data=st.data())
def test_na_question_scores_as_if_it_did_not_exist(cases, answers_strategy, case, data):
    """S2: an "n/a" answer gives the same scores as the questionnaire without that question."""
    framework, _ = cases[case]
    answers = data.draw(answers_strategy(framework, None))
    card = score(framework, answers, None)
    for qid, question in card.questions.items():
        if question.status != "n/a":
            continue
        smaller = _without(framework, qid)
        if smaller is None:
            continue
        rest = {k: v for k, v in answers.items() if k != qid}
        assert same(card, score(smaller, rest))


@pytest.mark.parametrize("case", CASE_NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_raising_an_answer_never_lowers_its_topic_score(
    cases, answers_strategy, values_of, case, data
):
    """S4: a higher-scoring answer to a question that shows no follow-up questions never lowers
    its topic score. (Raising a question that shows follow-ups adds them, unanswered, to the
    denominator — S3 — so for those the property is not claimed.)"""
    framework, profile = cases[case]
    compiled = compiled_for(framework, profile)
    answers = data.draw(answers_strategy(framework, profile))
    card = score(framework, answers, profile)
    qid = data.draw(st.sampled_from(compiled.ids))
    question = compiled.questions[compiled.index[qid]]
    status = card.questions[qid].status
    if compiled.index[qid] in compiled.controllers or status not in ("answered", "unanswered"):
        return
    new = data.draw(values_of(question).filter(lambda v: v not in ("n/a", DONT_KNOW)))
    before = card.questions[qid].points
    if question_points(question, new) < before:
        return
    raised = score(framework, {**answers, qid: new}, profile)
    topic = card.questions[qid].topic
    if card.topics[topic].score is not None:
        assert raised.topics[topic].score >= card.topics[topic].score - 1e-9


@pytest.mark.parametrize("case", CASE_NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_answer_order_does_not_matter(cases, answers_strategy, case, data):
    """S5: the same answers in another order give the identical score card."""
    framework, profile = cases[case]
    answers = data.draw(answers_strategy(framework, profile))
    shuffled = dict(data.draw(st.permutations(list(answers.items()))))
    assert (
        score(framework, shuffled, profile).model_dump()
        == score(framework, answers, profile).model_dump()
    )


@pytest.mark.parametrize("case", CASE_NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_question_order_within_topics_does_not_matter(cases, answers_strategy, case, data):
    """S4/S5: reversing the questions of every topic leaves all scores the same."""
    framework, profile = cases[case]
    effective = effective_framework(framework, profile)
    sections = [
        section.model_copy(
            update={
                "topics": [
                    topic.model_copy(update={"questions": list(reversed(topic.questions))})
                    for topic in section.topics
                ]
            }
        )
        for section in effective.sections
    ]
    fields = {name: getattr(effective, name) for name in Framework.model_fields}
    fields["sections"] = sections
    reversed_framework = Framework(**fields)
    answers = data.draw(answers_strategy(framework, profile))
    plain_profile = profile.model_copy(update={"sector_section": None}) if profile else None
    assert same(
        score(framework, answers, profile), score(reversed_framework, answers, plain_profile)
    )
