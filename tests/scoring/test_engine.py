"""Worked examples of ``scoring.score``, computed by hand.

Covers S1 (points per type), S2 (N/A and hidden leave numerator and denominator), S3 (unanswered
counts 0, completeness), S4 (topic score, "no score"), S5 (section and overall weighting, EFQM
points), S8 (unrounded).
"""

from __future__ import annotations

import pytest

from scoring import score
from scoring.engine import max_answer, question_points

FULL = {
    "safety_policy": 3,
    "has_prevention_advisor": True,
    "accidents": "n/a",
    "training_plan": "written",
    "training_topics": ["safety", "digital"],
    "energy_mwh": 50,
    "climate_plan": 2,
}


def test_points_per_question_type(example):
    """S1: maturity = level, yes = points, choice = option points, multi = sum capped at cap,
    number via its thresholds, text never scored."""
    card = score(
        example,
        {
            "safety_policy": 3,
            "has_prevention_advisor": True,
            "accidents": 5,
            "training_plan": "informal",
            "training_topics": ["safety", "digital", "language", "leadership"],
            "energy_mwh": 0,
            "energy_story": "zonnepanelen",
        },
    )
    q = card.questions
    assert (q["safety_policy"].points, q["safety_policy"].max) == (3, 4)
    assert (q["has_prevention_advisor"].points, q["has_prevention_advisor"].max) == (2 / 2, 1)
    assert (q["accidents"].points, q["accidents"].max) == (2, 2)
    assert (q["training_plan"].points, q["training_plan"].max) == (1, 3)
    assert (q["training_topics"].points, q["training_topics"].max) == (3, 3)  # 4 chosen, cap 3
    assert (q["energy_mwh"].points, q["energy_mwh"].max) == (1, 1)
    assert (q["energy_story"].points, q["energy_story"].max, q["energy_story"].status) == (
        0,
        0,
        "answered",
    )


def test_yes_no_false_earns_nothing(example):
    """S1: no = 0 points."""
    card = score(example, {"has_prevention_advisor": False})
    assert card.questions["has_prevention_advisor"].points == 0


def test_full_example_by_hand(example):
    """S4/S5: safety (3 + 2*1) / (4 + 2*1) with accidents N/A; training (3 + 2) / (3 + 3);
    people = mean 83.33; energy 100, climate 2/4, planet 75; overall 0.6*83.33 + 0.4*75 = 80."""
    card = score(example, FULL)
    assert card.topics["safety"].score == pytest.approx(500 / 6)
    assert card.topics["training"].score == pytest.approx(500 / 6)
    assert card.topics["energy"].score == pytest.approx(100)
    assert card.topics["climate"].score == pytest.approx(50)
    assert card.sections["people"].score == pytest.approx(500 / 6)
    assert card.sections["planet"].score == pytest.approx(75)
    assert card.sections["people"].weight == pytest.approx(0.6)
    assert card.overall == pytest.approx(80)


def test_completeness_counts_answered_over_applicable(example):
    """S3: 7 applicable (accidents is N/A), 6 answered (energy_story open) -> 6/7."""
    card = score(example, FULL)
    assert card.completeness == pytest.approx(6 / 7)
    assert card.topics["energy"].applicable == 2
    assert card.topics["energy"].answered == 1


def test_unanswered_counts_zero_and_stays_in_denominator(example):
    """S3: without the advisor answer the safety topic is 3 / (4 + 2)."""
    answers = {**FULL, "has_prevention_advisor": None}
    card = score(example, answers)
    assert card.questions["has_prevention_advisor"].status == "unanswered"
    assert card.topics["safety"].score == pytest.approx(100 * 3 / 6)


def test_na_leaves_numerator_and_denominator(example):
    """S2: accidents N/A gives the same safety score as if the question did not exist."""
    card = score(example, FULL)
    assert card.questions["accidents"].status == "n/a"
    assert card.topics["safety"].score == pytest.approx(100 * 5 / 6)


def test_hidden_question_is_left_out_even_with_a_value(example):
    """S2: training_topics is hidden when the plan is "none"; its value then counts nowhere."""
    card = score(example, {**FULL, "training_plan": "none"})
    assert card.questions["training_topics"].status == "hidden"
    assert card.questions["training_topics"].value == ["safety", "digital"]
    assert card.topics["training"].score == 0.0
    assert card.topics["training"].applicable == 1


def test_condition_on_unanswered_question_hides(example):
    """S2: a condition whose question is unanswered is false: hidden."""
    card = score(example, {"training_topics": ["safety"]})
    assert card.questions["training_topics"].status == "hidden"


