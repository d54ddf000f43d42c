"""What an answer value is, independent of any one question type: codes, the typed error, cells.

The question classes in ``frameworks.models`` each check, normalise, score and parse their own
values; this module holds what they share and what the layers above them catch:
``AnswerProblemCode`` (why a value is refused), ``AnswerError`` (the pure exception a class
raises; the app turns it into its ``InvalidAnswer`` message, the engine into ``InvalidAnswers``)
and the readers of spreadsheet cells (Flemish numbers, ja/nee). It imports nothing of the
project, so the models can import it without a cycle.
"""

from __future__ import annotations

import math
import numbers
import re
from enum import StrEnum
from typing import Any

NA = "n/a"
#: "Weet niet" (don't know): a real answer, stored as itself, that counts as unanswered in S3
#: (0 points, in the denominator) and puts "find out" in the plan. Not an identifier, so no
#: option id can be mistaken for it.
DONT_KNOW = "dont-know"

#: Words a spreadsheet cell may hold for yes, no and "not applicable" (import, any case).
YES_WORDS = frozenset({"yes", "ja", "j", "y", "true", "waar", "1", "x"})
NO_WORDS = frozenset({"no", "nee", "n", "false", "onwaar", "0"})
NA_WORDS = frozenset({"n/a", "na", "nvt", "n.v.t.", "niet van toepassing", "not applicable"})
DONT_KNOW_WORDS = frozenset(
    {
        "dont-know",
        "weet niet",
        "weetniet",
        "ik weet het niet",
        "don't know",
        "dont know",
        "do not know",
        "unknown",
        "?",
    }
)


class AnswerProblemCode(StrEnum):
    """Why an answer cannot be scored."""

    UNKNOWN_QUESTION = "unknown-question"
    WRONG_TYPE = "wrong-type"
    OUT_OF_RANGE = "out-of-range"
    NOT_FINITE = "not-finite"
    NOT_INTEGER = "not-integer"
    UNKNOWN_OPTION = "unknown-option"
    DUPLICATE_OPTION = "duplicate-option"
    NA_NOT_ALLOWED = "na-not-allowed"
    DONT_KNOW_NOT_ALLOWED = "dont-know-not-allowed"
    TOO_LONG = "too-long"
    DUPLICATE_ANSWER = "duplicate-answer"


class AnswerError(ValueError):
    """A value that is not a valid answer to question ``field``; ``problems`` lists
    (code, message) pairs, and the message joins them after the question id."""

    def __init__(self, field: str, problems: list[tuple[AnswerProblemCode, str]]):
        self.field = field
        self.problems = list(problems)
        super().__init__(f"{field}: " + "; ".join(message for _code, message in self.problems))


def is_bool(value: Any) -> bool:
    """A bool, also numpy's ``bool_`` (neither a bool nor an Integral; pandas hands them over)."""
    return isinstance(value, bool) or type(value).__name__ == "bool_"


def is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not is_bool(value)


def is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not is_bool(value)


def as_maturity(value: Any) -> int | None:
    """The maturity level 0..4 of ``value``, or None where it is not one."""
    if is_int(value) and 0 <= value <= 4:
        return int(value)
    if isinstance(value, float) and value.is_integer() and 0 <= value <= 4:  # JSON 3.0
        return int(value)
    return None


def is_na(value: Any) -> bool:
    return isinstance(value, str) and value == NA


def is_dont_know(value: Any) -> bool:
    return isinstance(value, str) and value == DONT_KNOW


def blank_cell(cell: Any) -> bool:
    """An empty spreadsheet cell: None or only whitespace."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_number(cell: Any) -> float | int:
    """A number from a cell: ints and floats as they are, text in Flemish or English notation
    (``1.234,5``, ``12,5``, ``12.5``). Raises ``ValueError`` where the cell is no number."""
    if isinstance(cell, bool):
        raise ValueError("a yes/no is not a number")
    if isinstance(cell, int | float):
        return cell
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.234,5 (Flemish thousands)
        text = text.replace(".", "")
    text = text.replace(",", ".")
    value = float(text)
    return int(value) if re.fullmatch(r"-?\d+", text) else value


def finite(value: Any) -> bool:
    return not (isinstance(value, float) and not math.isfinite(value))
