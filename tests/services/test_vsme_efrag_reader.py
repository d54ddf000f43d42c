"""What EFRAG's converter relies on, for the demo SME's filled Digital Template (issue 12,
item 4 "EFRAG's own converter reads it as a complete report").

The converter itself (github EFRAG-EU/Digital-Template-to-XBRL-Converter) is not a dependency:
``tools/check_vsme_with_efrag.py`` runs it and LibreOffice by hand. These tests guard, without
network, what that run showed the converter needs: it opens the workbook with openpyxl
``data_only=True`` and reads cached values through the named ranges, a number through its
``<Concept>_unit`` cell, a table row through its row key; the template's own validation
(sheet "Table of Contents & Validation") wants waste codes in the dropdown's own text and the
head count it computes the collective-bargaining percentage from."""

from __future__ import annotations

import io
import warnings
import zipfile

import openpyxl
import pytest
from lxml import etree

from app.services import auth, demo, vsme
from app.store import Store
from exports.vsme import template
from exports.vsme.report import with_derived
from exports.vsme.taxonomy import taxonomy
from frameworks.loader import shipped_catalogue

YEAR = 2026
KMO = "kmo@demo.be"


def _open(data: bytes, data_only: bool = True):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


@pytest.fixture()
def kmo(db_url, monkeypatch):
    """(report, xlsx bytes) of kmo@demo.be's current VSME report in a fresh demo database,
    through ``vsme_download``, the path of the page and of ``mvo export vsme --org``."""
    monkeypatch.delenv("MVO_ENV", raising=False)
    store = Store(db_url, catalogue=shipped_catalogue())
    demo.seed_demo(store, per_sector=1, current_year=YEAR)
    sme = auth.authenticate(store, KMO, "demo")
    organisation_id = sme.organisation_id
    report = vsme.vsme_report(store, sme, organisation_id, YEAR)
    _name, data = vsme.vsme_download(store, sme, organisation_id, YEAR, "xlsx")
    yield with_derived(report), data
    store.dispose()


def test_named_ranges_report_inputs_and_cached_values_are_there_for_the_reader(kmo):
    """Should give every filled datapoint's named range a value, set the report-level inputs
    (entity identifier and scheme, currency, period start and end; the period dates are the
    template's formulas over the filled year, month and day), and leave no formula cell
    without a cached value (the converter reads them with ``data_only=True``), while
    the Basic module's validation reads COMPLETE for the demo SME's complete report."""
    report, data = kmo
    workbook, formulas = _open(data), _open(data, data_only=False)
    empty = [
        name
        for name, value in report.facts.items()
        if value not in (None, [], "")
        and all(v in (None, "") for v in template.read_named_range(workbook, name))
    ]
    assert len(report.facts) > 50 and not empty, empty
    inputs = {
        "template_reporting_entity_identifier_scheme": "EU ID",
        "template_reporting_entity_identifier": report.entity.euid,
        "template_currency": "EUR",
        "template_reporting_period_startdate": f"{YEAR}-01-01",
        "template_reporting_period_enddate": f"{YEAR}-12-31",
    }
    for name, expected in inputs.items():
        assert template.read_named_range(workbook, name) == [expected], name
    (start,) = [
        c
        for row in template.range_cells(formulas, "template_reporting_period_startdate")
        for c in row
    ]
    assert start.data_type == "f"  # kept, with its value cached
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        without = [
            (name, cell.get("r"))
            for name in sheets
            for cell in etree.fromstring(archive.read(name)).iter(f"{{{template.MAIN_NS}}}c")
            if cell.find(f"{{{template.MAIN_NS}}}f") is not None
            and cell.find(f"{{{template.MAIN_NS}}}v") is None
        ]
    assert not without, without[:5]
    # the template's own overall status, as EFRAG's converter reads it (it warns "reports
    # that it is incomplete" unless this says COMPLETE): computed for this report
    assert workbook["Table of Contents & Validation"]["C3"].value == "COMPLETE"


def test_every_number_has_its_unit_cell_and_every_row_key_is_a_dropdown_entry(kmo):
    """Should name the unit in the ``<Concept>_unit`` cell of every reported area, mass and
    volume (facts and table rows; the converter drops a number without one), write each
    waste row key exactly as the template's dropdown has it (EFRAG's check calls a code
    without its indentation an ERROR), and fill the head count the template computes the
    collective-bargaining percentage from."""
    report, data = kmo
    workbook = _open(data)
    tax = taxonomy()
    names = set(workbook.defined_names)
    missing = []
    for name, value in report.facts.items():
        if f"{name}_unit" in names and isinstance(value, int | float):
            point = tax.resolve(name)
            label = template.UNIT_LABELS.get(tax.unit(point.concept, "EUR") or "")
            if label and template.read_named_range(workbook, f"{name}_unit")[0] != label:
                missing.append(name)
    used: dict[str, int] = {}
    for row in report.rows:
        index = used.get(row.axis, 0)
        used[row.axis] = index + 1
        for column, value in row.values.items():
            if f"{column}_unit" in names and isinstance(value, int | float):
                unit = template.range_cells(workbook, f"{column}_unit")[index][0].value
                if unit not in template.UNIT_LABELS.values():
                    missing.append(f"{row.axis}[{index}].{column}")
    assert not missing, missing
    waste_keys = [
        v for v in template.read_named_range(workbook, "TypeOfWasteAxis") if v not in (None, "")
    ]
    dropdown = set(template.read_named_range(workbook, "enum_ListTypeOfWastes"))
    assert waste_keys and all(k in dropdown for k in waste_keys), waste_keys
    # EFRAG's own rule for a waste code row key: 13 characters before the first "-"
    assert all(len(k[: k.index("-")]) == 13 for k in waste_keys), waste_keys
    share = report.facts["PercentageOfEmployeesCoveredByCollectiveBargainingAgreements"]
    head_count = workbook["Social Disclosures"]["D151"].value
    assert head_count == pytest.approx(share * report.facts["NumberOfEmployees"])
