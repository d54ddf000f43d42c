"""The one reading of ``visible_if``: which questions of a questionnaire show for given answers.

S2 of the design: a question whose condition is false is hidden. A condition is false when the
question it refers to is unanswered, "n/a", itself hidden (so chains q1 -> q2 -> q3 hide q3
when q1 hides q2), a question that does not exist, or part of a cycle of conditions (the rules
module reports both), and a question ``about_employees`` is hidden where the organisation
has 0 employees (FTE 0; an unknown FTE hides nothing), and so is every question whose
condition refers to it. The referenced question's class reads the condition
(``QuestionBase.condition_test``), so a yes/no compares ``yes``/``no``, a maturity compares
numbers, a multi matches any chosen option.

The scoring engine, ``scoring.batch``, the questionnaire pages (which questions to draw, the
counters) and the required-open list all call this module; nothing else evaluates a condition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from frameworks.answers import DONT_KNOW, NA
from frameworks.models import Framework, QuestionBase

_DANGLING = -1


class Visibility:
    """The conditions of a list of questions, compiled once: reference index, test, order."""

    def __init__(self, questions: Sequence[QuestionBase]):
        self.ids = [q.id for q in questions]
        index = {qid: i for i, qid in enumerate(self.ids)}
        #: Per question: the index of the question its condition refers to (None: none;
        #: -1: a question that does not exist) and the referenced class's test of the value.
        self.refs: list[int | None] = []
        self.tests: list[Callable[[Any], bool] | None] = []
        for question in questions:
            condition = question.visible_if
            if condition is None:
                self.refs.append(None)
                self.tests.append(None)
            elif condition.question not in index:
                self.refs.append(_DANGLING)
                self.tests.append(None)
            else:
                ref = index[condition.question]
                self.refs.append(ref)
                self.tests.append(questions[ref].condition_test(condition))
        order, cyclic = _dependency_order(self.refs)
        #: Questions in an order where each condition's reference comes first.
        self.order = order
        #: Questions in a cycle of conditions: always hidden.
        self.cyclic = frozenset(cyclic)
        #: The conditional questions only, in dependency order (what ``hidden`` walks).
        self.conditional = [i for i in order if self.refs[i] is not None]
        #: Questions some condition refers to: changing them may show or hide others.
        self.controllers = frozenset(r for r in self.refs if r is not None and r >= 0)
        #: Questions about employees: hidden at 0 FTE.
        self.employee_questions = [i for i, q in enumerate(questions) if q.about_employees]

    def hidden(self, values: Sequence[Any], employees: float | None = None) -> set[int]:
        """Indices of the hidden questions for ``values`` (one per question, None = none) of
        an organisation with ``employees`` FTE (None: unknown)."""
        hidden: set[int] = set(self.employee_questions) if without_employees(employees) else set()
        refs, tests = self.refs, self.tests
        for i in self.conditional:
            ref = refs[i]
            if ref < 0 or i in self.cyclic or ref in hidden:  # type: ignore[operator]
                hidden.add(i)
                continue
            value = values[ref]  # type: ignore[index]
            if value is None or (isinstance(value, str) and value in (NA, DONT_KNOW)):
                hidden.add(i)
                continue
            try:
                if not tests[i](value):  # type: ignore[misc]
                    hidden.add(i)
            except (TypeError, ValueError):
                # A stored value that no longer fits its question (the page reads stored
                # answers unchecked): it meets no condition. Scoring checks values first.
                hidden.add(i)
        return hidden

    def visible(self, answers: Mapping[str, Any], employees: float | None = None) -> set[str]:
        """Ids of the questions that show for ``answers`` (question id -> value)."""
        values = [answers.get(qid) for qid in self.ids]
        hidden = self.hidden(values, employees)
        return {qid for i, qid in enumerate(self.ids) if i not in hidden}


#: An organisation of at most this many FTE has no employees (S2; ``scoring.batch`` compares
#: a whole column with it).
NO_EMPLOYEES_AT_MOST = 0.0


def without_employees(employees: float | None) -> bool:
    """Whether an organisation of ``employees`` FTE has none (unknown is not none)."""
    return employees is not None and employees == employees and employees <= NO_EMPLOYEES_AT_MOST


def _dependency_order(refs: list[int | None]) -> tuple[list[int], set[int]]:
    """Topological order of questions over their condition references; cycles set apart."""
    order: list[int] = []
    state = [0] * len(refs)  # 0 new, 1 on the path, 2 done
    cyclic: set[int] = set()
    for start in range(len(refs)):
        path: list[int] = []
        node = start
        while state[node] == 0:
            state[node] = 1
            path.append(node)
            ref = refs[node]
            if ref is None or ref < 0:
                break
            node = ref
        else:
            if state[node] == 1:  # back on the current path: a cycle from node onwards
                cyclic.update(path[path.index(node) :])
        for done in reversed(path):
            state[done] = 2
            order.append(done)
    return order, cyclic


def visibility_of(framework: Framework) -> Visibility:
    """The compiled conditions of ``framework``, remembered on the framework object itself."""
    memo = framework.derived
    found = memo.get("visibility")
    if found is None:
        found = memo["visibility"] = Visibility(list(framework.questions.values()))
    return found


def visible_questions(
    framework: Framework, answers: Mapping[str, Any], employees: float | None = None
) -> set[str]:
    """S2: ids of the questions of ``framework`` that show for ``answers`` (id -> value;
    "n/a", "weet niet" and None count as not answered for the questions that depend on them)
    of an organisation with ``employees`` FTE (None: unknown, hides no employee question)."""
    return visibility_of(framework).visible(answers, employees)
