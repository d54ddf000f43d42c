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
