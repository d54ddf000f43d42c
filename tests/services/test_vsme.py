"""Issue 12, the VSME service layer on SQLite and PostgreSQL: answer once (a GRI answer or the
organisation's data prefills the VSME datapoint and a VSME answer the GRI question, with the
source recorded), never over an answer the user gave; roll-forward of last year's VSME
answers with the "unchanged since last year" confirmation; progress per disclosure; the
report's facts from the answers; access only for the organisation, the department and admin
(a federation is refused); ``mvo export vsme --org/--year`` in each format (the xlsx read
back through its named ranges) and the department's batch with its manifest."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import warnings
from types import SimpleNamespace

import openpyxl
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from app.cli import cli
from app.commands import exporting
from app.kbo import make_number
from app.services import assessments, auth, carry_over, organisations, vsme
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.principal import SYSTEM
from app.store import Store
from exports.vsme import template
from exports.vsme.taxonomy import taxonomy
from frameworks.loader import shipped_catalogue

YEAR = 2025
ENERGY = "vsme_total_energy_consumption"
EMPLOYEES = "vsme_number_of_employees"
NACE = "vsme_nace_sector_classification_codes"
WASTE = "vsme_total_waste_generated_mass"
BASIS = "vsme_basis_for_preparation"
TURNOVER_RATE = "vsme_employee_turnover_rate"
SITE_ID = "vsme_identifier_of_site_typed_axis"
SITE_CITY = "vsme_city_of_site"
SITE_COUNTRY = "vsme_country_of_site"


@pytest.fixture()
def store(db_url):
    """A migrated database of the test's backend with the shipped catalogue (gri, vsme, ...)."""
    opened = Store(db_url, catalogue=shipped_catalogue())
    yield opened
    opened.dispose()


def _organisation(store, n: int = 1, *, fte: float = 12.0, nace: str | None = "43.221"):
    org = organisations.register_organisation(
        store,
        SYSTEM,
        kbo=make_number(5000000 + n),
        name=f"Bouw {n} & Co <bv>",
        profile="bouw",
        fte=fte,
        nace=nace,
        municipality="Gent",
    )
    user = auth.create_user(store, SYSTEM, f"kmo{n}@example.be", "sme", organisation_kbo=org.kbo)
    return org, auth.get_principal(store, user.id)


def _save(store, sme, assessment_id, question_id, value):
    current = assessments.get_assessment(store, sme, assessment_id)
    return assessments.save_answer(
        store,
        sme,
        assessment_id,
        question_id,
        value,
        expected_version=current.answer_version(question_id),
    )


def _vsme(store, sme, org, year=YEAR):
    return assessments.start_assessment(store, sme, org.id, year, framework="vsme")


def _gri(store, sme, org, year=YEAR):
    return assessments.start_assessment(store, sme, org.id, year, framework="gri")


# --------------------------------------------------------------------------- answer once
def test_a_gri_answer_should_prefill_the_vsme_datapoint_with_its_source(store):
    org, sme = _organisation(store)
    gri = _gri(store, sme, org)
    _save(store, sme, gri.id, "gri_302_1_energy", 210.5)
    _save(store, sme, gri.id, "gri_306_3_waste", 12.25)  # GRI "tonnes", VSME "t": the same
    report = _vsme(store, sme, org)
    assert report.answers[ENERGY].value == 210.5
    assert report.answers[WASTE].value == 12.25
    sources = carry_over.answer_sources(store, sme, report.id)
    assert sources[ENERGY].kind == "framework"
    assert (sources[ENERGY].framework, sources[ENERGY].question) == ("gri", "gri_302_1_energy")
    assert sources[ENERGY].raw == "framework:gri:gri_302_1_energy"
    assert sources[ENERGY].conversion is None and not sources[ENERGY].confirmed


def test_the_organisations_data_should_prefill_vsme_with_the_field_named(store):
    org, sme = _organisation(store, fte=12.0, nace="43.221")
    report = _vsme(store, sme, org)
    assert report.answers[EMPLOYEES].value == 12
    assert report.answers[NACE].value == "43.221"
    assert report.answers[SITE_CITY].value == "Gent"
    sources = carry_over.answer_sources(store, sme, report.id)
    assert sources[EMPLOYEES].raw == "organisation:fte"
    assert sources[NACE].field == "nace" and sources[SITE_CITY].field == "municipality"


