"""Plausibility checks (README "Te controleren", issue 13 item 5): a number question's
``plausible_if`` compares it with an earlier number; ``frameworks.plausibility.implausible``
is the one reading, ``mvo validate`` checks the references, and a warning never blocks."""

from __future__ import annotations

import pytest

import scoring
from frameworks.loader import load_catalogue, load_file, shipped_catalogue
from frameworks.plausibility import implausible
from frameworks.problems import ProblemCode
from scoring.passport import build

from .conftest import MINIMAL

NUMBERS = """\
          - id: gas
            type: number
            unit: m3
            min: 0
            text: {nl: Gas, en: Gas}
          - id: scope1
            type: number
            unit: tCO2e
            min: 0
            text: {nl: Scope 1, en: Scope 1}
            plausible_if:
              - question: QUESTION
                when: {gt: 0}
                expect: {gt: 0}
                message: {nl: Controleer, en: Check}
"""


@pytest.fixture(scope="module")
def gri():
    return shipped_catalogue().frameworks["gri"]


def codes(loaded):
    return [(p.code, p.loc) for p in loaded.report.problems]


def test_scope1_zero_beside_fuel_is_to_check(gri):
    """Te controleren: energy beyond electricity (gas, fuel) with 0 tCO2e scope 1."""
    answers = {"gri_302_1_energy": 100.0, "gri_302_1_electricity": 40.0, "gri_305_1_scope1": 0}
    [warning] = implausible(gri, answers)
    assert (warning.question, warning.other, warning.other_value) == (
        "gri_305_1_scope1",
        "gri_302_1_energy",
        60.0,
    )
    assert "scope 1" in warning.message.nl


def test_all_electric_or_unknown_electricity_is_not_flagged(gri):
    """Te controleren: all energy is electricity, or electricity unanswered: nothing to check;
    scope 1 above 0 is plausible."""
    assert (
        implausible(
            gri, {"gri_302_1_energy": 40.0, "gri_302_1_electricity": 40.0, "gri_305_1_scope1": 0}
        )
        == []
    )
    assert implausible(gri, {"gri_302_1_energy": 100.0, "gri_305_1_scope1": 0}) == []
    assert (
        implausible(
            gri,
            {"gri_302_1_energy": 100.0, "gri_302_1_electricity": 40.0, "gri_305_1_scope1": 12.0},
        )
        == []
    )


def test_energy_zero_with_employees_is_to_check(gri):
    """Te controleren: 0 MWh of energy while the firm has employees; not at 0 employees."""
    assert [
        w.question for w in implausible(gri, {"gri_2_7_employees": 8, "gri_302_1_energy": 0})
    ] == ["gri_302_1_energy"]
    assert implausible(gri, {"gri_2_7_employees": 0, "gri_302_1_energy": 0}) == []


def test_accidents_without_hours_and_fatalities_without_injuries_are_to_check(gri):
    """Te controleren: injuries but 0 hours worked (no frequency rate possible), and a
    fatality beside 0 recordable injuries (GRI 403-9 counts it among them)."""
    answers = {"gri_403_9_injuries": 0, "gri_403_9_fatalities": 1, "gri_403_9_hours_worked": 0}
    assert [w.question for w in implausible(gri, answers)] == ["gri_403_9_fatalities"]
    answers = {"gri_403_9_injuries": 3, "gri_403_9_fatalities": 0, "gri_403_9_hours_worked": 0}
    assert [w.question for w in implausible(gri, answers)] == ["gri_403_9_hours_worked"]


def test_dont_know_and_na_check_nothing(gri):
    """Te controleren: "weet niet" or "n/a" on either side is no number: no warning."""
    assert implausible(gri, {"gri_2_7_employees": "dont_know", "gri_302_1_energy": 0}) == []
    assert implausible(gri, {"gri_2_7_employees": 5, "gri_302_1_energy": "n/a"}) == []


