"""Answer once, end to end (issue 12, item 2): a Start-to-MVO answer and a GRI answer prefill
the VSME draft with their source shown, and a VSME answer prefills the GRI question, through
``frameworks/vsme.yaml`` ``sources`` and ``app.services.carry_over``."""

from __future__ import annotations

from app.services import assessments, carry_over
from tests.services.test_vsme import YEAR, _organisation, _save, _vsme, store  # noqa: F401

ELECTRICITY = "vsme_energy_consumption_from_electricity_total_renewabl_7a1b6b18"
EMPLOYEES = "vsme_number_of_employees"


def _start_to_mvo(store, sme, org):  # noqa: F811
    return assessments.start_assessment(store, sme, org.id, YEAR, framework="start_to_mvo")


def test_start_to_mvo_answers_should_prefill_the_vsme_draft_with_their_source(store):  # noqa: F811
    """st_employees (FTE) and st_electricity_kwh (kWh, converted to MWh) answered in the
    Start-to-MVO scan prefill the VSME draft, each with the scan's question as its source."""
    org, sme = _organisation(store, fte=None)
    scan = _start_to_mvo(store, sme, org)
    _save(store, sme, scan.id, "st_employees", 14.5)
    _save(store, sme, scan.id, "st_electricity_kwh", 52_300)
    report = _vsme(store, sme, org)
    assert report.answers[EMPLOYEES].value == 14.5
    assert report.answers[ELECTRICITY].value == "52.3"  # one table line, in MWh
    sources = carry_over.answer_sources(store, sme, report.id)
    assert (sources[EMPLOYEES].framework, sources[EMPLOYEES].question) == (
        "start_to_mvo",
        "st_employees",
    )
    assert (sources[ELECTRICITY].framework, sources[ELECTRICITY].question) == (
        "start_to_mvo",
        "st_electricity_kwh",
    )
    assert sources[ELECTRICITY].conversion is not None  # kWh -> MWh is shown


def test_a_start_to_mvo_answer_given_after_the_vsme_report_started_is_added(store):  # noqa: F811
    """prefill_missing fills a VSME datapoint answered in the scan after the report started,
    and leaves what the SME typed in the VSME report alone."""
    org, sme = _organisation(store, 2, fte=None)
    report = _vsme(store, sme, org)
    _save(store, sme, report.id, EMPLOYEES, 9.0)
    scan = _start_to_mvo(store, sme, org)
    _save(store, sme, scan.id, "st_employees", 14.5)
    _save(store, sme, scan.id, "st_electricity_kwh", 12_000)
    added = carry_over.prefill_missing(store, sme, report.id)
    assert sum(added.values()) >= 1
    after = assessments.get_assessment(store, sme, report.id)
    assert after.answers[EMPLOYEES].value == 9.0
    assert after.answers[ELECTRICITY].value == "12"


TRAINING_MEN = "vsme_average_number_of_annual_training_hours_per_male_employee"
TRAINING_WOMEN = "vsme_average_number_of_annual_training_hours_per_female_employee"


def test_gri_404_1_training_hours_by_gender_should_prefill_vsme_b10(store):  # noqa: F811
    """Answer once for GRI 404-1: the average training hours of men and women answered in GRI
    prefill VSME B10's two datapoints, hours to the taxonomy's pure count 1:1, with the GRI
    question as the source; the GRI total hours (another figure) fills neither."""
    org, sme = _organisation(store, 3)
    gri = assessments.start_assessment(store, sme, org.id, YEAR, framework="gri")
    _save(store, sme, gri.id, "gri_404_1_training_hours", 640)
    _save(store, sme, gri.id, "gri_404_1_training_hours_men", 21.5)
    _save(store, sme, gri.id, "gri_404_1_training_hours_women", 17.25)
    report = _vsme(store, sme, org)
    assert report.answers[TRAINING_MEN].value == 21.5
    assert report.answers[TRAINING_WOMEN].value == 17.25
    sources = carry_over.answer_sources(store, sme, report.id)
    assert sources[TRAINING_MEN].raw == "framework:gri:gri_404_1_training_hours_men"
    assert sources[TRAINING_WOMEN].raw == "framework:gri:gri_404_1_training_hours_women"
    assert sources[TRAINING_MEN].conversion == "hours -> count x 1"


def test_vsme_b10_training_hours_should_prefill_the_gri_404_1_questions(store):  # noqa: F811
    """The other way round: B10 answered in the VSME report first prefills the two GRI 404-1
    questions of the same year, with the VSME datapoint as the source."""
    org, sme = _organisation(store, 4)
    report = _vsme(store, sme, org)
    _save(store, sme, report.id, TRAINING_MEN, 12.0)
    _save(store, sme, report.id, TRAINING_WOMEN, 30.5)
    gri = assessments.start_assessment(store, sme, org.id, YEAR, framework="gri")
    assert gri.answers["gri_404_1_training_hours_men"].value == 12.0
    assert gri.answers["gri_404_1_training_hours_women"].value == 30.5
    assert "gri_404_1_training_hours" not in gri.answers
    sources = carry_over.answer_sources(store, sme, gri.id)
    assert sources["gri_404_1_training_hours_women"].raw == f"framework:vsme:{TRAINING_WOMEN}"