def test_topic_without_applicable_scored_question_has_no_score(example):
    """S4: climate N/A only -> no score (None, not 0), and the planet section is energy alone."""
    card = score(example, {**FULL, "climate_plan": "n/a"})
    assert card.topics["climate"].score is None
    assert card.sections["planet"].score == pytest.approx(100)
    assert card.overall == pytest.approx(0.6 * 500 / 6 + 0.4 * 100)


def test_section_without_score_leaves_overall_and_weights_renormalise(conditions):
    """S5: with nothing applicable in section one, overall = section two alone."""
    card = score(conditions, {"a": "n/a", "e": "n/a", "h": "top", "i": True})
    assert card.sections["one"].score is None
    assert card.sections["two"].score == pytest.approx(100)  # gamma 100, delta hidden
    assert card.overall == pytest.approx(100)
    assert card.efqm_points == pytest.approx(700)  # only section two: 100% of 70% of 1000


def test_profile_materiality_weights_sections_and_leaves_out_zero(example, profile):
    """S4/S5: safety (materiality 3) 37.5 and training (1) 0 -> people 28.125; climate has
    materiality 0 and is left out; the sector section joins with equal section weights."""
    card = score(
        example,
        {
            "safety_policy": 1,
            "has_prevention_advisor": False,
            "accidents": 4,
            "training_plan": "none",
            "energy_mwh": 10,
            "climate_plan": 4,
            "sector_charter": True,
        },
        profile,
    )
    assert card.profile == "example_sector"
    assert card.topics["safety"].score == pytest.approx(37.5)
    assert card.topics["training"].score == 0
    assert card.topics["climate"].score is None
    assert card.topics["climate"].materiality == 0
    assert card.sections["people"].score == pytest.approx((3 * 37.5 + 0) / 4)
    assert card.sections["planet"].score == pytest.approx(100)
    assert card.sections["sector"].score == pytest.approx(100)
    assert card.overall == pytest.approx((28.125 + 100 + 100) / 3)
    assert card.completeness == pytest.approx(6 / 7)


def test_efqm_points_are_score_times_weight_share_times_total(conditions):
    """S5: section points = score / 100 * weight share * points_total; overall = their sum."""
    card = score(conditions, {"a": True, "e": ["x"], "f": 4, "h": "mid", "i": False, "l": 2})
    alpha = 100 * 1 / 1  # a yes; b hidden (a is not "no")
    beta = 100 * (2 + 0.5 * 4) / (4 + 0.5 * 4)
    one = (alpha + beta) / 2
    gamma = 100 * 1.5 / (2 + 2.5)  # j unanswered so k hidden
    two = (gamma + 50) / 2
    assert card.sections["one"].score == pytest.approx(one)
    assert card.sections["two"].score == pytest.approx(two)
    assert card.sections["one"].efqm_points == pytest.approx(one / 100 * 0.3 * 1000)
    assert card.efqm_points == pytest.approx(one * 3 + two * 7)
    assert card.overall == pytest.approx(0.3 * one + 0.7 * two)


def test_chained_conditions_and_gte(conditions):
    """S2: d shows only when c >= 20, c only when b >= 2, b only when a is no."""
    shown = score(conditions, {"a": False, "b": 2, "c": 20, "d": 1})
    assert [shown.questions[q].status for q in "abcd"] == ["answered"] * 4
    hidden = score(conditions, {"a": False, "b": 1, "c": 20, "d": 1})
    assert [hidden.questions[q].status for q in "abcd"] == [
        "answered",
        "answered",
        "hidden",
        "hidden",
    ]


def test_required_open_lists_visible_unanswered_required_questions(conditions):
    """S3: k is required but only asked when j is "ja"."""
    assert score(conditions, {"j": "nee"}).required_open == []
    assert score(conditions, {"j": "ja"}).required_open == ["k"]
    assert score(conditions, {"j": "ja", "k": 0}).required_open == []


def test_scores_are_not_rounded(example):
    """S8: training with plan informal and one topic: 100 * 2/6, kept unrounded."""
    card = score(example, {"training_plan": "informal", "training_topics": ["safety"]})
    assert card.topics["training"].score == 100 * 2 / 6
    assert round(card.topics["training"].score, 1) != card.topics["training"].score


def test_max_answer_reaches_each_question_maximum(example):
    """S1: the what-if answer of the improvement plan earns the question's maximum."""
    for question in example.questions.values():
        if question.max_points > 0:
            assert question_points(question, max_answer(question)) == question.max_points


def test_integral_float_is_a_maturity_level(example):
    """S1: JSON 3.0 reads as maturity level 3."""
    assert score(example, {"safety_policy": 3.0}).questions["safety_policy"].points == 3
