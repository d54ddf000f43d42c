"""One reading of ``visible_if`` for the questionnaire page and the scoring engine (issue 10).

Covers S2 (hidden questions leave the score) for a chain q1 -> q2 -> q3: when q1 hides q2, q3
is hidden too, even where a stale answer to q2 would meet q3's condition. The page's helpers
and the engine must agree, so both go through ``frameworks.visibility``.
"""

from __future__ import annotations

import pytest
import yaml

from app.ui.questionnaire import is_visible, next_unanswered, section_progress, visible_ids
from frameworks import visibility
from frameworks.models import Framework
from frameworks.visibility import visible_questions
from scoring import score

CHAIN = Framework.model_validate(
    yaml.safe_load(
        """
id: chain
version: "1.0"
title: {nl: Keten, en: Chain}
description: {nl: Test., en: Test.}
derivation:
  statement: {nl: Test., en: Test.}
  sources: [{name: ISO 26000, edition: "2010"}]
sections:
  - id: one
    title: {nl: Een, en: One}
    topics:
      - id: alpha
        title: {nl: Alfa, en: Alpha}
        questions:
          - {id: q1, type: yes_no, text: {nl: q1, en: q1}}
          - {id: q2, type: maturity, text: {nl: q2, en: q2},
             visible_if: {question: q1, in: ["yes"]}}
  - id: two
    title: {nl: Twee, en: Two}
    topics:
      - id: beta
        title: {nl: Beta, en: Beta}
        questions:
          - {id: q3, type: yes_no, text: {nl: q3, en: q3}, visible_if: {question: q2, gte: 2}}
          - {id: q4, type: maturity, text: {nl: q4, en: q4}}
"""
    )
)
#: q2 keeps an answer from before q1 was set to "no": it meets q3's condition, but q2 is hidden.
STALE = {"q1": False, "q2": 3, "q3": True}


class Stored:
    def __init__(self, value):
        self.value = value
        self.note = None


def stored(answers: dict) -> dict:
    return {qid: Stored(value) for qid, value in answers.items()}


def test_a_question_whose_condition_names_a_hidden_question_is_hidden_in_the_engine():
    """S2: q1 = no hides q2, so q3 (q2 >= 2) is hidden too and leaves the score."""
    card = score(CHAIN, STALE)
    assert [card.questions[q].status for q in ("q1", "q2", "q3")] == [
        "answered",
        "hidden",
        "hidden",
    ]
    assert visible_questions(CHAIN, STALE) == {"q1", "q4"}


def test_the_page_hides_the_chain_exactly_as_the_engine_does():
    """S2: the page draws, counts and jumps to the questions the engine scores, no others."""
    card = score(CHAIN, STALE)
    engine_visible = {q for q, r in card.questions.items() if r.status != "hidden"}
    answers = stored(STALE)
    assert visible_ids(CHAIN, answers) == engine_visible
    assert not is_visible(CHAIN, CHAIN.questions["q3"], answers)
    assert section_progress(CHAIN, CHAIN.sections[1], answers) == (0, 1)  # q4 only
    assert next_unanswered(CHAIN, answers) == ("two", "q4")


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ({"q1": True, "q2": 3}, {"q1", "q2", "q3", "q4"}),
        ({"q1": True, "q2": 1}, {"q1", "q2", "q4"}),
        ({"q1": True, "q2": "n/a"}, {"q1", "q2", "q4"}),
        ({}, {"q1", "q4"}),
    ],
)
def test_page_and_engine_agree_along_the_chain(answers, shown):
    """S2: with q1 = yes, q3 follows q2's answer; unanswered or n/a references hide."""
    card = score(CHAIN, {k: v for k, v in answers.items() if v != "n/a"})
    engine_visible = {q for q, r in card.questions.items() if r.status != "hidden"}
    if "n/a" not in answers.values():
        assert engine_visible == shown
    assert visible_ids(CHAIN, stored(answers)) == shown


def test_engine_and_page_call_the_same_visibility_function(monkeypatch):
    """One owner: both the engine and the page evaluate conditions through
    ``frameworks.visibility.Visibility.hidden``; neither has its own copy."""
    calls: list[str] = []
    original = visibility.Visibility.hidden

    def spy(self, values, employees=None):
        calls.append("hidden")
        return original(self, values, employees)

    monkeypatch.setattr(visibility.Visibility, "hidden", spy)
    score(CHAIN, STALE)
    assert calls, "the engine did not use frameworks.visibility"
    calls.clear()
    visible_ids(CHAIN, stored(STALE))
    assert calls, "the page did not use frameworks.visibility"


def test_a_stored_value_that_no_longer_fits_its_question_hides_what_depends_on_it():
    """S2: the page reads stored answers unchecked; a text where q2 wants a level meets no
    condition (and does not break the page)."""
    assert visible_ids(CHAIN, stored({"q1": True, "q2": "veel"})) == {"q1", "q2", "q4"}
