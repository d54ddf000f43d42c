"""VSME indicators of a sector (issue 12, item 5) under the disclosure rules of the scores:

- S9: a group below k shows nothing; no group below k follows by subtracting a size class
  from all sizes (complementary suppression); only submitted VSME reports count.
- S10: no member's own figure leaves, consenting or not: the VSME part of the federation's
  downloads holds aggregates only, and a non-consenting member's figure, name and KBO are in
  none of its bytes.
- Only the sector's federation, the department and admin read them.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace

import openpyxl
import pytest

from app.services import assessments, disclosure
from app.services.errors import AccessDenied
from app.store import Store
from exports.data import to_xlsx
from frameworks.loader import load_catalogue
from tests.pg_cluster import FIXTURES

from .helpers import PROFILE, organisation, principal

ROOT = FIXTURES.parents[1]

YEAR = 2025
ENERGY = "vsme_total_energy_consumption"
SCOPE1 = "vsme_gross_scope1_greenhouse_gas_emissions"
SCOPE2 = "vsme_gross_location_based_scope2_greenhouse_gas_emissions"
TURNOVER = "vsme_turnover"
EMPLOYEES = "vsme_number_of_employees"


@pytest.fixture()
def store(db_url):
    """The example sector (k = 5) with the shipped VSME framework beside it."""
    cat = load_catalogue(
        [
            FIXTURES / "example_framework.yaml",
            FIXTURES / "example_profile.yaml",
            ROOT / "frameworks" / "vsme.yaml",
        ]
    )
    assert "vsme" in cat.frameworks, cat.report
    opened = Store(db_url, catalogue=cat)
    yield opened
    opened.dispose()


def _report(store, n, energy, *, fte=12.0, consent=True, submit=True):
    org, sme = organisation(store, n, consent=consent, fte=fte)
    started = assessments.start_assessment(store, sme, org.id, YEAR, framework="vsme")
    values = {
        ENERGY: energy,
        SCOPE1: energy * 0.2,
        SCOPE2: energy * 0.05,
        TURNOVER: 1_000_000.0,
        EMPLOYEES: 10 + n,
    }
    view = assessments.get_assessment(store, sme, started.id)
    for question, value in values.items():
        view = assessments.get_assessment(store, sme, started.id)
        assessments.save_answer(
            store, sme, started.id, question, value, expected_version=view.answer_version(question)
        )
    if submit:
        assessments.submit(store, sme, started.id)
    return org


def _federation(store):
    return principal(store, "federation", "fed@example.be", sectors=[PROFILE])


def _downloads(store, fed) -> dict[str, str]:
    """Every download format's content as text (an XLSX by its cell values)."""
    found = {}
    for format in ("json", "csv"):
        found[format] = disclosure.sector_download(
            store, fed, PROFILE, YEAR, format=format
        ).decode()
    book = openpyxl.load_workbook(
        io.BytesIO(disclosure.sector_download(store, fed, PROFILE, YEAR, format="xlsx"))
    )
    found["xlsx"] = "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )
    return found


def test_a_group_below_k_shows_no_vsme_indicator(store):
    for n in range(4):
        _report(store, n, 100.0 + n)
    fed = _federation(store)
    cell = disclosure.vsme_statistics(store, fed, PROFILE).cell(YEAR)
    assert cell is not None and cell.n is None and cell.kpis == {}
    document = json.loads(disclosure.sector_download(store, fed, PROFILE, YEAR, format="json"))
    assert all(c["n"] in (None, 0) and c["kpis"] == {} for c in document["vsme"])
    book = openpyxl.load_workbook(
        io.BytesIO(disclosure.sector_download(store, fed, PROFILE, YEAR, format="xlsx"))
    )
    kinds = {row[5] for row in book["vsme"].iter_rows(min_row=2, values_only=True)}  # detail_id
    assert kinds == {"participants"}  # counts only, and those withheld


def test_vsme_indicators_at_k_are_aggregates_without_any_members_own_figure(store):
    energies = [100.0, 120.0, 140.0, 160.0]
    for n, energy in enumerate(energies):
        _report(store, n, energy, consent=True)
    secret = _report(store, 9, 9876.5, consent=False)
    fed = _federation(store)
    cell = disclosure.vsme_statistics(store, fed, PROFILE).cell(YEAR)
    energy = cell.kpis["energy_mwh"]
    assert cell.n == 5 and energy.n == 5
    assert energy.mean == pytest.approx(sum(energies + [9876.5]) / 5)  # counted, inside
    assert energy.median == 140.0 and energy.p75 == 160.0
    assert cell.kpis["ghg_intensity"].median == pytest.approx(140.0 * 0.25)  # per EUR million
    assert not hasattr(cell, "min") and not hasattr(cell, "max")
    release = disclosure.sector_release(store, fed, PROFILE, YEAR)
    assert release.vsme == disclosure.vsme_statistics(store, fed, PROFILE)
    for format, content in _downloads(store, fed).items():
        assert "9876.5" not in content, format
        assert secret.name not in content and secret.kbo not in content, format
    department = principal(store, "department", "dep@example.be")
    sheet = openpyxl.load_workbook(
        io.BytesIO(
            to_xlsx([disclosure.vsme_sheet(disclosure.vsme_statistics(store, department, PROFILE))])
        )
    )["vsme"]
    energy_rows = [r for r in sheet.iter_rows(values_only=True) if r[7] == "energy_mwh"]  # item_id
    # all five are small: the class equals all sizes, nothing to subtract
    # size_class_id, values n, median
    assert [(r[2], r[8], r[11]) for r in energy_rows] == [("small", 5, 140), ("all", 5, 140)]
    document = json.loads(disclosure.sector_download(store, fed, PROFILE, YEAR, format="json"))
    assert set(document["vsme"][0]) == {
        "framework_version",
        "year",
        "size_class",
        "n",
        "overall",
        "sections",
        "topics",
        "kpis",
    }


def test_vsme_size_class_cannot_be_subtracted_from_all_sizes(store):
    """Five small members and one medium: the medium class is below k, and publishing the
    small class beside all sizes would give the medium member's figures by subtraction, so
    only all sizes is published (as for the scores)."""
    for n in range(5):
        _report(store, n, 100.0 + 10 * n, fte=20.0)
    _report(store, 7, 5000.0, fte=120.0)
    fed = _federation(store)
    stats = disclosure.vsme_statistics(store, fed, PROFILE)
    assert stats.cell(YEAR).n == 6 and stats.cell(YEAR).kpis["energy_mwh"].n == 6
    for size in ("small", "medium"):
        cell = stats.cell(YEAR, size)
        assert cell.n is None and cell.kpis == {}, size


def test_only_submitted_vsme_reports_count(store):
    for n in range(5):
        _report(store, n, 100.0)
    _report(store, 8, 7777.0, submit=False)
    cell = disclosure.vsme_statistics(store, _federation(store), PROFILE).cell(YEAR)
    assert cell.n == 5 and cell.kpis["energy_mwh"].mean == 100.0


def test_vsme_indicators_are_refused_outside_the_sector(store):
    org, sme = organisation(store, 1)
    # a federation of another sector (only one sector exists in this catalogue)
    other = replace(_federation(store), sectors=frozenset({"bouw"}))
    department = principal(store, "department", "dep@example.be")
    for refused in (sme, other):
        with pytest.raises(AccessDenied):
            disclosure.vsme_statistics(store, refused, PROFILE)
    assert disclosure.vsme_statistics(store, department, PROFILE).profile == PROFILE