def test_a_gri_answer_should_win_over_the_organisations_fte(store):
    org, sme = _organisation(store, fte=12.0)
    gri = _gri(store, sme, org)
    _save(store, sme, gri.id, "gri_2_7_employees", 14)
    report = _vsme(store, sme, org)
    assert report.answers[EMPLOYEES].value == 14
    assert carry_over.answer_sources(store, sme, report.id)[EMPLOYEES].framework == "gri"


def test_a_vsme_answer_should_prefill_the_gri_question_that_sources_names(store):
    org, sme = _organisation(store)
    report = _vsme(store, sme, org)
    _save(store, sme, report.id, ENERGY, 88.0)
    _save(store, sme, report.id, "vsme_number_of_female_employees", 3)
    gri = _gri(store, sme, org)
    assert gri.answers["gri_302_1_energy"].value == 88.0
    assert gri.answers["gri_2_7_women"].value == 3
    sources = carry_over.answer_sources(store, sme, gri.id)
    assert sources["gri_302_1_energy"].raw == f"framework:vsme:{ENERGY}"


def test_prefill_should_never_overwrite_an_answer_the_user_gave(store):
    org, sme = _organisation(store)
    report = _vsme(store, sme, org)
    _save(store, sme, report.id, ENERGY, 99.0)
    gri = _gri(store, sme, org)  # gets the 99 from VSME ...
    _save(store, sme, gri.id, "gri_302_1_energy", 210.5)  # ... and the user changes it there
    _save(store, sme, gri.id, "gri_305_1_scope1", 38.2)
    added = carry_over.prefill_missing(store, sme, report.id)
    after = assessments.get_assessment(store, sme, report.id)
    assert after.answers[ENERGY].value == 99.0  # the user's own value stays
    assert after.answers["vsme_gross_scope1_greenhouse_gas_emissions"].value == 38.2
    assert added == {"framework": 1}
    sources = carry_over.answer_sources(store, sme, report.id)
    assert sources[ENERGY].kind == "user"
    assert sources["vsme_gross_scope1_greenhouse_gas_emissions"].question == "gri_305_1_scope1"
    assert carry_over.prefill_missing(store, sme, report.id) == {}


def test_typing_over_a_prefilled_value_should_make_its_source_user(store):
    org, sme = _organisation(store)
    report = _vsme(store, sme, org)
    assert carry_over.answer_sources(store, sme, report.id)[EMPLOYEES].kind == "organisation"
    _save(store, sme, report.id, EMPLOYEES, 13)
    assert carry_over.answer_sources(store, sme, report.id)[EMPLOYEES].kind == "user"


def test_units_should_convert_where_they_differ_and_refuse_what_cannot_be_converted():
    """kWh -> MWh divides by 1000 and says so; GRI's "tonnes" is VSME's "t"; kWh -> t is
    no conversion at all (nothing would be carried over)."""
    kwh, mwh = SimpleNamespace(unit="kWh"), SimpleNamespace(unit="MWh")
    tonnes, t = SimpleNamespace(unit="tonnes"), SimpleNamespace(unit="t")
    assert carry_over.conversion(kwh, mwh) == (0.001, "kWh -> MWh x 0.001")
    assert carry_over.conversion(mwh, kwh) == (1000.0, "MWh -> kWh x 1000")
    assert carry_over.conversion(tonnes, t) == (1.0, None)
    assert carry_over.conversion(kwh, t) is None
    assert carry_over._converted(210500, 0.001) == 210.5


