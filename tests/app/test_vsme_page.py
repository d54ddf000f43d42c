"""AppTest of the SME's VSME-rapport page (issue 12, item 5): starting the report, progress per
disclosure (completeness, no score), the missing list with its way into the questionnaire,
the calculator saved as the B3 answers, sources of prefilled values, downloads, nl and en."""

from __future__ import annotations

import datetime as dt

import pytest
from app_support import signed_in_app

pytestmark = pytest.mark.slow

PAGE = "ui/pages/sme_vsme.py"
THIS_YEAR = dt.date.today().year


def _texts(at) -> str:
    parts = [
        e.value
        for e in (
            *at.markdown,
            *at.title,
            *at.subheader,
            *at.caption,
            *at.info,
            *at.success,
            *at.error,
        )
    ]
    return "\n".join(str(p) for p in parts)


def _vsme_answers(seeded, year: int = THIS_YEAR) -> dict:
    from app.services import assessments, vsme
    from app.services.principal import SYSTEM

    assessment_id = vsme.vsme_assessment_id(seeded.store, SYSTEM, seeded.sme_org_id, year)
    return assessments.get_assessment(seeded.store, SYSTEM, assessment_id).answer_values()


def _started_page(language: str = "nl"):
    at = signed_in_app("kmo@demo.be")
    at.switch_page(PAGE).run()
    assert not at.exception
    if language != "nl":
        at.radio(key="ui:language_toggle").set_value(language).run()
        assert not at.exception
    at.button(key="vsme:start").click().run()
    assert not at.exception
    return at


def test_vsme_page_starts_the_report_and_shows_progress_and_what_is_missing_in_dutch(seeded):
    at = signed_in_app("kmo@demo.be")
    at.switch_page(PAGE).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["VSME-rapport"]
    assert "nog niet begonnen" in _texts(at)
    at.button(key="vsme:start").click().run()
    assert not at.exception
    texts = _texts(at)
    assert "rapportering, geen score" in texts
    assert "Basismodule (B1-B11)" in texts
    [basic] = [d.value for d in at.dataframe if "Onderdeel" in d.value.columns][:1]
    assert [d.split(" ")[0] for d in basic["Onderdeel"]] == [f"B{n}" for n in range(1, 12)]
    assert len(basic) == 11 and basic["Ontbreekt"].sum() > 0
    assert "score" not in " ".join(basic.columns).lower()
    # the missing list names the question and takes the SME to it in the questionnaire
    assert "Grondslag voor het opstellen van informatie" in texts
    at.button(key="vsme:goto:vsme_basis_for_preparation").click().run()
    assert not at.exception
    assert at.query_params["section"] in ("vsme_basic", ["vsme_basic"])
    assert any("VSME" in t.value for t in at.title)  # the questionnaire of the VSME report


def test_vsme_page_calculator_result_is_saved_as_the_b3_answers(seeded):
    at = _started_page()
    at.text_input(key=f"w:vsme-calc:{_assessment_key(seeded)}:electricity_kwh").set_value(
        "50.000"
    ).run()
    assert not at.exception
    at.text_input(key=f"w:vsme-calc:{_assessment_key(seeded)}:diesel_litres").set_value(
        "1.000"
    ).run()
    assert not at.exception
    at.button(key="vsme:save_b3").click().run()
    assert not at.exception
    assert "B3-antwoorden bewaard" in _texts(at)
    answers = _vsme_answers(seeded)
    # 50 000 kWh at 0.161 kg/kWh (location-based, the factors file) = 8.05 t
    assert round(answers["vsme_gross_location_based_scope2_greenhouse_gas_emissions"], 6) == 8.05
    assert answers["vsme_total_energy_consumption"] > 50.0  # electricity + diesel in MWh
    assert answers["vsme_gross_scope1_greenhouse_gas_emissions"] > 0
    # the breakdown table column holds its figure as its one line
    assert answers["vsme_energy_consumption_from_electricity_non_renewable_bbe3ba4c"] == "50"
    again = signed_in_app("kmo@demo.be")
    again.switch_page(PAGE).run()
    assert not again.exception
    [basic] = [d.value for d in again.dataframe if "Onderdeel" in d.value.columns][:1]
    b3 = basic[basic["Onderdeel"].str.startswith("B3")].iloc[0]
    assert b3["Beantwoord"].split(" / ")[0] != "0"
    sources = next(d.value for d in again.dataframe if "Bron" in d.value.columns)
    assert "De rekenhulp (B3), uit uw facturen" in set(sources["Bron"])
    # the form shows the stored inputs again (Dutch notation)
    key = f"w:vsme-calc:{_assessment_key(seeded)}:electricity_kwh"
    assert again.text_input(key=key).value == "50.000"


def _assessment_key(seeded) -> int:
    from app.services import vsme
    from app.services.principal import SYSTEM

    return vsme.vsme_assessment_id(seeded.store, SYSTEM, seeded.sme_org_id, THIS_YEAR)


def test_vsme_page_in_english_with_downloads_and_the_efrag_credit(seeded):
    at = _started_page("en")
    texts = _texts(at)
    assert [t.value for t in at.title] == ["VSME report"]
    assert "disclosure, not a score" in texts and "What is still missing" in texts
    assert "VSME Digital Template © EFRAG, MIT licence" in texts
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {"EFRAG Digital Template (XLSX)", "xBRL-JSON", "Report (PDF)"}


