"""Checks answers against a framework before anything is scored.

An answer is never partly scored: ``validate_answers`` collects every problem of a set of
answers (unknown question ids, wrong types, values outside the scale, NaN/inf numbers, N/A where
the question does not allow it) and ``scoring.score`` raises ``InvalidAnswers`` carrying all of
them. Each question class checks its own values (``frameworks.models``, ``QuestionBase.check``);
the store, the importer and the CLI use the same checks, so an answer means the same
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

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from frameworks.answers import AnswerProblemCode, as_maturity
from frameworks.models import Framework, QuestionBase

__all__ = [
    "AnswerProblem",
    "AnswerProblemCode",
    "InvalidAnswers",
    "as_maturity",
    "check_answer",
    "validate_answers",
]


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


def check_answer(question: QuestionBase, value: Any) -> Iterator[tuple[AnswerProblemCode, str]]:
    """Yield (code, message) for everything wrong with one answer (None = unanswered is fine);
    the question's class knows its values (``QuestionBase.check``)."""
    return question.check(value)


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