# --------------------------------------------------------------------------- roll-forward
def test_roll_forward_should_carry_last_years_vsme_answers_and_the_confirm_flag(store):
    org, sme = _organisation(store, nace=None)
    last = _vsme(store, sme, org, YEAR - 1)
    _save(store, sme, last.id, BASIS, "option_a_basic_module_only")
    _save(store, sme, last.id, TURNOVER_RATE, 8.0)
    _save(store, sme, last.id, ENERGY, 150.0)
    gri = _gri(store, sme, org)
    _save(store, sme, gri.id, "gri_302_1_energy", 175.0)  # this year's figure, elsewhere
    this = _vsme(store, sme, org)
    assert this.answers[BASIS].value == "option_a_basic_module_only"
    assert this.answers[TURNOVER_RATE].value == 8.0
    assert this.answers[ENERGY].value == 175.0  # this year's GRI figure beats last year's
    sources = carry_over.answer_sources(store, sme, this.id)
    assert sources[BASIS].kind == "last_year" and sources[BASIS].year == YEAR - 1
    assert sources[ENERGY].kind == "framework"
    assert not sources[BASIS].confirmed
    revision = assessments.get_assessment(store, sme, this.id).version
    confirmed = carry_over.confirm_unchanged(store, sme, this.id, [BASIS, TURNOVER_RATE])
    assert set(confirmed) == {BASIS, TURNOVER_RATE}
    sources = carry_over.answer_sources(store, sme, this.id)
    assert sources[BASIS].confirmed and sources[TURNOVER_RATE].confirmed
    assert not sources[ENERGY].confirmed
    assert assessments.get_assessment(store, sme, this.id).version == revision + 1
    _save(store, sme, this.id, TURNOVER_RATE, 9.0)  # changed after all: no longer confirmed
    after = carry_over.answer_sources(store, sme, this.id)[TURNOVER_RATE]
    assert after.kind == "user" and not after.confirmed


def test_confirming_an_answer_not_carried_over_should_be_refused_naming_it(store):
    org, sme = _organisation(store)
    last = _vsme(store, sme, org, YEAR - 1)
    _save(store, sme, last.id, BASIS, "option_a_basic_module_only")
    this = _vsme(store, sme, org)
    with pytest.raises(InvalidInput) as refused:
        carry_over.confirm_unchanged(store, sme, this.id, [BASIS, EMPLOYEES])
    assert refused.value.field == EMPLOYEES and EMPLOYEES in str(refused.value)
    assert not carry_over.answer_sources(store, sme, this.id)[BASIS].confirmed


# --------------------------------------------------------------------------- progress, report
def test_progress_should_count_per_disclosure_and_list_what_is_missing(store):
    org, sme = _organisation(store)
    before = {p.code: p for p in vsme.vsme_progress(store, sme, org.id, YEAR)}
    assert [c for c in before if c.startswith("B")] == [f"B{i}" for i in range(1, 12)]
    assert [c for c in before if c.startswith("C")] == [f"C{i}" for i in range(1, 10)]
    assert before["B3"].answered == 0 and ENERGY in before["B3"].missing
    assert before["B3"].title_nl.startswith("B3") and before["B3"].module == "basic"
    assert before["C1"].module == "comprehensive"
    report = _vsme(store, sme, org)
    _save(store, sme, report.id, ENERGY, 50.0)
    after = {p.code: p for p in vsme.vsme_progress(store, sme, org.id, YEAR)}
    assert ENERGY not in after["B3"].missing
    assert after["B3"].answered == 1
    assert after["B3"].always == before["B3"].always
    assert len(after["B3"].missing) == len(before["B3"].missing) - 1
    b1 = after["B1"]  # NACE, FTE and municipality came from the organisation
    assert b1.answered == 3 and EMPLOYEES not in b1.missing and not b1.complete


def _filled_report(store, sme, org):
    report = _vsme(store, sme, org)
    for question, value in [
        (BASIS, "option_a_basic_module_only"),
        ("vsme_undertakings_legal_form", "private_limited_liability_undertaking"),
        (ENERGY, 210.5),
        ("vsme_gross_scope1_greenhouse_gas_emissions", 38.2),
        ("vsme_gross_location_based_scope2_greenhouse_gas_emissions", 9.6),
        (TURNOVER_RATE, 8.0),
        ("vsme_employees_receive_pay_equal_or_above_minimum_wage_6c549a11", True),
        (SITE_ID, "1\n2"),
        (SITE_CITY, "Gent\nAalst"),
        (SITE_COUNTRY, "BE\nBelgium"),
    ]:
        _save(store, sme, report.id, question, value)
    return report


