"""The VSME outputs: the filled EFRAG Digital Template read back through its named ranges,
and the xBRL-JSON checked fact by fact against the taxonomy JSON (issue 12, item 4)."""

from __future__ import annotations

import datetime as dt
import io
import json
import warnings

import openpyxl
import pytest

from exports.vsme import template, xbrl
from exports.vsme.report import VsmeReport, with_derived
from exports.vsme.taxonomy import TAXONOMY_FILE, taxonomy
from tests.exports.vsme_helpers import sample_report


def _open(data: bytes, data_only: bool = True):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


@pytest.fixture(scope="module")
def filled() -> bytes:
    return template.fill(sample_report())


@pytest.fixture(scope="module")
def workbook(filled):
    return _open(filled)


def _expected_cell(value):
    tax = taxonomy()
    if isinstance(value, str) and ":" in value and value in tax.concepts:
        return tax.label(value)
    return value


def test_every_fact_reads_back_from_its_named_range(workbook):
    """Should hold every fact (derived totals included) in the named range of its concept."""
    report = with_derived(sample_report())
    tax = taxonomy()
    for name, value in report.facts.items():
        cells = template.read_named_range(workbook, name)
        if isinstance(value, list):
            members = tax.enumeration_members(tax.resolve(name).concept)
            if all(isinstance(c, bool) for c in cells if c is not None):
                chosen = [m for m, c in zip(members, cells, strict=False) if c]
                assert sorted(chosen) == sorted(value), name
            else:
                assert [c for c in cells if c][: len(value)] == [tax.label(v) for v in value]
        elif isinstance(value, float):
            assert cells[0] == pytest.approx(value, rel=1e-12), name
        else:
            assert cells[0] == _expected_cell(value), name


def test_table_rows_read_back_by_row_key(workbook):
    """Should put a site's identifier in the row-key range and its columns in the same row."""
    assert template.read_named_range(workbook, "IdentifierOfSiteTypedAxis")[0] == "1"
    assert template.read_named_range(workbook, "CityOfSite")[0] == "Gent"
    assert template.read_named_range(workbook, "CountryOfSite")[0] == "Belgium"


def test_report_level_inputs_are_set(workbook):
    """Should set entity name, EU ID scheme + EUID of the KBO number, currency and the
    period dates that EFRAG's reader needs before it reads any fact."""
    read = lambda n: template.read_named_range(workbook, n)[0]  # noqa: E731
    assert read("template_reporting_entity_name") == "Bouw & Co <bv>"
    assert read("template_reporting_entity_identifier_scheme") == "EU ID"
    assert read("template_reporting_entity_identifier") == "BEKBOBCE.0123456749"
    assert read("template_currency") == "EUR"
    assert read("template_reporting_period_startdate") == "2026-01-01"
    assert read("template_reporting_period_enddate") == "2026-12-31"
    assert read("template_reporting_template_version") is not None
    assert read("template_selected_display_language") == "English - Official [en]"


def test_no_formula_cell_the_reader_relies_on_is_empty(filled, workbook):
    """Should leave no formula without a value: every formula cell inside a datapoint or
    report-level named range has a cached value that is not empty (the formulas are kept:
    ``tests/exports/vsme/test_formulas.py``)."""
    blank = template._load()
    tax = taxonomy()
    empty = []
    for name in blank.defined_names:
        point = tax.resolve(name)
        is_datapoint = point is not None and not tax.concept(point.concept).get("abstract")
        if not (is_datapoint or name.startswith("template_reporting")):
            continue
        for blank_row, row in zip(
            template.range_cells(blank, name), template.range_cells(workbook, name), strict=True
        ):
            for blank_cell, cell in zip(blank_row, row, strict=True):
                if blank_cell.data_type == "f" and cell.value is None:
                    empty.append((name, cell.coordinate))
    # an enumeration-set list (the omitted or unchanged disclosures) is empty by design where
    # no option is ticked: EFRAG's formula yields "" there, as in the blank template
    assert not [e for e in empty if not e[0].startswith("ListOf")], empty


def test_the_licence_sheet_and_efrag_copyright_stay(workbook):
    """Should keep EFRAG's MIT Licence sheet in the filled copy."""
    text = " ".join(str(c.value) for row in workbook["Licence"].iter_rows() for c in row if c.value)
    assert "EFRAG" in text and "MIT" in text


