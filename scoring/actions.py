"""From improvement plan to action plan: which steps to propose first.

The improvement plan (S7, ``scoring.plan``) ranks every question by the overall-score gain of
raising it to its maximum. An SME may flag questions "ik wil dit aanpakken / I want to tackle
this"; the flagged ones become the first proposals (at most ``FLAGGED_FIRST``), ranked among
themselves by the same S7 gain, and every other step follows in plan order. A question that
already has an action is not proposed again. Pure: steps and ids in, steps out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scoring.models import ImprovementStep

FLAGGED_FIRST = 3


@dataclass(frozen=True)
class Proposal:
    """One proposed action: a plan step (``step``; None for a flagged question already at its
    maximum, which has no gain) and whether the SME flagged it."""

    framework: str
    question: str
    flagged: bool
    step: ImprovementStep | None = None

    @property
    def gain(self) -> float:
        return self.step.gain if self.step is not None else 0.0


def propose(
    plan: Sequence[ImprovementStep],
    flagged: Iterable[str],
    *,
    taken: Iterable[str] = (),
    framework: str | None = None,
    order: Sequence[str] = (),
    first: int = FLAGGED_FIRST,
) -> list[Proposal]:
    """The proposals: up to ``first`` flagged questions by S7 gain (flagged ones without a
    gain after those with one, in questionnaire ``order``), then the rest of ``plan`` in its
    order. ``taken`` questions (with an action already) are left out; ``framework`` names the
    framework of flagged questions that are not in the plan."""
    flagged = set(flagged)
    taken = set(taken)
    in_plan = {step.question for step in plan}
    ranked_flagged = [
        Proposal(step.framework, step.question, True, step)
        for step in plan
        if step.question in flagged and step.question not in taken
    ]
    position = {qid: n for n, qid in enumerate(order)}
    without_gain = sorted(
        (q for q in flagged if q not in in_plan and q not in taken),
        key=lambda q: (position.get(q, len(position)), q),
    )
    ranked_flagged += [Proposal(framework or "", q, True) for q in without_gain]
    head = ranked_flagged[:first]
    chosen = {p.question for p in head}
    rest = [
        Proposal(step.framework, step.question, step.question in flagged, step)
        for step in plan
        if step.question not in chosen and step.question not in taken
    ]
    rest += [p for p in ranked_flagged[first:] if p.step is None]
    return head + rest
