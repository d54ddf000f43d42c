"""Answers are checked before scoring: every problem at once, nothing partly scored.

Covers S1 (values must fit the question type and scale) and S2 (N/A only where allowed).
"""

from __future__ import annotations

import math

import pytest

from scoring import AnswerProblemCode, InvalidAnswers, score, validate_answers


def flatten(problems):
    return [(p.question, p.code) for p in problems]


def test_every_problem_is_reported_together(example):
    """S1: one bad answer per kind, all listed in answer order, none scored."""
    answers = {
        "nope": 1,
        "safety_policy": True,
        "has_prevention_advisor": 1,
        "accidents": 1.5,
        "training_plan": "unknown",
        "training_topics": ["safety", "safety"],
        "energy_mwh": math.inf,
        "energy_story": "x" * 5001,
        "climate_plan": 5,
    }
    with pytest.raises(InvalidAnswers) as caught:
        score(example, answers)
    assert flatten(caught.value.problems) == [
        ("nope", AnswerProblemCode.UNKNOWN_QUESTION),
        ("safety_policy", AnswerProblemCode.WRONG_TYPE),
        ("has_prevention_advisor", AnswerProblemCode.WRONG_TYPE),
        ("accidents", AnswerProblemCode.NOT_INTEGER),
        ("training_plan", AnswerProblemCode.UNKNOWN_OPTION),
        ("training_topics", AnswerProblemCode.DUPLICATE_OPTION),
        ("energy_mwh", AnswerProblemCode.NOT_FINITE),
        ("energy_story", AnswerProblemCode.TOO_LONG),
        ("climate_plan", AnswerProblemCode.OUT_OF_RANGE),
    ]


@pytest.mark.parametrize(
    ("question", "value", "code"),
    [
        ("safety_policy", "3", AnswerProblemCode.WRONG_TYPE),
        ("safety_policy", 2.5, AnswerProblemCode.OUT_OF_RANGE),
        ("safety_policy", -1, AnswerProblemCode.OUT_OF_RANGE),
        ("has_prevention_advisor", "yes", AnswerProblemCode.WRONG_TYPE),
        ("accidents", -1, AnswerProblemCode.OUT_OF_RANGE),
        ("accidents", 10001, AnswerProblemCode.OUT_OF_RANGE),
        ("accidents", True, AnswerProblemCode.WRONG_TYPE),
        ("energy_mwh", math.nan, AnswerProblemCode.NOT_FINITE),
        ("training_plan", 1, AnswerProblemCode.WRONG_TYPE),
        ("training_topics", "safety", AnswerProblemCode.WRONG_TYPE),
        ("training_topics", ["nope"], AnswerProblemCode.UNKNOWN_OPTION),
        ("energy_story", 3, AnswerProblemCode.WRONG_TYPE),
    ],
)
def test_value_outside_the_question_type_is_rejected(example, question, value, code):
    """S1: values outside the scale, of the wrong type, or not finite are problems."""
    assert flatten(validate_answers(example, {question: value})) == [(question, code)]


def test_na_only_where_allowed(example):
    """S2: "n/a" is accepted for accidents (allow_na) and rejected for the safety policy."""
    assert validate_answers(example, {"accidents": "n/a"}) == []
    assert flatten(validate_answers(example, {"safety_policy": "n/a"})) == [
        ("safety_policy", AnswerProblemCode.NA_NOT_ALLOWED)
    ]


def test_none_is_unanswered_not_a_problem(example):
    """S3: None means unanswered."""
    assert validate_answers(example, dict.fromkeys(example.questions)) == []


def test_sector_questions_exist_only_with_the_profile(example, profile):
    """S1: the profile's sector questions are known only when the profile is given."""
    assert score(example, {"sector_charter": True}, profile).questions["sector_charter"].points == 1
    with pytest.raises(InvalidAnswers) as caught:
        score(example, {"sector_charter": True})
    assert flatten(caught.value.problems) == [
        ("sector_charter", AnswerProblemCode.UNKNOWN_QUESTION)
    ]