def test_an_unknown_datapoint_is_refused():
    """Should refuse a fact the template has no named range for, naming it."""
    report = sample_report().model_copy(update={"facts": {"NoSuchConcept": 1}})
    with pytest.raises(template.TemplateError, match="NoSuchConcept"):
        template.fill(report)


def test_an_option_outside_the_enumeration_is_refused():
    report = sample_report().model_copy(update={"facts": {"BasisForReporting": "vsme:Nope"}})
    with pytest.raises(template.TemplateError, match="vsme:Nope"):
        template.fill(report)


# -- xBRL-JSON --------------------------------------------------------------------------------

RAW = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))


def _check_fact(fact: dict, report: VsmeReport) -> list[str]:
    """Problems of one OIM fact against the taxonomy JSON."""
    dims = fact["dimensions"]
    concept = dims["concept"]
    info = RAW["concepts"].get(concept)
    if info is None:
        return [f"{concept}: no such concept"]
    problems = []
    start = f"{report.period_start.isoformat()}T00:00:00"
    after = f"{(report.period_end + dt.timedelta(days=1)).isoformat()}T00:00:00"
    expected_period = f"{start}/{after}" if info["periodType"] == "duration" else after
    if dims["period"] != expected_period:
        problems.append(f"{concept}: period {dims['period']}")
    data_type = info["dataType"]
    units = {
        "xbrli:monetaryItemType": "iso4217:EUR",
        "dtr-types:ghgEmissionsPerMonetaryItemType": "utr:tCO2e/iso4217:EUR",
        "dtr-types:energyItemType": "utr:MWh",
        "dtr-types:ghgEmissionsItemType": "utr:tCO2e",
        "dtr-types:massItemType": "utr:t",
        "dtr-types:volumeItemType": "utr:m3",
        "dtr-types:areaItemType": "utr:ha",
        "dtr-types:percentItemType": "xbrli:pure",
        "xbrli:decimalItemType": "xbrli:pure",
    }
    if dims.get("unit") != units.get(data_type):
        problems.append(f"{concept}: unit {dims.get('unit')} for {data_type}")
    value = fact["value"]
    if info.get("numeric"):
        float(value)
    elif data_type == "xbrli:booleanItemType" and value not in ("true", "false"):
        problems.append(f"{concept}: boolean {value}")
    elif data_type.startswith("enum2:"):
        allowed = {
            RAW["namespaces"][m.split(":")[0]] + "#" + m.split(":")[1]
            for m in info["other"]["ee20DomainMembers"]
        }
        if not set(value.split()) <= allowed:
            problems.append(f"{concept}: {value} not in its domain")
    # dimensions: each axis must belong to a hypercube of the concept, with a member of it
    cubes = [
        t
        for role, tables in RAW["dimensions"].items()
        if role != "_defaults"
        for t in tables.values()
        if any(item == concept for _, item in t.get("primaryItems", []))
    ]
    for axis, member in dims.items():
        if axis in ("concept", "entity", "period", "unit"):
            continue
        if RAW["dimensions"]["_defaults"].get(axis) == member:
            problems.append(f"{concept}: default member {member} on {axis}")
        ok = any(
            member in t.get("explicitDimensions", {}).get(axis, [])
            or axis in t.get("typedDimensions", [])
            for t in cubes
        )
        if not ok:
            problems.append(f"{concept}: {axis}={member} not in its hypercubes")
    return problems


def test_every_xbrl_json_fact_fits_the_taxonomy():
    """Should give each fact an existing concept, its data type's unit, the period type's
    period and only dimensions (and members) of the concept's hypercubes."""
    report = sample_report()
    document = xbrl.xbrl_json(report)
    assert document["documentInfo"]["documentType"] == "https://xbrl.org/2021/xbrl-json"
    assert document["documentInfo"]["taxonomy"] == [RAW["entryPoint"]]
    facts = list(document["facts"].values())
    assert len(facts) == len(with_derived(report).facts) + sum(len(r.values) for r in report.rows)
    problems = [p for fact in facts for p in _check_fact(fact, report)]
    assert problems == []
    assert {f["dimensions"]["entity"] for f in facts} == {"scheme:BEKBOBCE.0123456749"}


def test_the_checker_catches_a_wrong_unit_and_member():
    """Should fail a fact with a wrong unit or a default member (the check can fail)."""
    report = sample_report()
    bad = {
        "value": "1",
        "dimensions": {
            "concept": "vsme:EnergyConsumptionFromElectricity",
            "entity": "scheme:X",
            "period": "2026-01-01T00:00:00/2027-01-01T00:00:00",
            "unit": "utr:kWh",
            "vsme:BreakdownOfEnergyConsumptionAxis": "vsme:TotalRenewableAndNonRenewableEnergyMember",
        },
    }
    assert len(_check_fact(bad, report)) == 2


