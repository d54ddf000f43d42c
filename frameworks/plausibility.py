"""Plausibility checks: number answers that do not fit together ("te controleren").

A number question declares ``plausible_if`` (``frameworks.models.Plausibility``): where an
earlier number answer meets ``when``, its own answer is expected to meet ``expect`` (0 tCO2e
scope 1 beside reported energy use, 0 MWh with employees). This module is the one reading of
those declarations; the questionnaire page shows its warnings beside the question and the
passport lists them as "te controleren". A warning never blocks an answer, a submit or a score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from frameworks.answers import is_number
from frameworks.models import Framework, LocalizedText


@dataclass(frozen=True)
class PlausibilityWarning:
    """The answer to ``question`` does not fit the answer to ``other``: ``message`` says why."""

    question: str
    other: str
    value: float
    other_value: float
    message: LocalizedText


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or not is_number(value):
        return None
    return float(value)


def implausible(
    framework: Framework, answers: Mapping[str, Any], only: Iterable[str] | None = None
) -> list[PlausibilityWarning]:
    """Every ``plausible_if`` of ``framework`` that the ``answers`` (question id -> stored
    value) break, in question order; ``only`` limits it to those questions. An unanswered,
    "weet niet" or not-applicable value on either side checks nothing."""
    wanted = None if only is None else set(only)
    warnings = []
    for question in framework.questions.values():
        checks = getattr(question, "plausible_if", ())  # declared by number questions only
        if not checks:
            continue
        if wanted is not None and question.id not in wanted:
            continue
        value = _number(answers.get(question.id))
        if value is None:
            continue
        for check in checks:
            other = _number(answers.get(check.question))
            if other is not None and check.minus is not None:
                less = _number(answers.get(check.minus))
                other = None if less is None else other - less
            if other is None or not check.when.holds(other) or check.expect.holds(value):
                continue
            warnings.append(
                PlausibilityWarning(question.id, check.question, value, other, check.message)
            )
    return warnings
