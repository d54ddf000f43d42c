"""The stored passport (real database, SQLite and PostgreSQL) carries the sector KPIs with their
band and the "te controleren" warnings (README "KPI", "Te controleren", issue 13 item 5): an
implausible number is saved as typed and never blocks."""

from __future__ import annotations

import pytest

from app.kbo import make_number
from app.services import assessments, organisations, passports
from app.services.principal import SYSTEM
from app.store import Store
from frameworks.loader import shipped_catalogue

YEAR = 2025


@pytest.fixture()
def store(db_url):
    opened = Store(db_url, catalogue=shipped_catalogue())
    yield opened
    opened.dispose()


def _bouw(store):
    return organisations.register_organisation(
        store, SYSTEM, kbo=make_number(6100001), name="Bouw & Co", profile="bouw", fte=20.0
    )


def _save(store, view_id, answers):
    for question, value in answers.items():  # the version is per answer: each is new
        assessments.save_answer(store, SYSTEM, view_id, question, value, expected_version=0)


def test_implausible_gri_numbers_are_saved_and_listed_to_check(store):
    """Te controleren: 0 MWh with 8 employees is stored as typed and the passport lists it."""
    org = _bouw(store)
    view = assessments.start_assessment(store, SYSTEM, org.id, YEAR, framework="gri")
    _save(store, view.id, {"gri_2_7_employees": 8, "gri_302_1_energy": 0})
    passport = passports.get_passport(store, SYSTEM, view.id).passport
    assert [(c.question, c.other) for c in passport.to_check] == [
        ("gri_302_1_energy", "gri_2_7_employees")
    ]
    stored = assessments.get_assessment(store, SYSTEM, view.id).answer_values()
    assert stored["gri_302_1_energy"] == 0


def test_the_frequency_rate_kpi_carries_the_sector_band(store):
    """KPI: bouw's frequency rate 200 is "poor" against the sector thresholds, on the
    passport the results page, PDF and benchmarks read."""
    org = _bouw(store)
    view = assessments.start_assessment(store, SYSTEM, org.id, YEAR)
    _save(store, view.id, {"bouw_frequency_rate": 200})
    passport = passports.get_passport(store, SYSTEM, view.id).passport
    kpi = next(k for k in passport.kpis if k.kpi == "accident_frequency_rate")
    assert (kpi.value, kpi.band) == (200.0, "poor")


def test_a_gri_answer_contradicting_the_sector_frequency_rate_is_to_check(store):
    """Te controleren across frameworks: bouw's frequency rate 40 in the ISO passport beside
    the submitted GRI assessment of the same year (2 recordable injuries in 100 000 hours: a
    rate of 20) is listed on the passport; another year's GRI answers are not compared."""
    org = _bouw(store)
    iso = assessments.start_assessment(store, SYSTEM, org.id, YEAR)
    _save(store, iso.id, {"bouw_frequency_rate": 40})
    assert passports.get_passport(store, SYSTEM, iso.id).passport.to_check == []
    other_year = assessments.start_assessment(store, SYSTEM, org.id, YEAR + 1, framework="gri")
    gri_answers = {"gri_2_7_employees": 8, "gri_403_9_injuries": 2, "gri_403_9_hours_worked": 1e5}
    _save(store, other_year.id, gri_answers)
    assessments.submit(store, SYSTEM, other_year.id)
    assert passports.get_passport(store, SYSTEM, iso.id).passport.to_check == []
    gri = assessments.start_assessment(store, SYSTEM, org.id, YEAR, framework="gri")
    _save(store, gri.id, gri_answers)
    assessments.submit(store, SYSTEM, gri.id)
    to_check = passports.get_passport(store, SYSTEM, iso.id).passport.to_check
    assert [(c.framework, c.question, c.other, c.other_value) for c in to_check] == [
        ("iso26000", "bouw_frequency_rate", "gri:gri_403_9_injuries", 20.0)
    ]
    assert "GRI 403-9" in to_check[0].message["nl"]
