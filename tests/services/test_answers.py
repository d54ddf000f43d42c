"""``validate_answer``: the question's class checks and normalises, the app names the problem.

The pure ``AnswerError`` of ``frameworks.answers`` becomes the app's ``InvalidAnswer`` with the
same message as before per-type behaviour moved onto the question classes (issue 10).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.answers import validate_answer
from app.services.errors import InvalidAnswer
from frameworks.loader import load_framework

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "example_framework.yaml"


@pytest.fixture(scope="module")
def framework():
    return load_framework(FIXTURE)


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("safety_policy", 9, "safety_policy: maturity must be a whole number 0..4, got 9"),
        (
            "training_plan",
            "most",
            "training_plan: unknown option 'most'; options are: none, informal, written",
        ),
        (
            "accidents",
            2.5,
            "accidents: expected a whole number, got 2.5",
        ),
    ],
)
def test_invalid_value_is_an_invalid_answer_naming_the_question(
    framework, question, value, message
):
    with pytest.raises(InvalidAnswer) as caught:
        validate_answer(framework.questions[question], value)
    assert caught.value.field == question
    assert str(caught.value) == message


def test_valid_values_are_stored_in_one_form(framework):
    """A maturity of 3.0 is 3, a multi answer its options in questionnaire order."""
    assert validate_answer(framework.questions["safety_policy"], 3.0) == 3
    topics = framework.questions["training_topics"]
    assert validate_answer(topics, ["language", "safety"]) == ["safety", "language"]
