"""Proposals for the action plan (issue #13 items 8-9): flagged questions first, at most
three, ranked by their S7 gain; the rest in plan order; questions with an action left out."""

from __future__ import annotations

from scoring.actions import propose
from scoring.models import ImprovementStep


def _step(question: str, gain: float) -> ImprovementStep:
    return ImprovementStep(
        framework="f", question=question, topic="t", materiality=1, gain=gain, points=0, max=4
    )


PLAN = [_step("a", 9), _step("b", 7), _step("c", 5), _step("d", 3), _step("e", 1)]


def test_should_put_up_to_three_flagged_questions_first_by_gain():
    proposed = propose(PLAN, {"e", "b", "d", "c"})
    assert [p.question for p in proposed] == ["b", "c", "d", "a", "e"]
    assert [p.flagged for p in proposed] == [True, True, True, False, True]


def test_without_flags_should_follow_the_improvement_plan():
    assert [p.question for p in propose(PLAN, set())] == ["a", "b", "c", "d", "e"]


def test_should_leave_out_taken_questions_and_keep_a_flagged_one_at_its_maximum():
    proposed = propose(PLAN, {"z", "c"}, taken={"a", "c"}, framework="f", order=["z"])
    assert [(p.question, p.flagged, p.gain) for p in proposed] == [
        ("z", True, 0.0),
        ("b", False, 7),
        ("d", False, 3),
        ("e", False, 1),
    ]