def test_start_to_mvo_electricity_zero_with_employees():
    """Te controleren: the scan's 0 kWh beside employees."""
    scan = shipped_catalogue().frameworks["start_to_mvo"]
    [warning] = implausible(scan, {"st_employees": 3, "st_electricity_kwh": 0})
    assert warning.question == "st_electricity_kwh"


def test_a_warning_never_blocks_the_score_and_is_listed_on_the_passport(gri):
    """Te controleren: implausible answers are valid answers (scored as any other), and the
    passport lists them as "te controleren" when built with the frameworks."""
    catalogue = shipped_catalogue()
    profile = catalogue.profiles["bouw"]
    answers = {"gri_2_7_employees": 8, "gri_302_1_energy": 0}
    card = scoring.score(gri, answers, profile)
    assert card.questions["gri_302_1_energy"].points == 1.0
    passport = build({"gri": card}, profile, frameworks={"gri": gri})
    [item] = passport.to_check
    assert (item.framework, item.question, item.other) == (
        "gri",
        "gri_302_1_energy",
        "gri_2_7_employees",
    )
    assert item.message["nl"].startswith("U hebt werknemers")
    assert build({"gri": card}, profile).to_check == []


def test_plausible_if_on_a_later_question_is_refused(write):
    """mvo validate: ``plausible_if`` compares with an earlier question only."""
    text = (
        MINIMAL
        + NUMBERS.replace("QUESTION", "later")
        + """\
          - id: later
            type: number
            unit: m3
            text: {nl: Later, en: Later}
"""
    )
    loaded = load_file(write(text))
    assert codes(loaded) == [
        (
            ProblemCode.PLAUSIBILITY_QUESTION,
            "sections.0.topics.0.questions.3.plausible_if.0.question",
        )
    ]
    assert "comes later" in loaded.report.problems[0].message


@pytest.mark.parametrize(("name", "words"), [("nowhere", "is not an earlier"), ("q1", "yes_no")])
def test_plausible_if_on_an_unknown_or_non_number_question_is_refused(write, name, words):
    """mvo validate: ``plausible_if`` names an existing number question."""
    loaded = load_file(write(MINIMAL + NUMBERS.replace("QUESTION", name)))
    [problem] = loaded.report.problems
    assert problem.code == ProblemCode.PLAUSIBILITY_QUESTION and words in problem.message


def test_plausible_if_on_an_earlier_number_passes(write):
    """mvo validate: the shipped shape (gas before scope 1) has no problem."""
    assert load_file(write(MINIMAL + NUMBERS.replace("QUESTION", "gas"))).report.problems == []


def _profile_with_kpi(fixtures_dir, write, kpi_lines: str):
    profile = (
        (fixtures_dir / "example_profile.yaml")
        .read_text()
        .replace("    per_fte: true\n    better: lower\n", kpi_lines)
    )
    return load_catalogue([fixtures_dir / "example_framework.yaml", write(profile, "p.yaml")])


def test_a_kpi_denominator_must_be_a_number_question_of_the_profile(write, fixtures_dir):
    """KPI (mvo validate): ``of`` names a number question of an included framework."""
    cat = _profile_with_kpi(
        fixtures_dir,
        write,
        "    per: tonne\n    of: {framework: example, question: training_plan}\n    better: lower\n",
    )
    assert [(p.code, p.loc) for p in cat.report.problems] == [
        (ProblemCode.KPI_DENOMINATOR, "kpis.0.of.question")
    ]


def test_kpi_thresholds_need_a_source_or_the_provisional_mark(write, fixtures_dir):
    """KPI (mvo validate): sector thresholds say where they come from, or that they are
    provisional (the federation's to set)."""
    bare = "    per: fte\n    better: lower\n    thresholds: {good: 5, poor: 20}\n"
    cat = _profile_with_kpi(fixtures_dir, write, bare)
    assert [p.code for p in cat.report.problems] == [ProblemCode.KPI_THRESHOLD_SOURCE]
    marked = bare.replace("poor: 20}", "poor: 20, provisional: true}")
    assert _profile_with_kpi(fixtures_dir, write, marked).report.problems == []
