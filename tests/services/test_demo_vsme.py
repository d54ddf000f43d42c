"""Demo VSME reports (issue 12, item 6): every organisation with a submitted passport has a VSME
report for both demo years, B3 figures agree with one another as the calculator makes them
and scale with sector and size, and kmo@demo.be's current report has the whole Basic module."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from app.services import assessments, auth, demo, vsme
from app.services.values import decode_value
from app.store import Store
from app.store.models import AnswerRow, AssessmentRow, OrganisationRow
from frameworks.loader import shipped_catalogue
from frameworks.models import NA

YEAR = 2026


@pytest.fixture()
def seeded(db_url, monkeypatch):
    monkeypatch.delenv("MVO_ENV", raising=False)
    store = Store(db_url, catalogue=shipped_catalogue())
    demo.seed_demo(store, per_sector=6, current_year=YEAR)
    yield store
    store.dispose()


def _by_datapoint(store: Store, assessment_id: int) -> dict[str, object]:
    framework = store.catalogue.frameworks["vsme"]
    with store.read() as session:
        rows = session.execute(
            select(AnswerRow.question_id, AnswerRow.value, AnswerRow.na).where(
                AnswerRow.assessment_id == assessment_id
            )
        ).all()
    return {
        framework.questions[r.question_id].vsme.datapoint: decode_value(r.value, r.na) for r in rows
    }


def test_kmo_demo_should_have_a_complete_basic_module_this_year(seeded):
    """Every Basic datapoint of kmo@demo.be's current VSME report is answered: an "Always"
    one with a value, an "If applicable" one with a value or "not applicable". Only the list
    of omitted disclosures (nothing is omitted; the template computes it) stays empty, and
    ``vsme_progress`` finds nothing missing in B1-B11."""
    store = seeded
    sme = auth.authenticate(store, "kmo@demo.be", "demo")
    own = assessments.list_assessments(store, sme)
    current = next(a for a in own if a.framework == "vsme" and a.year == YEAR)
    assert current.status == "draft"  # the SME can still change it and use the calculator
    answered = _by_datapoint(store, current.id)
    framework = store.catalogue.frameworks["vsme"]
    basic = [q for t in framework.sections[0].topics for q in t.questions]
    assert framework.sections[0].id == "vsme_basic" and len(basic) == 110
    open_ = sorted(q.vsme.datapoint for q in basic if q.vsme.datapoint not in answered)
    assert open_ == ["ListOfOmittedDisclosuresDeemedToBeClassifiedOrSensitiveInformation"]
    for question in basic:
        if question.vsme.status == "always" and question.vsme.datapoint in answered:
            assert answered[question.vsme.datapoint] != NA, question.id
    assert answered["UndertakingsLegalForm"] == "other_undertakings_legal_form"
    assert answered["OtherUndertakingsLegalForm"] == "Naamloze vennootschap (NV)"
    assert answered["CityOfSite"] == "Roeselare"
    previous = next(a for a in own if a.framework == "vsme" and a.year == YEAR - 1)
    assert previous.status == "submitted"
    progress = vsme.vsme_progress(store, sme, sme.organisation_id, YEAR)
    basic = [p for p in progress if p.module == "basic"]
    assert [p.code for p in basic] == [f"B{n}" for n in range(1, 12)]
    assert all(p.complete and p.answered == p.required for p in basic), basic


def test_demo_vsme_b3_figures_should_agree_as_the_calculator_computes_them(seeded):
    store = seeded
    with store.read() as session:
        ids = session.scalars(select(AssessmentRow.id).where(AssessmentRow.framework == "vsme"))
        reports = [_by_datapoint(store, i) for i in ids]
    assert reports
    for facts in reports:
        energy = facts["TotalEnergyConsumption"]
        electricity = float(
            facts["EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember"]
        )
        fuels = float(facts["EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember"])
        assert energy == pytest.approx(electricity + fuels, abs=0.01)
        s1 = facts["GrossScope1GreenhouseGasEmissions"]
        s2 = facts["GrossLocationBasedScope2GreenhouseGasEmissions"]
        total = facts["TotalGrossLocationBasedScope1AndScope2GHGEmissions"]
        assert s1 > 0 and s2 > 0 and total == pytest.approx(s1 + s2)
        intensity = facts["Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased"]
        assert intensity == pytest.approx(total / facts["Turnover"])
        employees = facts["NumberOfEmployees"]
        assert facts["NumberOfMaleEmployees"] + facts["NumberOfFemaleEmployees"] == employees


def test_every_organisation_with_a_submitted_passport_should_have_vsme_for_both_years(seeded):
    store = seeded
    with store.read() as session:
        rows = session.execute(
            select(
                OrganisationRow.profile,
                OrganisationRow.fte,
                AssessmentRow.organisation_id,
                AssessmentRow.framework,
                AssessmentRow.year,
                AssessmentRow.status,
                AssessmentRow.profile.label("assessment_profile"),
                AssessmentRow.id,
            ).join(OrganisationRow, OrganisationRow.id == AssessmentRow.organisation_id)
        ).all()
    passport = {(r.organisation_id, r.year): r.status for r in rows if r.framework != "vsme"}
    vsme = {(r.organisation_id, r.year): r for r in rows if r.framework == "vsme"}
    with_submitted = {o for (o, _y), status in passport.items() if status == "submitted"}
    assert {o for o, _y in vsme} == with_submitted
    for organisation in with_submitted:
        for year in (YEAR - 1, YEAR):
            row = vsme[(organisation, year)]
            assert row.assessment_profile is None  # VSME is taken without a sector profile
            if passport.get((organisation, year)) != "submitted":
                assert row.status == "draft"
    # energy per FTE follows the sector: transport uses far more than ICT
    per_fte = defaultdict(list)
    for row in vsme.values():
        facts = _by_datapoint(store, row.id)
        per_fte[row.profile].append(facts["TotalEnergyConsumption"] / row.fte)
    mean = {p: sum(v) / len(v) for p, v in per_fte.items()}
    assert mean["transport_logistiek"] > 4 * mean["ict"]
    assert mean["voeding"] > mean["retail"] > mean["ict"]


def test_kmo_demo_report_should_render_all_three_outputs(seeded):
    """The demo SME's report goes through ``vsme_download`` as a real xlsx (a zip with the
    template's workbook), xBRL-JSON and PDF."""
    import io
    import json
    import zipfile

    from pypdf import PdfReader

    store = seeded
    sme = auth.authenticate(store, "kmo@demo.be", "demo")
    outputs = {
        f: vsme.vsme_download(store, sme, sme.organisation_id, YEAR, f) for f in vsme.FORMATS
    }
    name, xlsx = outputs["xlsx"]
    assert name.endswith(f"-{YEAR}.xlsx")
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(xlsx)).namelist()
    facts = json.loads(outputs["json"][1])["facts"]
    concepts = {f["dimensions"]["concept"] for f in facts.values()}
    assert "vsme:GrossScope1GreenhouseGasEmissions" in concepts
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(outputs["pdf"][1])).pages)
    assert "EFRAG" in text and "Verbeke" in text


