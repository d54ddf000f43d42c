"""Checks answers against a framework before anything is scored.

An answer is never partly scored: ``validate_answers`` collects every problem of a set of
answers (unknown question ids, wrong types, values outside the scale, NaN/inf numbers, N/A where
the question does not allow it) and ``scoring.score`` raises ``InvalidAnswers`` carrying all of
them. The store, the importer and the CLI use the same checks, so an answer means the same
everywhere:

=========  =====================================================================
type       accepted value
=========  =====================================================================
maturity   int 0..4 (an integral float such as ``3.0`` is read as 3; bool rejected)
yes_no     bool
choice     an option id (str)
multi      a list of distinct option ids (may be empty)
number     int or float, finite, within ``min``/``max``, integral where ``integer``
text       str of at most ``max_length`` characters
any        ``"n/a"`` where the question has ``allow_na``; ``None`` = unanswered
=========  =====================================================================
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from frameworks.models import (
    NA,
    ChoiceQuestion,
    Framework,
    MaturityQuestion,
    MultiQuestion,
    NumberQuestion,
    QuestionBase,
    TextQuestion,
    YesNoQuestion,
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
    TOO_LONG = "too-long"
    DUPLICATE_ANSWER = "duplicate-answer"


@dataclass(frozen=True)
class AnswerProblem:
    """One problem with one answer: which question, a code, and a message saying why."""

    question: str
    code: AnswerProblemCode
    message: str
    #: Set by ``scoring.batch`` where many assessments are checked at once.
    assessment: Any = None

    def __str__(self) -> str:
        where = f"assessment {self.assessment}, " if self.assessment is not None else ""
        return f"{where}question {self.question}: {self.message} [{self.code}]"


class InvalidAnswers(ValueError):
    """Raised instead of scoring when any answer is invalid; ``problems`` lists every one."""

    def __init__(self, problems: list[AnswerProblem]):
        self.problems = list(problems)
        lines = "\n".join(f"- {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} invalid answer(s):\n{lines}")


def _is_bool(value: Any) -> bool:
    # numpy's bool_ is neither a bool nor an Integral; values from pandas may be one.
    return isinstance(value, bool) or type(value).__name__ == "bool_"


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not _is_bool(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not _is_bool(value)


def as_maturity(value: Any) -> int | None:
    """The maturity level 0..4 of ``value``, or None where it is not one."""
    if _is_int(value) and 0 <= value <= 4:
        return int(value)
    if isinstance(value, float) and value.is_integer() and 0 <= value <= 4:  # JSON 3.0
        return int(value)
    return None


def check_answer(question: QuestionBase, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
    """Yield (code, message) for everything wrong with one answer (None = unanswered is fine)."""
    if value is None:
        return
    if isinstance(value, str) and value == NA:
        if not question.allow_na:
            yield (
                AnswerProblemCode.NA_NOT_ALLOWED,
                "'n/a' is not allowed for this question. Please either answer it, or leave it "
                "unanswered.",
            )
        return
    if isinstance(question, MaturityQuestion):
        if as_maturity(value) is None:
            if _is_number(value) and not (isinstance(value, float) and not math.isfinite(value)):
                yield (
                    AnswerProblemCode.OUT_OF_RANGE,
                    f"maturity must be a whole number 0..4, got {value!r}",
                )
            else:
                yield (
                    AnswerProblemCode.WRONG_TYPE,
                    f"maturity must be a whole number 0..4, got {type(value).__name__} {value!r}",
                )
    elif isinstance(question, YesNoQuestion):
        if not _is_bool(value):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"yes/no must be true or false, got {type(value).__name__} {value!r}",
            )
    elif isinstance(question, ChoiceQuestion):
        if not isinstance(value, str):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"choice must be an option id, got {type(value).__name__} {value!r}",
            )
        elif value not in {o.id for o in question.options}:
            options = ", ".join(o.id for o in question.options)
            yield (
                AnswerProblemCode.UNKNOWN_OPTION,
                f"unknown option {value!r}; options are: {options}",
            )
    elif isinstance(question, MultiQuestion):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"multi must be a list of option ids, got {type(value).__name__} {value!r}",
            )
            return
        known = {o.id for o in question.options}
        unknown = [v for v in value if v not in known]
        if unknown:
            options = ", ".join(o.id for o in question.options)
            yield (
                AnswerProblemCode.UNKNOWN_OPTION,
                f"unknown option(s) {', '.join(map(repr, unknown))}; options are: {options}",
            )
        if len(set(value)) != len(value):
            yield (AnswerProblemCode.DUPLICATE_OPTION, "an option is chosen more than once")
    elif isinstance(question, NumberQuestion):
        if not _is_number(value):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"expected a number ({question.unit}), got {type(value).__name__} {value!r}",
            )
            return
        if not math.isfinite(float(value)):
            yield (AnswerProblemCode.NOT_FINITE, f"the number must be finite, got {value!r}")
            return
        if question.integer and not float(value).is_integer():
            yield (AnswerProblemCode.NOT_INTEGER, f"expected a whole number, got {value!r}")
        if question.min is not None and value < question.min:
            yield (
                AnswerProblemCode.OUT_OF_RANGE,
                f"{value!r} is below the minimum {question.min:g} {question.unit}",
            )
        if question.max is not None and value > question.max:
            yield (
                AnswerProblemCode.OUT_OF_RANGE,
                f"{value!r} is above the maximum {question.max:g} {question.unit}",
            )
    elif isinstance(question, TextQuestion):
        if not isinstance(value, str):
            yield (
                AnswerProblemCode.WRONG_TYPE,
                f"text must be a string, got {type(value).__name__} {value!r}",
            )
        elif len(value) > question.max_length:
            yield (
                AnswerProblemCode.TOO_LONG,
                f"text has {len(value)} characters, at most {question.max_length} allowed",
            )


def validate_answers(framework: Framework, answers: Mapping[str, Any]) -> list[AnswerProblem]:
    """Every problem of ``answers`` against the (effective) ``framework``, in answer order."""
    problems: list[AnswerProblem] = []
    questions = framework.questions
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            problems.append(
                AnswerProblem(
                    str(question_id),
                    AnswerProblemCode.UNKNOWN_QUESTION,
                    f"no question {question_id!r} in framework {framework.id} {framework.version}",
                )
            )
            continue
        for code, message in check_answer(question, value):
            problems.append(AnswerProblem(question_id, code, message))
    return problems
