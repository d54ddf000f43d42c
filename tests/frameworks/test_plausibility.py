"""Plausibility checks (README "Te controleren", issue 13 item 5): a number question's
``plausible_if`` compares it with an earlier number; ``frameworks.plausibility.implausible``
is the one reading, ``mvo validate`` checks the references, and a warning never blocks."""

from __future__ import annotations

import pytest

import scoring
from frameworks.compose import effective_framework
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


# Across frameworks (issue 13 item 5): a sector's frequency rate against GRI 403-9.


@pytest.fixture(scope="module")
def bouw_questionnaire():
    catalogue = shipped_catalogue()
    profile = catalogue.profiles["bouw"]
    return effective_framework(catalogue.frameworks["iso26000"], profile)


def _gri_403_9(injuries, hours):
    return {"gri": {"gri_403_9_injuries": injuries, "gri_403_9_hours_worked": hours}}


def test_a_frequency_rate_above_the_gri_recordable_rate_is_to_check(bouw_questionnaire):
    """Te controleren across frameworks: 2 recordable injuries in 100 000 hours is a rate of
    20; a lost-time rate of 40 cannot be (lost-time accidents are recordable ones)."""
    [warning] = implausible(
        bouw_questionnaire, {"bouw_frequency_rate": 40}, others=_gri_403_9(2, 100_000)
    )
    assert (warning.question, warning.other, warning.value, warning.other_value) == (
        "bouw_frequency_rate",
        "gri:gri_403_9_injuries",
        40.0,
        20.0,
    )
    assert "GRI 403-9" in warning.message.nl and "GRI 403-9" in warning.message.en


@pytest.mark.parametrize(
    ("rate", "injuries", "hours"), [(15, 2, 100_000), (21, 2, 100_000), (0, 0, 50_000)]
)
def test_a_frequency_rate_within_the_gri_rate_passes(bouw_questionnaire, rate, injuries, hours):
    """Te controleren across frameworks: at or below the recordable rate (10 % room for
    rounding), and 0 beside 0 injuries, is plausible."""
    assert (
        implausible(
            bouw_questionnaire, {"bouw_frequency_rate": rate}, others=_gri_403_9(injuries, hours)
        )
        == []
    )


def test_a_frequency_rate_beside_zero_gri_injuries_is_to_check(bouw_questionnaire):
    """Te controleren across frameworks: a rate above 0 while GRI 403-9 counts no injury."""
    [warning] = implausible(
        bouw_questionnaire, {"bouw_frequency_rate": 5}, others=_gri_403_9(0, 80_000)
    )
    assert warning.other_value == 0.0


@pytest.mark.parametrize(
    "others",
    [None, {}, {"gri": {"gri_403_9_injuries": 2}}, _gri_403_9(2, 0), _gri_403_9("dont_know", 1)],
)
def test_without_the_other_frameworks_answers_nothing_is_checked(bouw_questionnaire, others):
    """Te controleren across frameworks: no GRI answers, hours unanswered or 0 (no rate
    exists), or "weet niet": nothing to compare with, no warning."""
    assert implausible(bouw_questionnaire, {"bouw_frequency_rate": 40}, others=others) == []


def test_a_part_of_the_staff_may_exceed_the_whole_but_not_beside_zero_injuries():
    """Te controleren across frameworks: transport's rate covers drivers and warehouse staff,
    so only a rate above 0 beside 0 recordable injuries is flagged."""
    catalogue = shipped_catalogue()
    questionnaire = effective_framework(
        catalogue.frameworks["iso26000"], catalogue.profiles["transport_logistiek"]
    )
    answers = {"transport_logistiek_frequency_rate": 60}
    assert implausible(questionnaire, answers, others=_gri_403_9(1, 1_000_000)) == []
    [warning] = implausible(questionnaire, answers, others=_gri_403_9(0, 1_000_000))
    assert warning.other == "gri:gri_403_9_injuries"


def test_the_passport_lists_a_gri_answer_contradicting_the_sector_rate(bouw_questionnaire):
    """Te controleren across frameworks: the passport combines the ISO card (with the sector
    section) and the GRI card of the same year, and lists the contradiction once."""
    catalogue = shipped_catalogue()
    profile = catalogue.profiles["bouw"]
    gri = catalogue.frameworks["gri"]
    iso_card = scoring.score(catalogue.frameworks["iso26000"], {"bouw_frequency_rate": 40}, profile)
    gri_card = scoring.score(gri, _gri_403_9(2, 100_000)["gri"], profile)
    frameworks = {"iso26000": bouw_questionnaire, "gri": gri}
    passport = build({"iso26000": iso_card, "gri": gri_card}, profile, frameworks=frameworks)
    assert [(c.framework, c.question, c.other) for c in passport.to_check] == [
        ("iso26000", "bouw_frequency_rate", "gri:gri_403_9_injuries")
    ]
    alone = build({"iso26000": iso_card}, profile, frameworks=frameworks)
    assert alone.to_check == []


CROSS = """\
          - id: rate
            type: number
            unit: per million hours
            min: 0
            text: {nl: Frequentiegraad, en: Frequency rate}
            plausible_if:
              - question: QUESTION
                per: PER
                times: 1000000
                when: {gte: 0}
                ratio: {lte: 1.1}
                message: {nl: Controleer, en: Check}
"""

