"""In Chromium on the demo database (issue 11): switching Nederlands <-> English on the
questionnaire page changes neither the stored answers nor the shown selections and writes
nothing to the audit log, in the first section (maturity) and the sector section (yes/no and
choice); the section is kept. Screenshots (nl/en, desktop and phone) go to
``var/shots/i11-questionnaire/`` (git-ignored)."""

# ruff: noqa: F811 (the browser fixture is imported from test_e2e_browser)
from __future__ import annotations

import re
import sqlite3

import pytest
from test_e2e_browser import (  # noqa: F401 (fixtures)
    ROOT,
    TIMEOUT_MS,
    _settle,
    _sign_in,
    browser,
    served_app,
)

from app.devserver import demo_environment, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]
SHOTS = ROOT / "var" / "shots" / "i11-questionnaire"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The served app and its SQLite file (to read the answers and the audit log)."""
    folder = tmp_path_factory.mktemp("e2e-questionnaire")
    env = demo_environment(folder)
    with serve(env) as app:
        yield app.base, folder / "demo.sqlite"


def _shown(page) -> dict[str, str | None]:
    """Per question block with radio buttons: the checked option's text (None: nothing)."""
    shown = {}
    for block in page.locator('[class*="st-key-q-"]').all():
        if not block.locator('input[type="radio"]').count():
            continue
        key = re.search(r"st-key-(q-[^\s]+)", block.get_attribute("class")).group(1)
        checked = block.locator('label:has(input[type="radio"]:checked)')
        shown[key] = checked.first.inner_text().strip() if checked.count() else None
    return shown


def _stored(database) -> tuple[list, int]:
    with sqlite3.connect(database) as connection:
        answers = connection.execute("select * from answers order by 1").fetchall()
        audited = connection.execute("select count(*) from audit_log").fetchone()[0]
    return answers, audited


def _switch(page, language: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text(language, exact=True).click()
    _settle(page)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("section", ["first", "last"])
def test_a_language_switch_changes_no_answer_and_no_selection(demo, browser, section):
    base, database = demo
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _sign_in(page, base, "kmo@demo.be")
    page.get_by_role("button", name="Vragenlijst openen").click()
    page.wait_for_url(re.compile(r"vragenlijst"), timeout=TIMEOUT_MS)
    _settle(page)
    buttons = page.locator('[data-testid="stSidebar"] [class*="st-key-section-"] button')
    (buttons.first if section == "first" else buttons.last).click()
    _settle(page)
    before_nl = _shown(page)
    assert any(before_nl.values()), "the demo draft has answered radio questions here"
    stored = _stored(database)
    url = page.url
    _shot(page, f"desktop-nl-{section}")
    _switch(page, "English")
    assert page.locator('[data-testid="stException"]').count() == 0
    before_en = _shown(page)
    assert {k: v is None for k, v in before_en.items()} == {
        k: v is None for k, v in before_nl.items()
    }
    assert _stored(database) == stored
    _shot(page, f"desktop-en-{section}")
    _switch(page, "Nederlands")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert _shown(page) == before_nl
    assert _stored(database) == stored
    assert re.search(r"section=", page.url) and page.url.split("section=")[1].split("&")[0] in url
    context.close()


def test_phone_screenshots(demo, browser):
    base, _database = demo
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _sign_in(page, base, "kmo@demo.be")
    page.get_by_role("button", name="Vragenlijst openen").click()
    page.wait_for_url(re.compile(r"vragenlijst"), timeout=TIMEOUT_MS)
    _settle(page)
    _shot(page, "phone-nl")
    page.goto(page.url.replace("lang=nl", "lang=en"))
    _settle(page)
    _shot(page, "phone-en")
    context.close()