def test_every_demo_vsme_report_should_build_from_its_answers(seeded):
    """Every demo answer fits its datapoint: the department builds each report (tables, codes
    and enumerations resolved) without a refusal."""
    store = seeded
    department = auth.authenticate(store, "departement@demo.be", "demo")
    with store.read() as session:
        keys = session.execute(
            select(AssessmentRow.organisation_id, AssessmentRow.year).where(
                AssessmentRow.framework == "vsme"
            )
        ).all()
    assert len(keys) > 40
    for organisation_id, year in keys:
        report = vsme.vsme_report(store, department, organisation_id, year)
        assert report.facts["TotalEnergyConsumption"] > 0
        assert any(row.axis == "TypeOfWasteAxis" for row in report.rows)


def test_submitted_vsme_reports_are_no_passports_for_the_department(seeded):
    """VSME is a disclosure, never a passport: the department's overview and its passports of
    a year (batch export, anonymised data) leave the submitted VSME reports out."""
    from app.services import department

    store = seeded
    principal = auth.authenticate(store, "departement@demo.be", "demo")
    passports = department.submitted_passports(store, principal, YEAR - 1)
    assert passports and "vsme" not in {p.framework for p in passports}
    lines = department.overview(store, principal, YEAR - 1)
    with store.read() as session:
        scans = session.scalars(  # the demo SME's Start-to-MVO scan has no sector either
            select(AssessmentRow.id).where(
                AssessmentRow.framework == "start_to_mvo", AssessmentRow.year == YEAR - 1
            )
        ).all()
    # the sector-less line holds the scans only, no VSME report
    assert lines and sum(line.started for line in lines if line.profile is None) == len(scans)
    with store.read() as session:
        submitted = session.scalars(
            select(AssessmentRow.id).where(
                AssessmentRow.framework == "vsme",
                AssessmentRow.year == YEAR - 1,
                AssessmentRow.status == "submitted",
            )
        ).all()
    assert submitted  # there are submitted VSME reports to leave out


def test_kmo_demo_report_shows_what_rolled_forward_from_last_year(seeded):
    """Values of this year's demo report equal to last year's carry last year as their source
    (as the roll-forward leaves them), so the page's "unchanged since last year" has work."""
    from app.services import carry_over

    store = seeded
    sme = auth.authenticate(store, "kmo@demo.be", "demo")
    current = vsme.vsme_assessment_id(store, sme, sme.organisation_id, YEAR)
    sources = carry_over.answer_sources(store, sme, current)
    carried = {q for q, s in sources.items() if s.kind == "last_year"}
    assert {"vsme_basis_for_preparation", "vsme_city_of_site"} <= carried
    assert all(sources[q].year == YEAR - 1 for q in carried)
    assert "vsme_total_energy_consumption" not in carried  # energy changed from last year
    confirmed = carry_over.confirm_unchanged(store, sme, current, ["vsme_city_of_site"])
    assert confirmed["vsme_city_of_site"].confirmed