def test_the_report_should_hold_the_answers_in_the_reports_convention(store):
    org, sme = _organisation(store)
    _filled_report(store, sme, org)
    report = vsme.vsme_report(store, sme, org.id, YEAR)
    assert report.entity.kbo == org.kbo and report.entity.name == org.name
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (
        f"{YEAR}-01-01",
        f"{YEAR}-12-31",
    )
    facts = report.facts
    assert facts["BasisForPreparation"] == "vsme:OptionABasicModuleOnlyMember"
    assert facts["UndertakingsLegalForm"] == "vsme:PrivateLimitedLiabilityUndertakingMember"
    assert facts["TotalEnergyConsumption"] == 210.5
    assert facts["EmployeeTurnoverRate"] == pytest.approx(0.08)  # a percentage as a fraction
    assert facts["NaceSectorClassificationCodes"] == ["nace:NACE_F4322"]  # 43.221 -> 43.22
    assert facts["NumberOfEmployees"] == 12
    assert facts[
        "EmployeesReceivePayEqualOrAboveMinimumWageDeterminedByNationalLawOrCollectiveAgreement"
    ]
    sites = [r for r in report.rows if r.axis == "IdentifierOfSiteTypedAxis"]
    assert [(r.key, r.values["CityOfSite"], r.values["CountryOfSite"]) for r in sites] == [
        ("1", "Gent", "country:BE"),
        ("2", "Aalst", "country:BE"),
    ]


def test_an_answer_that_fits_no_datapoint_should_be_refused_naming_the_question(store):
    org, sme = _organisation(store)
    report = _vsme(store, sme, org)
    _save(store, sme, report.id, NACE, "43.22, bakkerij")
    with pytest.raises(InvalidInput) as refused:
        vsme.vsme_report(store, sme, org.id, YEAR)
    assert refused.value.field == NACE and "bakkerij" in str(refused.value)


def test_a_report_not_started_should_say_so_with_the_kbo_and_year(store):
    org, sme = _organisation(store)
    with pytest.raises(NotFound) as missing:
        vsme.vsme_download(store, sme, org.id, YEAR, "json")
    assert org.kbo in str(missing.value) and str(YEAR) in str(missing.value)


# --------------------------------------------------------------------------- access
def test_a_federation_and_another_sme_should_be_refused(store):
    org, sme = _organisation(store)
    report = _filled_report(store, sme, org)
    _other, stranger = _organisation(store, 2)
    federation = auth.get_principal(
        store, auth.create_user(store, SYSTEM, "fed@example.be", "federation", sectors=["bouw"]).id
    )
    for principal in (federation, stranger):
        for call in (
            lambda p: vsme.vsme_report(store, p, org.id, YEAR),
            lambda p: vsme.vsme_progress(store, p, org.id, YEAR),
            lambda p: vsme.vsme_download(store, p, org.id, YEAR, "pdf"),
        ):
            with pytest.raises(AccessDenied) as refused:
                call(principal)
            assert refused.value.message.id == "vsme-report-own-organisation-only"
        with pytest.raises(AccessDenied):
            carry_over.answer_sources(store, principal, report.id)
        with pytest.raises(AccessDenied):
            carry_over.confirm_unchanged(store, principal, report.id, [BASIS])
    department = auth.get_principal(
        store, auth.create_user(store, SYSTEM, "dept@example.be", "department").id
    )
    assert vsme.vsme_report(store, department, org.id, YEAR).entity.kbo == org.kbo
    assert vsme.vsme_organisations(store, federation, YEAR) == []


# --------------------------------------------------------------------------- the command line
def _cli(store, monkeypatch, *args):
    monkeypatch.setattr(exporting, "_store", lambda: store)
    return CliRunner().invoke(cli, ["export", "vsme", *args])


