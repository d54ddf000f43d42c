"""The Start-to-MVO result page (issue 11): it is the scan's result, badged and downloaded as
such in the chosen language, not as a level "Scan" and a "PDF-paspoort"."""

from __future__ import annotations

import pytest
from app_support import signed_in_app
from test_pages import _last_value

from app.kbo import make_number
from app.services import auth, organisations
from app.services.principal import SYSTEM


def _scan_results(seeded, language: str):
    kbo = make_number(8123457)
    organisations.register_organisation(seeded.store, SYSTEM, kbo=kbo, name="Starter BV")
    auth.create_user(
        seeded.store, SYSTEM, "starter@demo.be", "sme", password="demo", organisation_kbo=kbo
    )
    at = signed_in_app("starter@demo.be")
    at.button(key="home:open").click().run()
    assert not at.exception
    first = next(r for r in at.radio if r.key.startswith("w:start_to_mvo:"))
    first.set_value(_last_value(at, first.key)).run()
    at.switch_page("ui/pages/sme_results.py").run()
    if language == "en":
        at.sidebar.radio(key="ui:language_toggle").set_value("en").run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("language", "badge", "download", "file_name"),
    [
        (
            "nl",
            "Resultaat van de Start-to-MVO-scan",
            "Resultaat van de Start-to-MVO-scan downloaden (PDF)",
            "start-to-mvo-scan-",
        ),
        (
            "en",
            "Start-to-MVO scan result",
            "Download the Start-to-MVO scan result (PDF)",
            "start-to-mvo-scan-",
        ),
    ],
)
def test_the_scan_result_is_badged_and_downloaded_as_the_scan_result(
    seeded, language, badge, download, file_name
):
    at = _scan_results(seeded, language)
    shown = " ".join(m.value for m in at.markdown)
    assert badge in shown
    assert ">Scan<" not in shown
    (button,) = at.get("download_button")
    assert button.proto.label == download
    assert "paspoort" not in button.proto.label.lower() and "passport" not in button.proto.label


def _a_value(question):
    """An allowed answer for ``question`` (the first option, the top level, yes)."""
    kind = question.type
    if kind == "maturity":
        return 4
    if kind == "yes_no":
        return True
    if kind == "choice":
        return question.options[0].id
    if kind == "multi":
        return [question.options[0].id]
    if kind == "number":
        return question.min if question.min is not None else 1
    return "tekst"


@pytest.mark.parametrize(
    ("language", "final"),
    [("nl", "Ingediend: deze scan is definitief."), ("en", "Submitted: this scan is final.")],
)
def test_a_submitted_scan_says_the_scan_is_final_not_a_passport(seeded, language, final):
    from app.services import assessments, catalogue

    kbo = make_number(8123465)
    org = organisations.register_organisation(seeded.store, SYSTEM, kbo=kbo, name="Gescand BV")
    auth.create_user(
        seeded.store, SYSTEM, "gescand@demo.be", "sme", password="demo", organisation_kbo=kbo
    )
    view = assessments.start_assessment(
        seeded.store, SYSTEM, org.id, 2025, profile=None, framework="start_to_mvo"
    )
    questions = catalogue.questionnaire(seeded.store.catalogue, "start_to_mvo", None).questions
    for qid, question in questions.items():
        if question.required:
            assessments.save_answer(
                seeded.store, SYSTEM, view.id, qid, _a_value(question), expected_version=0
            )
    assessments.submit(seeded.store, SYSTEM, view.id)
    at = signed_in_app("gescand@demo.be")
    at.button(key=f"home:results:{view.id}").click().run()
    if language == "en":
        at.sidebar.radio(key="ui:language_toggle").set_value("en").run()
    assert not at.exception
    shown = [s.value for s in at.success]
    assert final in shown
    assert not [s for s in shown if "paspoort" in s or "passport" in s]
