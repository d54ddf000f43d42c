"""Checking one answer value against its question before it is stored.

The values are exactly those of the scoring engine (``mvo score``), checked by the engine's own
``scoring.validation.check_answer``: ``maturity`` an int 0..4, ``yes_no`` a bool, ``choice`` an
option id, ``multi`` a list of distinct option ids, ``number`` an int or float inside the
question's range, ``text`` a string, and ``"n/a"`` where the question allows it. ``None``
clears an answer. Text is kept exactly as given (any Unicode and markup), never stripped or
escaped here.
"""

from __future__ import annotations

from typing import Any

from app.services.errors import InvalidAnswer
from frameworks.models import NA
from scoring.validation import as_maturity, check_answer

AnswerValue = bool | int | float | str | list[str] | None


def validate_answer(question: Any, value: Any) -> AnswerValue:
    """The value as it will be stored, or ``InvalidAnswer`` saying what is wrong with it.

    Equal answers are stored equally: a maturity of 3.0 becomes 3, a whole number of an
    ``integer`` question an int, and a multi answer its options in questionnaire order.
    """
    problems = list(check_answer(question, value))
    if problems:
        message = "; ".join(text for _code, text in problems)
        raise InvalidAnswer(f"{question.id}: {message}", field=question.id)
    if value is None or (isinstance(value, str) and value == NA):
        return value
    kind = question.type
    if kind == "maturity":
        return as_maturity(value)
    if kind == "yes_no":
        return bool(value)
    if kind == "multi":
        chosen = set(value)
        return [o.id for o in question.options if o.id in chosen]
    if kind == "number":
        return (
            int(value)
            if question.integer
            else (int(value) if isinstance(value, int) else float(value))
        )
    return value