def test_energy_breakdown_members_and_defaults():
    """Should put the renewable member on the breakdown axis and leave the default total
    without a dimension."""
    facts = xbrl.facts(sample_report())
    electricity = [f for f in facts if f["dimensions"]["concept"].endswith("FromElectricity")]
    axes = sorted(
        f["dimensions"].get("vsme:BreakdownOfEnergyConsumptionAxis", "-") for f in electricity
    )
    assert axes == ["-", "vsme:NonRenewableEnergyMember", "vsme:RenewableEnergyMember"]
    total = next(
        f for f in electricity if "vsme:BreakdownOfEnergyConsumptionAxis" not in f["dimensions"]
    )
    assert total["value"] == "60.0"


# -- PDF --------------------------------------------------------------------------------------


def test_the_pdf_carries_the_values_the_credit_and_the_cap():
    """Should print the datapoints with their values, the calculation trail, EFRAG's credit
    and the value-chain note, in Dutch."""
    import pypdf  # noqa: PLC0415

    from exports.vsme.pdf import render  # noqa: PLC0415

    reader = pypdf.PdfReader(io.BytesIO(render(sample_report(), "nl")))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for expected in (
        "Totale energieconsumptie",
        "210,5",
        "38,2",
        "Copyright (c) 2025 EFRAG",
        "value-chain cap",
        "Bouw & Co <bv>",
        "15 000 l diesel",
        "47,8",
    ):
        assert expected in flat, expected


def test_calculator_figures_flow_into_template_json_and_trail():
    """Should report the calculator's B3 figures in the xBRL-JSON with the taxonomy's units,
    and carry every calculation step (with its factor's source) into the trail."""
    from exports.vsme.calculator import CalculatorInput, calculate  # noqa: PLC0415
    from exports.vsme.report import with_calculation  # noqa: PLC0415

    result = calculate(CalculatorInput(electricity_kwh=50_000, diesel_litres=3_000))
    base = sample_report()
    facts = {
        k: v
        for k, v in base.facts.items()
        if "Energy" not in k and "GHG" not in k and "Greenhouse" not in k
    }
    report = with_calculation(base.model_copy(update={"facts": facts, "trail": []}), result)
    by_name = result.as_datapoints()
    assert report.facts["TotalEnergyConsumption"] == by_name["TotalEnergyConsumption"]
    assert report.trail and all(step.source for step in report.trail)
    problems = [p for f in xbrl.facts(report) for p in _check_fact(f, report)]
    assert problems == []


@pytest.mark.parametrize(
    ("language", "verified", "unverified"),
    [
        ("nl", "factor geverifieerd", "factor niet geverifieerd"),
        ("en", "factor verified", "factor not verified"),
    ],
)
def test_the_pdfs_how_computed_says_which_factor_was_verified(language, verified, unverified):
    """Item 2: a refrigerant top-up (IPCC AR6 GWP, checked against 7.SM.7) shows as verified,
    diesel (DESNZ, not read here) as not verified, in the PDF's "how computed" table."""
    import pypdf  # noqa: PLC0415

    from exports.vsme.calculator import CalculatorInput, Refrigerant, calculate  # noqa: PLC0415
    from exports.vsme.pdf import render  # noqa: PLC0415
    from exports.vsme.report import with_calculation  # noqa: PLC0415

    result = calculate(
        CalculatorInput(diesel_litres=1_000, refrigerant_top_ups_kg={Refrigerant.R32: 2.0})
    )
    steps = [s for f in result.figures.values() for s in f.steps if s.factor_id]
    assert {s.factor_id: s.verified for s in steps}["gwp_r32"] is True
    assert {s.factor_id: s.verified for s in steps}["diesel_litre"] is False
    base = sample_report()
    facts = {k: v for k, v in base.facts.items() if "Energy" not in k and "GHG" not in k}
    facts = {k: v for k, v in facts.items() if "Greenhouse" not in k}
    report = with_calculation(base.model_copy(update={"facts": facts, "trail": []}), result)
    reader = pypdf.PdfReader(io.BytesIO(render(report, language)))
    flat = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert verified in flat and unverified in flat
