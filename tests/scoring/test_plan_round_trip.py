"""A ScoreCard read back from JSON plans exactly like the card as scored (issue 10).

Covers S7 (the improvement plan is a what-if by the same formula) and house rule 9 (no
identity-keyed side tables: a value read back from JSON behaves like the original). The
department's batch rebuilds passports from stored card JSON, the SME's screen from a fresh
card; both must show the same plan.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks.models import Framework
from scoring import score
from scoring.models import ScoreCard
from scoring.passport import build
from scoring.plan import improvement_plan

CASE_NAMES = ["example", "example+profile", "conditions"]
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Raising `policy` from no to yes hides its follow-up `why_not`, which leaves the denominator:
# the closed form alone would say 100 * 1 * (1 - 0) / (1 + 4) = 20, the real what-if is 100.
FOLLOW_UP = Framework.model_validate(
    yaml.safe_load(
        """
id: follow_up
version: "1.0"
title: {nl: Opvolging, en: Follow-up}
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
          - {id: policy, type: yes_no, text: {nl: p, en: p}}
          - {id: why_not, type: maturity, text: {nl: w, en: w},
             visible_if: {question: policy, in: ["no"]}}
"""
    )
)


def round_trip(card: ScoreCard) -> ScoreCard:
    return ScoreCard.model_validate_json(card.model_dump_json())


def test_plan_of_a_card_read_back_from_json_equals_the_fresh_plan():
    """S7: raising a question that hides its follow-up gains 100 (not the closed form's 20),
    fresh and after JSON; the follow-up itself gains 100 * 4 / 5 = 80."""
    card = score(FOLLOW_UP, {"policy": False, "why_not": 0})
    fresh = improvement_plan({"follow_up": card})
    assert {s.question: s.gain for s in fresh} == {
        "policy": pytest.approx(100.0),
        "why_not": pytest.approx(80.0),
    }
    assert improvement_plan({"follow_up": round_trip(card)}) == fresh


def test_a_card_read_back_from_json_equals_the_card_as_scored():
    """Rule 9: the card is plain data, so the copy is equal and carries the what-if."""
    card = score(FOLLOW_UP, {"policy": False, "why_not": 0})
    assert round_trip(card) == card
    assert round_trip(card).raised == {"policy": pytest.approx(100.0)}


@pytest.mark.parametrize("case", CASE_NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_plan_is_the_same_after_a_json_round_trip_for_any_answers(
    cases, answers_strategy, case, data
):
    """S7: for any valid answers the plan of card and JSON copy are equal, step by step."""
    framework, profile = cases[case]
    card = score(framework, data.draw(answers_strategy(framework, profile)), profile)
    assert improvement_plan({framework.id: round_trip(card)}) == improvement_plan(
        {framework.id: card}
    )


@pytest.mark.parametrize("case", CASE_NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_passport_from_stored_cards_equals_the_passport_from_fresh_ones(
    cases, answers_strategy, case, data
):
    """S6/S7: the department rebuilds a passport from stored card JSON; it equals the SME's."""
    framework, profile = cases[case]
    card = score(framework, data.draw(answers_strategy(framework, profile)), profile)
    fresh = build({framework.id: card}, profile, year=2026)
    stored = build({framework.id: round_trip(card)}, profile, year=2026)
    assert stored == fresh
