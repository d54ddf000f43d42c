"""Benchmark of answering in the browser: how long a user waits after a click on an answer.

``streamlit run app/server.py`` on a fresh demo database, Debian's Chromium through Playwright.
The SME ``kmo@demo.be`` opens its sector passport and, in the questionnaire, clicks options of
radio questions. Printed, one JSON object per line (milliseconds from the click until the
page has finished its run and shows the saved state):

- ``answer_change_in_browser``: the median over changes of an already answered question (only
  the section fragment reruns: no counter changes);
- ``first_answer_in_browser``: the median over first answers to unanswered questions (a counter
  outside the fragment changes, so the whole page is drawn again at once, issue 11);
- the p90 of each beside it.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.devserver import demo_environment, serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHANGES = 12
SETTLED_JS = """() => !document.querySelector(
    '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], .stSkeleton'
)"""


def emit(metric: str, value: float, unit: str, target: str | None) -> None:
    row = {"bench": "answer_browser", "metric": metric, "value": round(value, 1), "unit": unit}
    print(json.dumps({**row, "target": target}), flush=True)


def _settled(page) -> None:
    page.wait_for_timeout(50)
    page.wait_for_function(SETTLED_JS, timeout=60_000, polling=20)


def _timed_click(page, block, option) -> float:
    """From the click until this question shows "Opgeslagen om" (drawn by the run that saved
    it; it shows beside the question changed last only) and the run has finished."""
    started = time.perf_counter()
    option.click()
    block.get_by_text(re.compile("Opgeslagen om")).first.wait_for(timeout=60_000)
    _settled(page)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-answer-") as tmp:
        env = demo_environment(Path(tmp))
        with serve(env) as app, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(f"{app.base}/?lang=nl")
            _settled(page)
            page.get_by_label("E-mailadres").first.fill("kmo@demo.be")
            page.get_by_label("Wachtwoord", exact=True).first.fill("demo")
            page.get_by_role("button", name="Aanmelden").first.click()
            page.get_by_text(re.compile("Aangemeld als")).first.wait_for()
            _settled(page)
            page.get_by_role("button", name="Vragenlijst openen").click()
            page.wait_for_url(re.compile("vragenlijst"))
            _settled(page)
            changes, firsts = [], []
            sections = page.locator('[data-testid="stSidebar"] [class*="st-key-section-"] button')
            for index in range(sections.count()):
                if len(changes) >= CHANGES and len(firsts) >= CHANGES:
                    break
                sections.nth(index).click()
                _settled(page)
                for block in page.locator('[class*="st-key-q-"]').all():
                    options = block.locator('label:has(input[type="radio"])')
                    if options.count() < 2:
                        continue
                    checked = block.locator('input[type="radio"]:checked').count()
                    if checked and len(changes) < CHANGES:
                        last = options.nth(options.count() - 1)
                        target = options.first if last.locator("input:checked").count() else last
                        changes.append(_timed_click(page, block, target))
                    elif not checked and len(firsts) < CHANGES:
                        firsts.append(_timed_click(page, block, options.first))
            browser.close()
    for name, times in (("answer_change_in_browser", changes), ("first_answer_in_browser", firsts)):
        if len(times) >= 2:
            emit(name, statistics.median(times), "ms", None)
            emit(f"{name}_p90", statistics.quantiles(times, n=10)[-1], "ms", None)
            print(f"{name}: {len(times)} clicks", file=sys.stderr)


if __name__ == "__main__":
    main()
