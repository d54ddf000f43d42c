"""A first-time user's flows in a real browser (Chromium through Playwright, the app served
by ``streamlit run app/server.py`` on a fresh demo database): no page opened by address meets
Streamlit's "Page not found" popup, sign-out on any page ends on the sign-in form, and
screenshots of the pages (Dutch and English, desktop and phone) go to ``var/shots/i11-pages``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_e2e_browser import CHROMIUM, TIMEOUT_MS, _require_chromium, _settle

from app.devserver import demo_environment, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots" / "i11-pages"
SIGNED_IN = re.compile("Aangemeld als|Signed in as")
SIGN_IN_FORM = 'input[aria-label="E-mailadres"], input[aria-label="E-mail address"]'
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    _require_chromium()
    env = demo_environment(tmp_path_factory.mktemp("e2e-first-time"))
    with serve(env) as app:
        yield app.base


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def _page(browser, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def _sign_in(page, base: str, email: str) -> None:
    page.goto(base)
    _settle(page)
    page.get_by_label("E-mailadres").first.fill(email)
    page.get_by_label("Wachtwoord", exact=True).first.fill("demo")
    page.get_by_role("button", name="Aanmelden").first.click()
    page.get_by_text(SIGNED_IN).first.wait_for()
    _settle(page)


def _no_popup(page) -> bool:
    return (
        page.get_by_text(re.compile("Page not found|running the app's main page", re.I)).count()
        == 0
    )


@pytest.mark.parametrize("path", ["federatie", "federation", "beheer", "admin", "vragenlijst"])
def test_a_page_opened_by_address_while_signed_out_shows_the_sign_in_form(
    served_app, browser, path
):
    context, page = _page(browser)
    page.goto(f"{served_app}/{path}")
    _settle(page)
    page.locator(SIGN_IN_FORM).first.wait_for()
    assert _no_popup(page)
    context.close()


def test_a_signed_in_federation_user_opening_federation_lands_on_it(served_app, browser):
    context, page = _page(browser)
    _sign_in(page, served_app, "federatie@demo.be")
    for path in ("federatie", "federation"):
        page.goto(f"{served_app}/{path}")
        _settle(page)
        page.get_by_text(re.compile("Sectorbenchmark")).first.wait_for()
        assert _no_popup(page)
    page.goto(f"{served_app}/beheer")  # another role's page: a refusal, no popup
    _settle(page)
    assert _no_popup(page)
    context.close()


@pytest.mark.parametrize("path", ["vragenlijst", "resultaten", "start"])
def test_signing_out_on_an_sme_page_ends_on_the_sign_in_form(served_app, browser, path):
    context, page = _page(browser)
    _sign_in(page, served_app, "kmo@demo.be")
    page.get_by_role("button", name="Vragenlijst openen").click()
    page.wait_for_url(re.compile("vragenlijst"))
    _settle(page)
    page.goto(f"{served_app}/{path}")
    _settle(page)
    page.get_by_role("button", name="Afmelden").first.click()
    page.locator(SIGN_IN_FORM).first.wait_for()
    _settle(page)
    assert page.get_by_text(SIGNED_IN).count() == 0
    assert page.get_by_text("Meld u aan om deze pagina te zien.").count() == 0
    context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_the_first_time_pages(served_app, browser, lang, device):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = _page(browser, DESKTOP if device == "desktop" else PHONE)
    page.goto(f"{served_app}/?lang={lang}")
    _settle(page)
    page.screenshot(path=str(SHOTS / f"signin-{lang}-{device}.png"), full_page=True)
    page.get_by_role("tab", name=re.compile("Registreren|Register")).click()
    _settle(page)
    page.screenshot(path=str(SHOTS / f"registration-{lang}-{device}.png"), full_page=True)
    for email, path, name in (
        ("kmo@demo.be", "start", "sme-home"),
        ("admin@demo.be", "beheer", "admin"),
        ("departement@demo.be", "departement", "department"),
    ):
        context.close()  # a fresh browser per account
        context, page = _page(browser, DESKTOP if device == "desktop" else PHONE)
        _sign_in(page, served_app, email)
        page.goto(f"{served_app}/{path}?lang={lang}")
        _settle(page)
        page.screenshot(path=str(SHOTS / f"{name}-{lang}-{device}.png"), full_page=True)
    context.close()
