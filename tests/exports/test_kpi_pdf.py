"""The passport PDF and the scan report list the "te controleren" warnings and the KPI table
shows the sector band (README "KPI", "Te controleren", issue 13 item 5), read back with pypdf."""

from __future__ import annotations

from export_helpers import pdf_pages_text, squash

from exports.documents import build_passport_document
from exports.pdf import render_passport, render_scan
from frameworks.compose import effective_framework
from frameworks.loader import shipped_catalogue
from scoring import score
from scoring.models import Organisation
from scoring.passport import build

ORG = Organisation(name="Bouw A&B <bv>", kbo="0202239951", fte=12)


def test_passport_pdf_lists_to_check_and_the_kpi_band():
    """Te controleren + KPI: 0 MWh beside 8 employees is listed; frequency rate 200 is
    "Aandachtspunt" in the KPI table."""
    catalogue = shipped_catalogue()
    profile = catalogue.profiles["bouw"]
    iso, gri = catalogue.frameworks["iso26000"], catalogue.frameworks["gri"]
    cards = {
        "iso26000": score(iso, {"bouw_frequency_rate": 200}, profile),
        "gri": score(gri, {"gri_2_7_employees": 8, "gri_302_1_energy": 0}, profile),
    }
    passport = build(cards, profile, organisation=ORG, year=2026, frameworks={"gri": gri})
    frameworks = {"iso26000": iso, "gri": gri}
    document = build_passport_document(passport, frameworks, profile, None, "nl")
    [(question, why)] = document.to_check
    assert why.startswith("U hebt werknemers maar meldt 0 MWh")
    assert "Beoordeling (sectordrempels)" in document.kpis.header
    text = squash(
        " ".join(pdf_pages_text(render_passport(passport, frameworks, profile, None, "nl")))
    )
    assert squash("Te controleren") in text
    assert squash("meldt 0 MWh energie") in text
    assert squash("Aandachtspunt") in text


def test_scan_report_lists_to_check():
    """Te controleren: the Start-to-MVO report lists 0 kWh beside employees."""
    scan = shipped_catalogue().frameworks["start_to_mvo"]
    card = score(scan, {"st_employees": 4, "st_electricity_kwh": 0})
    passport = build(
        {"start_to_mvo": card}, None, organisation=ORG, year=2026, frameworks={"start_to_mvo": scan}
    )
    text = squash(" ".join(pdf_pages_text(render_scan(passport, scan, "nl"))))
    assert squash("Te controleren") in text and squash("meldt 0 kWh elektriciteit") in text
    plausible = build(
        {"start_to_mvo": score(scan, {"st_employees": 4, "st_electricity_kwh": 900})},
        None,
        organisation=ORG,
        year=2026,
        frameworks={"start_to_mvo": scan},
    )
    assert squash("Te controleren") not in squash(
        " ".join(pdf_pages_text(render_scan(plausible, scan, "nl")))
    )


def test_passport_pdf_lists_a_gri_answer_contradicting_the_sector_rate():
    """Te controleren across frameworks: bouw's frequency rate 40 beside GRI 403-9's 2
    injuries in 100 000 hours (rate 20) is listed under the sector question's own text, on
    the document and in the PDF."""
    catalogue = shipped_catalogue()
    profile = catalogue.profiles["bouw"]
    iso, gri = catalogue.frameworks["iso26000"], catalogue.frameworks["gri"]
    gri_answers = {"gri_403_9_injuries": 2, "gri_403_9_hours_worked": 100_000}
    cards = {
        "iso26000": score(iso, {"bouw_frequency_rate": 40}, profile),
        "gri": score(gri, gri_answers, profile),
    }
    effective = effective_framework(iso, profile)
    passport = build(
        cards, profile, organisation=ORG, year=2026, frameworks={"iso26000": effective, "gri": gri}
    )
    frameworks = {"iso26000": iso, "gri": gri}
    document = build_passport_document(passport, frameworks, profile, None, "nl")
    [(question, why)] = document.to_check
    assert question.startswith("Wat was uw frequentiegraad van arbeidsongevallen")
    assert "GRI 403-9" in why
    text = squash(
        " ".join(pdf_pages_text(render_passport(passport, frameworks, profile, None, "nl")))
    )
    assert squash("hoger dan wat uw GRI 403-9-cijfers geven") in text
