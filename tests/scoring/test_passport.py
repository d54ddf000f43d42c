"""The sector passport: level, cap, concept, strengths, KPIs and the change since last year.

Covers S6 (level bands, the material-topic cap, "concept" while required questions are open),
S7 (the plan lands in the passport) and S8 (unrounded values in the passport).
"""

from __future__ import annotations

import pytest

from scoring import score
from scoring.models import Organisation
from scoring.passport import build, level_of

ORG = Organisation(name="Bouwbedrijf A&B", kbo="0123456749", fte=8)
STRONG = {
    "safety_policy": 4,
    "has_prevention_advisor": True,
    "accidents": 1,
    "training_plan": "written",
    "training_topics": ["safety", "digital", "language"],
    "energy_mwh": 40,
    "climate_plan": 4,
    "sector_charter": True,
}
# Safety (materiality 3) at 0 while the rest is full: overall (25 + 100 + 100) / 3 = 75.
WEAK_SAFETY = {**STRONG, "safety_policy": 0, "has_prevention_advisor": False, "accidents": "n/a"}


def test_default_level_bands():
    """S6: 0-39 starter, 40-59 op weg, 60-79 gevorderd, 80-100 voorloper."""
    from frameworks.models import DEFAULT_LEVELS

    assert [level_of(x, DEFAULT_LEVELS) for x in (0, 39.99, 40, 59.9, 60, 79.99, 80, 100)] == [
        "starter",
        "starter",
        "op_weg",
        "op_weg",
        "gevorderd",
        "gevorderd",
        "voorloper",
        "voorloper",
    ]


def test_full_marks_reach_the_top_level(example, profile):
    """S6: 100 overall with nothing open -> voorloper, not capped."""
    passport = build({"example": score(example, STRONG, profile)}, profile, organisation=ORG)
    assert passport.overall == pytest.approx(100)
    assert (passport.level, passport.capped) == ("voorloper", False)
    assert passport.improvement_plan == []


def test_material_topic_below_25_caps_the_level(example, profile):
    """S6: overall 75 would be gevorderd, but safety (materiality 3) scores 0 < 25: op weg."""
    card = score(example, WEAK_SAFETY, profile)
    assert card.topics["safety"].score == 0
    passport = build({"example": card}, profile)
    assert passport.overall == pytest.approx(75)
    assert (passport.level, passport.capped) == ("op_weg", True)


def test_weak_topic_of_normal_materiality_does_not_cap(example, profile):
    """S6: training has materiality 1, so training at 0 does not cap the level: people
    (3 * 100 + 1 * 0) / 4 = 75, overall (75 + 100 + 100) / 3 = 91.7 -> voorloper."""
    answers = {**STRONG, "training_plan": "none"}
    card = score(example, answers, profile)
    assert card.topics["training"].score == 0
    passport = build({"example": card}, profile)
    assert passport.overall == pytest.approx((75 + 100 + 100) / 3)
    assert (passport.level, passport.capped) == ("voorloper", False)


def test_open_required_question_makes_a_concept(example, profile):
    """S6: safety_policy is required; unanswered, the passport has no level: "concept"."""
    answers = {k: v for k, v in STRONG.items() if k != "safety_policy"}
    passport = build({"example": score(example, answers, profile)}, profile)
    assert passport.level == "concept"


def test_without_profile_the_framework_is_the_profile(example):
    """S6: the Start-to-MVO scan has no sector profile: its own id and the default bands."""
    card = score(example, {"safety_policy": 2, "has_prevention_advisor": True})
    passport = build({"example": card}, None, year=2025)
    assert (passport.profile, passport.profile_version) == ("example", "1.0")
    assert passport.kpis == []
    assert passport.level == level_of(
        passport.overall, __import__("frameworks.models").models.DEFAULT_LEVELS
    )


def test_framework_outside_the_profile_is_refused(example, profile, conditions):
    """S6: a score card of a framework the profile does not include is an error."""
    with pytest.raises(ValueError, match="does not include"):
        build({"conditions": score(conditions, {})}, profile)


def test_strengths_and_weak_points_put_material_topics_first(example, profile):
    """S6: strengths >= 50 and weak points < 50, material (>= 2) topics first."""
    answers = {**STRONG, "training_plan": "informal", "training_topics": [], "energy_mwh": None}
    passport = build({"example": score(example, answers, profile)}, profile)
    # safety 100 (m3), sector 100 (m1); training 1/6 (m1), energy 0 (m2)
    assert passport.strengths == ["safety", "sector_specific"]
    assert passport.weak_points == ["energy", "training"]


def test_kpi_per_fte(example, profile):
    """KPIs: energy 40 MWh over 8 FTE = 5 MWh/FTE; without FTE no per-FTE value."""
    card = score(example, STRONG, profile)
    (kpi,) = build({"example": card}, profile, organisation=ORG).kpis
    assert (kpi.kpi, kpi.value, kpi.raw, kpi.unit) == ("energy_per_fte", 5.0, 40.0, "MWh/FTE")
    (no_fte,) = build({"example": card}, profile).kpis
    assert (no_fte.value, no_fte.raw) == (None, 40.0)


def test_change_against_last_year(example, profile):
    """S8: overall and topic deltas against last year's passport, unrounded."""
    last = build({"example": score(example, WEAK_SAFETY, profile)}, profile, year=2024)
    now = build({"example": score(example, STRONG, profile)}, profile, year=2025, previous=last)
    assert now.change.previous_year == 2024
    assert now.change.previous_level == "op_weg"
    assert now.change.overall_delta == pytest.approx(25)
    assert now.change.topic_deltas["safety"] == pytest.approx(100)
    assert now.change.topic_deltas["training"] == 0


def test_passport_round_trips_as_json(example, profile):
    """S8: the passport serialises to JSON and back unchanged (values unrounded)."""
    passport = build({"example": score(example, WEAK_SAFETY, profile)}, profile, organisation=ORG)
    again = type(passport).model_validate_json(passport.model_dump_json())
    assert again == passport
