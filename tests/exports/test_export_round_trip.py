"""The department's batch PDF and the SME's screen say the same (issue 10).

The batch export rebuilds a passport from the score cards stored as JSON; the screen builds it
from freshly scored cards. Covers S7 and house rule 9: the passport document's data (level,
scores, improvement plan with its gains) is the same either way.
"""

from __future__ import annotations

import random

import pytest
from export_helpers import random_framework_answers

from exports.documents import build_passport_document
from frameworks.compose import effective_framework
from frameworks.loader import shipped_catalogue
from scoring import score
from scoring.models import Organisation, ScoreCard
from scoring.passport import build

ORG = Organisation(name="Bouwbedrijf Peeters", kbo="0403170701", fte=12)


def round_trip(card: ScoreCard) -> ScoreCard:
    return ScoreCard.model_validate_json(card.model_dump_json())


def test_document_plan_of_a_question_that_shows_another_is_the_same_from_stored_cards(
    framework, profile
):
    """S7: raising the training plan from "none" shows the training topics (unanswered, so
    the topic's denominator grows): the stored card's document gives the same gain."""
    answers = {"safety_policy": 4, "has_prevention_advisor": True, "training_plan": "none"}
    card = score(framework, answers, profile)

    def document(cards):
        passport = build(cards, profile, organisation=ORG, year=2026, status="submitted")
        return build_passport_document(passport, {framework.id: framework}, profile, None, "nl")

    fresh = document({framework.id: card})
    assert document({framework.id: round_trip(card)}) == fresh


@pytest.mark.parametrize("seed", range(6))
def test_passport_and_document_from_stored_cards_equal_those_from_fresh_cards(seed):
    """S7: every framework of the bouw passport, random answers: same plan, same document."""
    catalogue = shipped_catalogue()
    profile = catalogue.profiles["bouw"]
    rng = random.Random(seed)
    fresh, stored = {}, {}
    for included in profile.frameworks:
        base = catalogue.frameworks[included.id]
        answers = random_framework_answers(effective_framework(base, profile), rng)
        card = score(base, answers, profile)
        fresh[included.id] = card
        stored[included.id] = round_trip(card)
    frameworks = {f.id: catalogue.frameworks[f.id] for f in profile.frameworks}

    def passport(cards):
        return build(cards, profile, organisation=ORG, year=2026, status="submitted")

    assert passport(stored) == passport(fresh)
    assert build_passport_document(
        passport(stored), frameworks, profile, None, "nl"
    ) == build_passport_document(passport(fresh), frameworks, profile, None, "nl")
