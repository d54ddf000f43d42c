"""Checking one answer value against its question before it is stored.

The values are exactly those of the scoring engine (``mvo score``), checked and normalised by
the question's own class (``frameworks.models``): ``maturity`` an int 0..4, ``yes_no`` a bool,
``choice`` an option id, ``multi`` a list of distinct option ids, ``number`` an int or float
inside the question's range, ``text`` a string, and ``"n/a"`` where the question allows it.
``None`` clears an answer. Text is kept exactly as given (any Unicode and markup), never
stripped or escaped here.
"""

from __future__ import annotations

from typing import Any

from app.services.errors import InvalidAnswer
from app.services.messages import message
from frameworks.answers import AnswerError

AnswerValue = bool | int | float | str | list[str] | None


def validate_answer(question: Any, value: Any) -> AnswerValue:
    """The value as it will be stored, or ``InvalidAnswer`` saying what is wrong with it.

    Equal answers are stored equally: a maturity of 3.0 becomes 3, a whole number of an
    ``integer`` question an int, and a multi answer its options in questionnaire order (the
    question's class decides, ``QuestionBase.normalise``).
    """
    try:
        return question.normalise(value)
    except AnswerError as error:
        code = error.problems[0][0] if error.problems else "wrong-type"
        detail = "; ".join(text for _code, text in error.problems)
        raise InvalidAnswer(
            message(f"invalid-answer-{code}", question=error.field, detail=detail),
            field=error.field,
        ) from None