def _open(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


@pytest.mark.parametrize("format", vsme.FORMATS)
def test_mvo_export_vsme_org_year_should_write_the_stored_answers(
    store, monkeypatch, tmp_path, format
):
    org, sme = _organisation(store)
    _filled_report(store, sme, org)
    out = tmp_path / f"report.{format}"
    result = _cli(
        store, monkeypatch, "--org", org.kbo, "--year", str(YEAR), "--as", "kmo1@example.be",
        "--format", format, "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    name, same = vsme.vsme_download(store, sme, org.id, YEAR, format)
    assert name == f"vsme-{org.kbo}-{YEAR}.{format}"
    if format == "xlsx":
        workbook = _open(data)
        read = lambda name: template.read_named_range(workbook, name)  # noqa: E731
        assert read("TotalEnergyConsumption")[0] == 210.5
        assert read("GrossScope1GreenhouseGasEmissions")[0] == 38.2
        assert read("TotalGrossLocationBasedScope1AndScope2GHGEmissions")[0] == pytest.approx(47.8)
        assert read("EmployeeTurnoverRate")[0] == pytest.approx(0.08)
        assert read("NumberOfEmployees")[0] == 12
        assert read("CityOfSite")[:2] == ["Gent", "Aalst"]
        assert read("template_reporting_entity_identifier")[0] == f"BEKBOBCE.{org.kbo}"
        # every fact of the stored answers, in its named range
        tax = taxonomy()
        for name, value in vsme.vsme_report(store, sme, org.id, YEAR).facts.items():
            cells = read(name)
            if isinstance(value, list):
                assert [c for c in cells if c][: len(value)] == [tax.label(v) for v in value]
            elif isinstance(value, str) and value in tax.concepts:
                assert cells[0] == tax.label(value), name
            elif isinstance(value, bool):
                assert cells[0] is value, name
            elif isinstance(value, int | float):
                assert cells[0] == pytest.approx(value), name
            else:
                assert cells[0] == value, name
        assert read("template_reporting_period_enddate")[0] == f"{YEAR}-12-31"
    elif format == "json":
        assert data == same  # the CLI writes what the page downloads
        facts = json.loads(data)["facts"].values()
        energy = [f for f in facts if f["dimensions"]["concept"] == "vsme:TotalEnergyConsumption"]
        assert [float(f["value"]) for f in energy] == [210.5]
    else:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert "210" in text and org.kbo in text.replace(".", "").replace(" ", "")


def test_mvo_export_vsme_should_refuse_a_federation_and_write_nothing(store, monkeypatch, tmp_path):
    org, sme = _organisation(store)
    _filled_report(store, sme, org)
    auth.create_user(store, SYSTEM, "fed@example.be", "federation", sectors=["bouw"])
    out = tmp_path / "report.json"
    result = _cli(
        store, monkeypatch, "--org", org.kbo, "--year", str(YEAR), "--as", "fed@example.be",
        "--format", "json", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 1 and "own users" in result.output
    assert not out.exists()


def test_the_department_batch_should_write_every_report_and_a_manifest(
    store, monkeypatch, tmp_path
):
    kbos = []
    for n in (1, 2, 3):
        org, sme = _organisation(store, n)
        _filled_report(store, sme, org)
        kbos.append(org.kbo)
    auth.create_user(store, SYSTEM, "dept@example.be", "department")
    out = tmp_path / "vsme"
    result = _cli(
        store, monkeypatch, "--year", str(YEAR), "--all", "--as", "dept@example.be",
        "--format", "json", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pooled = tmp_path / "pooled"
    result = _cli(
        store, monkeypatch, "--year", str(YEAR), "--all", "--as", "dept@example.be",
        "--format", "json", "--out", str(pooled), "--workers", "2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (pooled / "manifest.csv").read_bytes() == (out / "manifest.csv").read_bytes()
    with (out / "manifest.csv").open(encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    assert sorted(r["kbo"] for r in manifest) == sorted(kbos)
    for row in manifest:
        data = (out / row["file"]).read_bytes()
        assert row["sha256"] == hashlib.sha256(data).hexdigest() and int(row["bytes"]) == len(data)
        assert row["error"] == "" and row["file"] == f"vsme-{row['kbo']}-{YEAR}.json"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["manifest.csv", *(f"vsme-{k}-{YEAR}.json" for k in kbos)]
    )
    listed = tmp_path / "orgs.txt"
    listed.write_text(f"# two of them\n{kbos[0]}\n\n{kbos[2]}\n", encoding="utf-8")
    result = _cli(
        store, monkeypatch, "--year", str(YEAR), "--orgs", str(listed), "--as",
        "dept@example.be", "--format", "pdf", "--out", str(tmp_path / "two"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "two").glob("*.pdf"))) == 2


def test_a_bad_kbo_in_the_orgs_file_should_name_the_line_and_write_nothing(
    store, monkeypatch, tmp_path
):
    auth.create_user(store, SYSTEM, "dept@example.be", "department")
    listed = tmp_path / "orgs.txt"
    listed.write_text("0123456749\n12345\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _cli(
        store, monkeypatch, "--year", str(YEAR), "--orgs", str(listed), "--as",
        "dept@example.be", "--format", "json", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 1 and f"{listed}:2" in result.output
    assert not out.exists()


# --------------------------------------------------------------------------- the calculator
def test_a_saved_calculation_should_become_b3_answers_with_their_trail(store):
    from exports.vsme.calculator import CalculatorInput

    org, sme = _organisation(store)
    report = _vsme(store, sme, org)
    _save(store, sme, report.id, "vsme_turnover", 2_500_000)
    inputs = CalculatorInput(electricity_kwh=60_000, diesel_litres=15_000, natural_gas_m3=8_000)
    result = vsme.save_calculation(store, sme, org.id, YEAR, inputs)
    points = result.as_datapoints()
    after = assessments.get_assessment(store, sme, report.id)
    scope1 = "vsme_gross_scope1_greenhouse_gas_emissions"
    assert after.answers[scope1].value == pytest.approx(points["GrossScope1GreenhouseGasEmissions"])
    assert after.answers[ENERGY].value == pytest.approx(points["TotalEnergyConsumption"])
    assert carry_over.answer_sources(store, sme, report.id)[scope1].kind == "calculator"
    saved = vsme.stored_calculation(store, sme, org.id, YEAR)
    assert saved.diesel_litres == 15_000 and saved.turnover_eur == 2_500_000  # from B1
    built = vsme.vsme_report(store, sme, org.id, YEAR)
    steps = [s for s in built.trail if s.datapoint == "GrossScope1GreenhouseGasEmissions"]
    assert any("15000 l" in s.formula or "15000" in s.formula for s in steps), steps
    assert all(s.source for s in steps)
    # the SME types over Scope 1: its value is reported, without the calculator's trail
    _save(store, sme, report.id, scope1, 40.0)
    built = vsme.vsme_report(store, sme, org.id, YEAR)
    assert built.facts["GrossScope1GreenhouseGasEmissions"] == 40.0
    assert not [s for s in built.trail if s.datapoint == "GrossScope1GreenhouseGasEmissions"]
    assert [s for s in built.trail if s.datapoint == "TotalEnergyConsumption"]


def test_refused_calculator_inputs_should_name_the_field_and_change_nothing(store):
    from exports.vsme.calculator import CalculatorInput

    org, sme = _organisation(store)
    report = _vsme(store, sme, org)
    before = assessments.get_assessment(store, sme, report.id).answer_values()
    with pytest.raises(InvalidInput) as refused:
        vsme.save_calculation(store, sme, org.id, YEAR, CalculatorInput(diesel_litres=-5))
    assert refused.value.field == "diesel_litres"
    assert assessments.get_assessment(store, sme, report.id).answer_values() == before
    assert vsme.stored_calculation(store, sme, org.id, YEAR) is None
    federation = auth.get_principal(
        store, auth.create_user(store, SYSTEM, "fed@example.be", "federation", sectors=["bouw"]).id
    )
    with pytest.raises(AccessDenied):
        vsme.save_calculation(store, federation, org.id, YEAR, CalculatorInput())
