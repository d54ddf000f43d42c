"""The improvement plan: closed-form what-if gains checked against real re-scorings.

Covers S7 (gain in the overall score if a question were raised to its maximum; largest first,
material topics first on ties).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks.models import IncludedFramework
from scoring import score
from scoring.engine import compiled_for, max_answer
from scoring.passport import build
from scoring.plan import improvement_plan

CASE_NAMES = ["example", "example+profile", "conditions"]
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def raised(framework, profile, answers, qid):
    compiled = compiled_for(framework, profile)
    return {**answers, qid: max_answer(compiled.questions[compiled.index[qid]])}


def test_gain_by_hand(example):
    """S7: raising the advisor (weight 2 of 8 in safety, one of two topics of people at 60%)
    from no to yes adds 100 * 2/8 * 1/2 * 0.6 = 7.5 to the overall."""
    card = score(example, {"safety_policy": 2, "has_prevention_advisor": False, "accidents": 0})
    steps = {s.question: s for s in improvement_plan({"example": card})}
    assert steps["has_prevention_advisor"].gain == pytest.approx(7.5)
    assert (steps["has_prevention_advisor"].points, steps["has_prevention_advisor"].max) == (0, 1)


def test_plan_is_sorted_by_gain_and_material_topics_first_on_ties(example, profile):
    """S7: largest gain first; equal gains put the more material topic first."""
    card = score(example, {}, profile)
    plan = improvement_plan({"example": card})
    gains = [s.gain for s in plan]
    assert gains == sorted(gains, reverse=True)
    for first, second in zip(plan, plan[1:], strict=False):
        if round(first.gain, 9) == round(second.gain, 9):
            assert first.materiality >= second.materiality


def test_questions_at_maximum_na_hidden_or_left_out_are_not_in_the_plan(example, profile):
    """S7: only scored, visible, applicable questions below their maximum can gain."""
    card = score(
        example,
        {"safety_policy": 4, "accidents": "n/a", "training_plan": "none", "climate_plan": 0},
        profile,
    )
    planned = {s.question for s in improvement_plan({"example": card})}
    assert "safety_policy" not in planned  # at its maximum
    assert "accidents" not in planned  # n/a
    assert "training_topics" not in planned  # hidden
    assert "climate_plan" not in planned  # materiality 0: left out
    assert "energy_story" not in planned  # text: unscored
    assert "has_prevention_advisor" in planned


@pytest.mark.parametrize("case", CASE_NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_each_gain_equals_the_difference_of_two_real_scorings(cases, answers_strategy, case, data):
    """S7: for every question in the plan, score(raised) - score(answers) equals its gain; every
    other question below its maximum would not raise the overall."""
    framework, profile = cases[case]
    answers = data.draw(answers_strategy(framework, profile))
    card = score(framework, answers, profile)
    plan = {s.question: s.gain for s in improvement_plan({framework.id: card})}
    for qid, question in card.questions.items():
        if (
            question.max == 0
            or question.status in ("hidden", "n/a")
            or question.points >= question.max
        ):
            assert qid not in plan
            continue
        after = score(framework, raised(framework, profile, answers, qid), profile)
        real = after.overall - card.overall
        if qid in plan:
            assert plan[qid] == pytest.approx(real, abs=1e-9)
        else:
            assert real <= 1e-9


@PROPERTY_SETTINGS
@given(data=st.data())
def test_passport_gains_equal_two_real_passports(cases, answers_strategy, data):
    """S7: with two weighted frameworks the gain is in the passport overall."""
    example, profile = cases["example+profile"]
    conditions, _ = cases["conditions"]
    both = profile.model_copy(
        update={
            "frameworks": [
                IncludedFramework(id="example", weight=2),
                IncludedFramework(id="conditions", weight=1),
            ]
        }
    )
    frameworks = {"example": example, "conditions": conditions}
    answers = {fid: data.draw(answers_strategy(fw, both)) for fid, fw in frameworks.items()}
    cards = {fid: score(fw, answers[fid], both) for fid, fw in frameworks.items()}
    passport = build(cards, both)
    for step in passport.improvement_plan:
        fw = frameworks[step.framework]
        new_cards = dict(cards)
        new_cards[step.framework] = score(
            fw, raised(fw, both, answers[step.framework], step.question), both
        )
        assert step.gain == pytest.approx(
            build(new_cards, both).overall - passport.overall, abs=1e-9
        )
