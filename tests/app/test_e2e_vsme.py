"""In Chromium on the demo database (issue 12): kmo@demo.be's VSME-rapport page in Dutch and
English shows the Basic module complete, nothing missing, EFRAG's credit, and its three
downloads are a real xlsx (EFRAG's template, read back by its named ranges), xBRL-JSON and
PDF. Screenshots go to ``var/shots/i12-vsme/`` (git-ignored)."""

# ruff: noqa: F811 (the browser fixture is imported from test_e2e_browser)
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from test_e2e_browser import (  # noqa: F401 (fixtures)
    ROOT,
    TIMEOUT_MS,
    _settle,
    _sign_in,
    browser,
)

from app.devserver import demo_environment, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]
SHOTS = ROOT / "var" / "shots" / "i12-vsme"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-vsme")
    env = demo_environment(folder)
    with serve(env) as app:
        yield app.base


#: Filling EFRAG's workbook (openpyxl loads it twice) takes a minute on a busy machine.
DOWNLOAD_MS = 300_000


def _download(page, label: str) -> bytes:
    with page.expect_download(timeout=DOWNLOAD_MS) as started:
        page.get_by_role("button", name=label).click()
    return open(started.value.path(), "rb").read()


def test_vsme_page_in_chromium_with_its_three_downloads(demo, browser):
    import openpyxl
    from pypdf import PdfReader

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _sign_in(page, demo, "kmo@demo.be")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("VSME-rapport").click()
    page.wait_for_url(re.compile(r"vsme-rapport"), timeout=TIMEOUT_MS)
    _settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_text("Elk datapunt dat de basismodule vraagt, is beantwoord.").wait_for()
    page.get_by_text("Er ontbreekt niets in de basismodule.").wait_for()
    page.get_by_text("VSME Digital Template © EFRAG, MIT-licentie").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "desktop-nl.png"), full_page=True)

    xlsx = _download(page, "EFRAG Digital Template (XLSX)")
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(xlsx)).namelist()
    book = openpyxl.load_workbook(io.BytesIO(xlsx), data_only=True)  # as EFRAG's reader does
    assert "TotalEnergyConsumption" in book.defined_names
    sheet, cell = next(iter(book.defined_names["TotalEnergyConsumption"].destinations))
    assert float(book[sheet][cell.replace("$", "")].value) > 0
    document = json.loads(_download(page, "xBRL-JSON"))
    concepts = {f["dimensions"]["concept"] for f in document["facts"].values()}
    assert "vsme:GrossScope1GreenhouseGasEmissions" in concepts
    pdf = _download(page, "Rapport (PDF)")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Verbeke" in text and "EFRAG" in text

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    _settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_role("heading", name="VSME report", exact=True).wait_for()
    page.get_by_text("Nothing is missing in the Basic module.").wait_for()
    page.get_by_text("VSME Digital Template © EFRAG, MIT licence").wait_for()
    page.screenshot(path=str(SHOTS / "desktop-en.png"), full_page=True)
    pdf = _download(page, "Report (PDF)")
    assert pdf.startswith(b"%PDF")
    context.close()
