"""Plausibility checks: number answers that do not fit together ("te controleren").

A number question declares ``plausible_if`` (``frameworks.models.Plausibility``): where an
earlier number answer meets ``when``, its own answer is expected to meet ``expect`` (0 tCO2e
scope 1 beside reported energy use, 0 MWh with employees) or to stand in a ``ratio`` to it.
The compared figure may come from another framework of the same organisation and year (a
sector's accident frequency rate against GRI 403-9's injuries per million hours worked). This
module is the one reading of those declarations; the questionnaire page shows its warnings
beside the question and the passport lists them as "te controleren". A warning never blocks
an answer, a submit or a score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from frameworks.answers import is_number
from frameworks.models import Framework, LocalizedText, Plausibility, split_ref


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


def _figure(check: Plausibility, read: Callable[[str], float | None]) -> float | None:
    """The quantity ``check`` compares with: ``question`` less ``minus``, per ``per``, times
    ``times``; None where a part is unanswered (or ``per`` is 0: no rate exists)."""
    figure = read(check.question)
    if figure is not None and check.minus is not None:
        less = read(check.minus)
        figure = None if less is None else figure - less
    if figure is not None and check.per is not None:
        per = read(check.per)
        figure = None if not per else figure / per
    return None if figure is None else figure * check.times


def _declared(framework: Framework) -> list[tuple[Any, tuple[Plausibility, ...]]]:
    """The questions declaring ``plausible_if`` with their checks, in question order: read
    once per framework (remembered in ``Framework.derived``), not per passport."""
    key = "plausibility.declared"
    found = framework.derived.get(key)
    if found is None:
        found = framework.derived[key] = [
            (question, tuple(checks))
            for question in framework.questions.values()
            # declared by number questions only
            if (checks := getattr(question, "plausible_if", ()))
        ]
    return found


def declares_checks(framework: Framework) -> bool:
    """Whether any question of ``framework`` declares ``plausible_if`` (without any,
    ``implausible`` finds nothing, whatever the answers)."""
    return bool(_declared(framework))


def implausible(
    framework: Framework,
    answers: Mapping[str, Any],
    only: Iterable[str] | None = None,
    others: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[PlausibilityWarning]:
    """Every ``plausible_if`` of ``framework`` that the ``answers`` (question id -> stored
    value) break, in question order; ``only`` limits it to those questions. A reference into
    another framework (``gri:gri_403_9_injuries``) reads ``others`` (framework id -> its
    answers of the same organisation and year); without them it checks nothing. An
    unanswered, "weet niet" or not-applicable value on either side checks nothing."""
    wanted = None if only is None else set(only)
    others = others or {}

    def read(ref: str) -> float | None:
        framework_id, question_id = split_ref(ref)
        if framework_id is None or framework_id == framework.id:
            return _number(answers.get(question_id))
        return _number(others.get(framework_id, {}).get(question_id))

    warnings = []
    for question, checks in _declared(framework):
        if wanted is not None and question.id not in wanted:
            continue
        value = _number(answers.get(question.id))
        if value is None:
            continue
        for check in checks:
            figure = _figure(check, read)
            if figure is None or not check.when.holds(figure) or check.holds(value, figure):
                continue
            warnings.append(
                PlausibilityWarning(question.id, check.question, value, figure, check.message)
            )
    return warnings