def test_vsme_page_shows_where_a_rolled_forward_value_came_from_and_confirms_it(seeded):
    """Last year's report rolls forward into this year's; the page names the source, and the
    confirm button marks the chosen values "unchanged since last year"."""
    from app.services import assessments, carry_over, vsme
    from app.services.principal import SYSTEM

    store = seeded.store
    last = assessments.start_assessment(
        store, SYSTEM, seeded.sme_org_id, THIS_YEAR - 1, framework="vsme"
    )
    assessments.save_answer(
        store, SYSTEM, last.id, "vsme_basis_for_reporting", "individual", expected_version=0
    )
    assessments.submit(store, SYSTEM, last.id)
    at = _started_page()
    texts = _texts(at)
    assert "Waar de waarden vandaan komen" in texts
    sources = [d.value for d in at.dataframe if "Bron" in d.value.columns]
    assert sources and any(f"Vorig jaar ({THIS_YEAR - 1})" in s for s in sources[0]["Bron"])
    at.button(key="vsme:confirm").click().run()
    assert not at.exception
    current = vsme.vsme_assessment_id(store, SYSTEM, seeded.sme_org_id, THIS_YEAR)
    found = carry_over.answer_sources(store, SYSTEM, current)
    assert found["vsme_basis_for_reporting"].confirmed


def _submit_peer_reports(seeded, energies, first: int = 0):
    """VSME reports of the seeded peers ``first``, ``first + 1``, ... (example sector), each
    with its total energy, submitted through the services."""
    from app_support import YEAR

    from app.services import assessments, organisations
    from app.services.principal import SYSTEM

    for number, energy in enumerate(energies, start=first):
        peer = organisations.find_by_kbo(seeded.store, SYSTEM, make_peer_kbo(number))
        view = assessments.start_assessment(seeded.store, SYSTEM, peer.id, YEAR, framework="vsme")
        view = assessments.get_assessment(seeded.store, SYSTEM, view.id)
        assessments.save_answer(
            seeded.store,
            SYSTEM,
            view.id,
            "vsme_total_energy_consumption",
            energy,
            expected_version=view.answer_version("vsme_total_energy_consumption"),
        )
        assessments.submit(seeded.store, SYSTEM, view.id)


def make_peer_kbo(number: int) -> str:
    from app.kbo import make_number

    return make_number(5000000 + number)  # as app_support.seed numbers its peers


def _indicator_row(at, name: str = "Totaal energieverbruik"):
    frame = next(d.value for d in at.dataframe if "Indicator" in d.value.columns)
    return frame[frame["Indicator"] == name].iloc[0]


def test_federation_and_department_see_vsme_indicators_only_from_k_reports(seeded):
    _submit_peer_reports(seeded, [100.0, 200.0, 300.0, 400.0])  # 4 < k = 5
    at = signed_in_app("federatie@demo.be")
    at.switch_page("ui/pages/federation.py").run()
    assert not at.exception
    assert "VSME-indicatoren" in _texts(at)
    row = _indicator_row(at)
    assert row["n"] == "< 5" and row["Mediaan"] == "< 5"
    _submit_peer_reports(seeded, [500.0], first=4)
    at = signed_in_app("federatie@demo.be")
    at.switch_page("ui/pages/federation.py").run()
    assert not at.exception
    row = _indicator_row(at)
    assert row["n"] == "5" and row["Mediaan"] == "300,00" and row["Gemiddelde"] == "300,00"
    department = signed_in_app("departement@demo.be")
    department.switch_page("ui/pages/department.py").run()
    assert not department.exception
    assert "VSME-indicatoren per sector" in _texts(department)
    department.selectbox(key="dep:year").set_value(2025).run()
    assert not department.exception
    example = next(t for t in department.tabs if t.label == "Voorbeeldsector")  # its own tab
    row = _indicator_row(example)
    assert row["n"] == "5" and row["Mediaan"] == "300,00"
    labels = {b.proto.label for b in department.get("download_button")}
    assert "Download de VSME-indicatoren (XLSX)" in labels


def test_the_department_exports_a_years_vsme_reports_as_a_zip_with_a_manifest(seeded):
    """The department page's VSME batch: one file per VSME report of the year (the bytes
    ``vsme_download`` makes) and manifest.csv with KBO, file, bytes and sha256."""
    import csv
    import hashlib
    import io
    import zipfile

    from app_support import YEAR

    _submit_peer_reports(seeded, [100.0, 200.0])
    department = signed_in_app("departement@demo.be")
    department.switch_page("ui/pages/department.py").run()
    department.selectbox(key="dep:year").set_value(YEAR).run()
    department.selectbox(key="dep:vsme_format").set_value("json").run()
    department.button(key="dep:vsme_export").click().run(timeout=120)
    assert not department.exception
    archive = zipfile.ZipFile(io.BytesIO(department.session_state["dep:vsme_zip"]))
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"))))
    assert {make_peer_kbo(0), make_peer_kbo(1)} <= {row["kbo"] for row in manifest}
    for row in manifest:
        data = archive.read(row["file"])
        assert row["error"] == "" and row["file"] == f"vsme-{row['kbo']}-{YEAR}.json"
        assert int(row["bytes"]) == len(data)
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
    labels = {b.proto.label for b in department.get("download_button")}
    assert "Download de VSME-rapporten (zip)" in labels