OTHER = """\
id: other
version: "1.0"
title: {nl: Ander, en: Other}
description: {nl: Ander kader, en: Other framework}
derivation:
  statement: {nl: Voor tests, en: For tests}
  sources:
    - {name: GRI, edition: "2021"}
sections:
  - id: o1
    title: {nl: Sectie, en: Section}
    topics:
      - id: ot1
        title: {nl: Onderwerp, en: Topic}
        questions:
          - id: injuries
            type: number
            unit: count
            min: 0
            text: {nl: Ongevallen, en: Injuries}
          - id: hours
            type: number
            unit: hours
            min: 0
            text: {nl: Uren, en: Hours}
          - id: policy
            type: yes_no
            text: {nl: Beleid, en: Policy}
            advice: {nl: Doe het, en: Do it}
"""


def _cross(write, question: str, per: str = "other:hours"):
    text = MINIMAL + CROSS.replace("QUESTION", question).replace("PER", per)
    return load_catalogue([write(text), write(OTHER, "other.yaml")])


def test_a_reference_into_another_framework_passes(write):
    """mvo validate: ``other:injuries`` per ``other:hours`` names number questions of a
    framework of the catalogue: no problem, although they are not earlier in this file."""
    assert _cross(write, "other:injuries").report.problems == []


@pytest.mark.parametrize(
    ("question", "per", "key", "words"),
    [
        (
            "nowhere:injuries",
            "other:hours",
            "question",
            "framework 'nowhere', which does not exist",
        ),
        ("other:nothing", "other:hours", "question", "'nothing' is not a question of 'other'"),
        ("other:policy", "other:hours", "question", "a yes_no question"),
        ("other:injuries", "other:policy", "per", "a yes_no question"),
        ("other:injuries", "mini:q1", "per", "a yes_no question"),
    ],
)
def test_a_bad_reference_into_another_framework_is_refused(write, question, per, key, words):
    """mvo validate: a cross-framework reference names an existing framework and a number
    question in it (its own framework's prefix reads as a plain id); the problem says where."""
    catalogue = _cross(write, question, per)
    [problem] = catalogue.report.problems
    assert problem.code == ProblemCode.PLAUSIBILITY_QUESTION
    assert problem.loc == f"sections.0.topics.0.questions.2.plausible_if.0.{key}"
    assert words in problem.message
    assert problem.line is not None and problem.file.endswith("framework.yaml")


@pytest.mark.parametrize("ref", ["GRI:x", "gri:", "a:b:c"])
def test_a_malformed_reference_is_refused_by_the_model(write, ref):
    """mvo validate: a reference is ``question`` or ``framework:question``, lower case."""
    loaded = load_file(write(MINIMAL + CROSS.replace("QUESTION", f'"{ref}"').replace("PER", "gas")))
    assert not loaded.report.valid
    assert any("plausible_if.0.question" in p.loc for p in loaded.report.problems)


def _profile_with_sector_check(fixtures_dir, write, question: str):
    profile = (fixtures_dir / "example_profile.yaml").read_text()
    sector_rate = """\
        - id: sector_rate
          type: number
          unit: per million hours
          min: 0
          text: {nl: Frequentiegraad, en: Frequency rate}
          plausible_if:
            - question: QUESTION
              when: {eq: 0}
              expect: {eq: 0}
              message: {nl: Controleer, en: Check}
""".replace("QUESTION", question)
    marker = "          advice: {nl: Onderteken het charter., en: Sign the charter.}\n"
    profile = profile.replace(marker, marker + sector_rate)
    profile = profile.replace("  - {id: example}\n", "  - {id: example}\n  - {id: other}\n")
    return load_catalogue(
        [
            fixtures_dir / "example_framework.yaml",
            write(OTHER, "other.yaml"),
            write(profile, "p.yaml"),
        ]
    )


def test_a_sector_question_may_compare_with_an_included_framework(write, fixtures_dir):
    """mvo validate: a sector question's check into a framework the profile includes passes."""
    catalogue = _profile_with_sector_check(fixtures_dir, write, "other:injuries")
    assert [p for p in catalogue.report.problems if p.severity == "error"] == []
    assert "example_sector" in catalogue.profiles


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("gri:gri_403_9_injuries", "this profile does not include"),
        ("other:policy", "a yes_no question"),
        ("nowhere", "is not an earlier question"),
    ],
)
def test_a_sector_question_with_a_bad_reference_is_refused(write, fixtures_dir, question, words):
    """mvo validate: a sector question compares with an earlier question of the first
    framework or its section, or with a number question of a framework the profile includes;
    otherwise a problem at the sector question's line, and the profile is not loaded."""
    catalogue = _profile_with_sector_check(fixtures_dir, write, question)
    [problem] = [p for p in catalogue.report.problems if p.severity == "error"]
    assert problem.code == ProblemCode.PLAUSIBILITY_QUESTION
    assert problem.loc == "sector_section.topics.0.questions.1.plausible_if.0.question"
    assert words in problem.message and problem.file.endswith("p.yaml")
    assert "example_sector" not in catalogue.profiles
