"""In Chromium on the demo database (issue 11): the questionnaire's section counters (sidebar
button, in-page section list and the status line) are current right after an answer, although
the section is an ``st.fragment`` that reruns alone."""

# ruff: noqa: F811 (the browser fixture is imported from test_e2e_browser)
from __future__ import annotations

import re

import pytest
from test_e2e_browser import (  # noqa: F401 (fixtures)
    TIMEOUT_MS,
    _settle,
    _sign_in,
    browser,
    served_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]
COUNT = re.compile(r"·\s*(\d+)/(\d+)\s*$")
STATUS = re.compile(r"(\d+) van (\d+) vragen beantwoord")
#: The section's own progress bar, drawn inside the fragment (always current).
SECTION = re.compile(r"(\d+) van (\d+) beantwoord")


def _sidebar_count(page) -> tuple[int, int]:
    """The counter on the current (primary) section button of the sidebar."""
    current = page.locator(
        '[data-testid="stSidebar"] [class*="st-key-section-"] [data-testid="stBaseButton-primary"]'
    )
    assert current.count() == 1
    found = COUNT.search(current.first.inner_text().strip())
    assert found, current.first.inner_text()
    return int(found.group(1)), int(found.group(2))


def _status_count(page) -> tuple[int, int]:
    found = STATUS.search(page.locator('[data-testid="stMain"]').inner_text())
    assert found
    return int(found.group(1)), int(found.group(2))


def _section_count(page) -> tuple[int, int]:
    bar = page.locator('[data-testid="stMain"] [data-testid="stProgress"]').first
    found = SECTION.search(bar.inner_text())
    assert found
    return int(found.group(1)), int(found.group(2))


def _unanswered_radio_block(page):
    """A question block of the shown section with radio buttons and none checked."""
    for block in page.locator('[class*="st-key-q-"]').all():
        radios = block.locator('input[type="radio"]')
        if radios.count() and not block.locator('input[type="radio"]:checked').count():
            return block
    return None


def test_the_section_counters_count_an_answer_at_once(served_app, browser):
    """should show the new count in the sidebar, the section list and the status line right
    after the first answer to a question (not one run later)"""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _sign_in(page, served_app, "kmo@demo.be")
    page.get_by_role("button", name="Vragenlijst openen").click()
    page.wait_for_url(re.compile(r"vragenlijst"), timeout=TIMEOUT_MS)
    _settle(page)
    sections = page.locator('[data-testid="stSidebar"] [class*="st-key-section-"] button')
    block = _unanswered_radio_block(page)
    index = 0
    while block is None:
        index += 1
        assert index < sections.count(), "the demo draft has an unanswered radio question"
        sections.nth(index).click()
        _settle(page)
        block = _unanswered_radio_block(page)
    answered, visible = _sidebar_count(page)
    total_answered, total = _status_count(page)
    block.locator('label:has(input[type="radio"])').last.click()
    _settle(page)
    page.get_by_text(re.compile("Opgeslagen om")).first.wait_for(timeout=TIMEOUT_MS)
    _settle(page)
    # the answer may show a follow-up question (visible_if): the section's own bar says how many
    now_answered, now_visible = _section_count(page)
    assert now_answered == answered + 1
    assert _sidebar_count(page) == (now_answered, now_visible)
    assert _status_count(page) == (total_answered + 1, total + now_visible - visible)
    selectbox = page.locator('[class*="st-key-nav-section"]').first
    shown = selectbox.inner_text() + " ".join(
        field.input_value() for field in selectbox.locator("input").all()
    )
    assert f"{now_answered}/{now_visible}" in shown, shown
    context.close()
