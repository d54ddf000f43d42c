"""The action plan in a real browser (issue #13 item 9): ``streamlit run`` on a fresh demo
database, Debian's Chromium through Playwright. The demo SME has an action of last year that
is not done and one of this year; the results page shows both (the first "overgedragen uit"),
each status beside its topic's score change, on a desktop and on a 390x844 phone without
sideways scrolling; a status changed in the browser is stored; the downloaded PDF passport
lists the actions. Screenshots go to ``test-artifacts/actions/`` (git-ignored)."""

from __future__ import annotations

import io
import os
import re
from datetime import date
from pathlib import Path

import pytest

from app.devserver import demo_environment, serve

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "actions"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TIMEOUT_MS = 120_000

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

SETTLED_JS = """() => {
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    const running = status && /Running|Bezig|Stop/.test(status.innerText);
    return !running && !document.querySelector('[data-testid="stSkeleton"], .stSkeleton');
}"""


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    page.wait_for_function(SETTLED_JS, timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED_JS, timeout=TIMEOUT_MS)


def _seed_actions(env: dict[str, str]) -> tuple[int, int, int]:
    """Last year's open action and this year's, for the demo SME (through the services)."""
    from app.services import actions, assessments, auth
    from app.store.db import Store

    store = Store(env["MVO_DATABASE_URL"])
    try:
        sme = auth.authenticate(store, "kmo@demo.be", "demo")
        mine = assessments.list_assessments(store, sme)
        year = max(a.year for a in mine)
        carried = actions.create_action(
            store,
            sme,
            sme.organisation_id,
            year=year - 1,
            title="Risicoanalyse werven actualiseren",
            owner="Preventieadviseur An",
            deadline=date(year, 3, 31),
            status="in_progress",
            cost="2.400",
            scheme="werkbaarheidscheque",
            framework="iso26000",
            question_id="iso_6_4_6_a",
        )
        actions.create_action(
            store,
            sme,
            sme.organisation_id,
            year=year,
            title="Fietsleasing voor bedienden bekijken",
            owner="HR (Lien)",
            deadline=date(year + 1, 9, 30),
        )
        return carried.id, year, sme.organisation_id
    finally:
        store.dispose()


def _sign_in_and_open_results(page, base: str) -> None:
    page.goto(base)
    _settle(page)
    page.get_by_label("E-mailadres").first.fill("kmo@demo.be")
    page.get_by_label("Wachtwoord", exact=True).first.fill("demo")
    page.get_by_role("button", name="Aanmelden").first.click()
    page.get_by_text(re.compile("Aangemeld als")).first.wait_for(timeout=TIMEOUT_MS)
    _settle(page)
    page.goto(f"{base}/resultaten")
    _settle(page)
    page.get_by_role("heading", name="Actieplan").first.wait_for(timeout=TIMEOUT_MS)


def test_action_plan_in_the_browser_on_desktop_and_phone(tmp_path_factory):
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    env = demo_environment(tmp_path_factory.mktemp("e2e-actions"))
    carried_id, year, organisation_id = _seed_actions(env)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(env) as app, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        for name, viewport in (
            ("desktop", {"width": 1400, "height": 1000}),
            ("phone", {"width": 390, "height": 844}),
        ):
            phone = name == "phone"
            context = browser.new_context(
                viewport=viewport, is_mobile=phone, has_touch=phone, accept_downloads=True
            )
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            _sign_in_and_open_results(page, app.base)
            part = page.locator('[class*="st-key-actions-part"]').first
            part.scroll_into_view_if_needed()
            _settle(page)
            text = part.inner_text()
            assert f"Risicoanalyse werven actualiseren (overgedragen uit {year - 1})" in text
            assert f"Scoreverschil thema sinds {year - 1}" in text
            assert "6.4.6 Gezondheid en veiligheid op het werk:" in text
            assert "Kost: € 2.400,00" in text and "Fietsleasing voor bedienden bekijken" in text
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{name}: the page scrolls sideways ({width} px)"
            part.screenshot(path=str(ARTIFACTS / f"e2e-action-plan-{name}.png"))
            context.close()

        # the status changed in the browser is stored, and the PDF lists the actions
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        _sign_in_and_open_results(page, app.base)
        card = page.locator(f'[class*="st-key-actions-card-{carried_id}"]').first
        card.scroll_into_view_if_needed()
        card.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="klaar").click()
        _settle(page)
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.get_by_role("button", name=re.compile("PDF-paspoort downloaden")).click()
        pdf = Path(download.value.path()).read_bytes()
        (ARTIFACTS / "e2e-passport.pdf").write_bytes(pdf)
        context.close()
        browser.close()

    from app.services import actions
    from app.services.principal import SYSTEM
    from app.store.db import Store

    store = Store(env["MVO_DATABASE_URL"])
    try:
        status = {
            a.id: a.status for a in actions.list_actions(store, SYSTEM, organisation_id, year)
        }
    finally:
        store.dispose()
    assert status[carried_id] == "done"
    text = re.sub(
        r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    )
    for word in ("Actieplan", "Risicoanalysewervenactualiseren", "PreventieadviseurAn", "klaar"):
        assert word in text, word
