"""Where people wait, in a real browser (issue 14, item 2): ``streamlit run app/server.py``
against the benchmark databases of ``bench_pages`` (the demo one and the generated one of
20,000 organisations x 2 years, made by ``make bench-db`` or on first use), driven by Debian's
Chromium through Playwright.

Each run is a new browser context (no cookie) that signs in with the demo account of its role,
on one server per database (started once, warmed by one run that is not counted). Timed, from
the user's click until the page has finished its run (no running indicator, no skeleton) and
shows what the user came for:

- ``signin_to_first_question``: the SME clicks "Aanmelden" (until its start page) plus clicks
  "Vragenlijst openen" (until the first question's options are drawn): the two waits between
  typing the password and answering, without the user's own reading time;
- ``answer_to_saved``: the SME clicks an option of an answered question until "Opgeslagen om"
  shows (only the section fragment reruns);
- ``results_page``: the SME clicks "Resultaten en paspoort" in the menu until the radar chart
  is drawn (a Plotly chart in the page);
- ``federation_page``: the federation, signed in (it lands on its page), opens its sector
  benchmark again by its address until its first chart is drawn (the sector ``bouw``: 53
  members on the demo database, 3,335 on the generated one); its sign-in is logged;
- ``department_overview``: the same for the department's "Overzicht en export" until its
  overview table is drawn (every organisation of the database).

Printed: p50 and p95 of each over ``--runs`` runs (answers: 5 per run), each a "where people
wait" row of ``run_all`` beside its target, with the database, the load average and the
server's own CPU seconds during the runs.

    python bench/bench_browser_pages.py [--runs 7] [--demo-only] [--organisations 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.devserver import serve  # noqa: E402
from app.services import demo  # noqa: E402
from bench.bench_pages import YEAR, database, database_label, load, p95  # noqa: E402

#: run_all's timeout: the first run generates the 20,000-organisation database (about 15 min
#: on a quiet 2-core machine) when ``make bench-db`` has not made it.
BENCH_TIMEOUT = 5400
BENCH = "browser_pages"
CHROMIUM = "/usr/bin/chromium"
ANSWERS_PER_RUN = 5
SETTLED_JS = """() => !document.querySelector(
    '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], .stSkeleton'
)"""
TARGETS = {
    "signin_to_first_question": ("p50", 800.0, "<= 0.8 s"),
    "answer_to_saved": ("p95", 150.0, "<= 150 ms p95"),
    "results_page": ("p50", 1000.0, "<= 1 s"),
    "federation_page": ("p50", 1000.0, "<= 1 s (sector of 2,000 members)"),
    "department_overview": ("p50", 2000.0, "<= 2 s (20,000 organisations)"),
}
ACTIONS = {
    "signin_to_first_question": "an SME signs in and opens its questionnaire (Chromium)",
    "answer_to_saved": "an SME clicks an answer and waits for 'Opgeslagen' (Chromium)",
    "results_page": "an SME opens its results page with the radar chart (Chromium)",
    "federation_page": "a federation opens its sector benchmark with its charts (Chromium)",
    "department_overview": "the department opens its overview (Chromium)",
}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def emit(name: str, label: str, times: list[float], **extra) -> None:
    which, limit, target = TARGETS[name]
    for kind, value in (("p50", statistics.median(times)), ("p95", p95(sorted(times)))):
        row = {
            "bench": BENCH,
            "metric": f"{name}_{kind}_{label}",
            "value": round(value, 1),
            "unit": "ms",
            "target": target if kind == which else None,
            "action": ACTIONS[name],
            "runs": len(times),
            "load": load(),
            **extra,
        }
        if kind == which:
            row.update(wait=f"{name} (browser {kind})", database=database_label(label), limit=limit)
        print(json.dumps(row), flush=True)


def settled(page) -> None:
    page.wait_for_timeout(50)
    page.wait_for_function(SETTLED_JS, timeout=120_000, polling=20)


def timed(page, click, ready) -> float:
    """Milliseconds from ``click()`` until ``ready`` is visible and the run has finished."""
    started = time.perf_counter()
    click()
    ready.first.wait_for(timeout=120_000)
    settled(page)
    return (time.perf_counter() - started) * 1000


def open_app(browser, base: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{base}/?lang=nl")
    settled(page)
    return context, page


def sign_in(page, email: str) -> float:
    page.get_by_label("E-mailadres").first.fill(email)
    page.get_by_label("Wachtwoord", exact=True).first.fill("demo")
    return timed(
        page,
        lambda: page.get_by_role("button", name="Aanmelden").first.click(),
        page.get_by_text(re.compile("Aangemeld als")),
    )


def menu(page, title: str):
    return page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True)


def sme_run(browser, base: str, times: dict[str, list[float]]) -> None:
    context, page = open_app(browser, base)
    signin = sign_in(page, demo.DEMO_SME)
    first = page.locator('[class*="st-key-q-"] label:has(input[type="radio"])')
    opened = timed(
        page, lambda: page.get_by_role("button", name="Vragenlijst openen").click(), first
    )
    times["signin_to_first_question"].append(signin + opened)
    answered = 0
    for block in page.locator('[class*="st-key-q-"]').all():
        if answered >= ANSWERS_PER_RUN:
            break
        options = block.locator('label:has(input[type="radio"]:not([disabled]))')
        if options.count() < 2:
            continue
        last = options.nth(options.count() - 1)
        target = options.first if last.locator("input:checked").count() else last
        times["answer_to_saved"].append(
            timed(page, target.click, block.get_by_text(re.compile("Opgeslagen om")))
        )
        answered += 1
    chart = page.locator('[data-testid="stPlotlyChart"] .main-svg')
    times["results_page"].append(
        timed(page, lambda: menu(page, "Resultaten en paspoort").click(), chart)
    )
    context.close()


def landing_run(name: str, email: str, url_path: str, ready: str):
    """A federation or the department: signed in, it lands on its page; then it opens the page
    again by its address (a new Streamlit session on the same cookie, as a reload or a link
    does), timed until ``ready`` is drawn. The sign-in itself is logged beside it."""

    def run(browser, base: str, times: dict[str, list[float]]) -> None:
        context, page = open_app(browser, base)
        times.setdefault(f"{name}_sign_in", []).append(sign_in(page, email))
        page.locator(ready).first.wait_for(timeout=120_000)
        times[name].append(
            timed(page, lambda: page.goto(f"{base}/{url_path}?lang=nl"), page.locator(ready))
        )
        context.close()

    return run


CHART = '[data-testid="stPlotlyChart"] .main-svg, [data-testid="stVegaLiteChart"]'
TABLE = '[data-testid="stDataFrame"], [data-testid="stTable"]'
federation_run = landing_run("federation_page", demo.DEMO_FEDERATION, "federatie", CHART)
department_run = landing_run("department_overview", demo.DEMO_DEPARTMENT, "departement", TABLE)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the server process so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(path: Path, label: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "MVO_DATABASE_URL": f"sqlite:///{path}"}
    env.pop("MVO_FRAMEWORKS_DIR", None)
    with serve(env, timeout=120) as app, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        warm = {name: [] for name in TARGETS}
        for run in (sme_run, federation_run, department_run):  # the first user after start
            run(browser, app.base, warm)
        firsts = ", ".join(f"{name} {statistics.median(t):.0f} ms" for name, t in warm.items())
        log(f"{label}: first run after server start (not counted): {firsts}")
        times: dict[str, list[float]] = {name: [] for name in TARGETS}
        cpu_before = cpu_seconds(app.process.pid)
        for number in range(runs):
            for run in (sme_run, federation_run, department_run):
                run(browser, app.base, times)
            log(f"{label}: run {number + 1}/{runs} done")
        server_cpu = cpu_seconds(app.process.pid) - cpu_before
        browser.close()
    for name, values in times.items():
        if name in TARGETS:
            emit(name, label, values, server_cpu_s=round(server_cpu, 1))
        else:
            log(f"{label}: {name} p50 {statistics.median(values):.0f} ms over {len(values)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--demo-only", action="store_true", help="only the demo database")
    args = parser.parse_args()
    folder = ROOT / "var" / "bench"
    plan = [(f"pages-demo-{YEAR}.sqlite", None, "demo")]
    if not args.demo_only:
        n = args.organisations
        plan.append((f"pages-{n}-{YEAR}.sqlite", n, f"{n}_orgs"))
    for name, size, label in plan:
        store, seconds = database(folder / name, size)  # made once, shared with bench_pages
        store.dispose()
        if seconds is not None:
            log(f"{name}: made in {seconds:.0f} s")
        measure(folder / name, label, args.runs)


if __name__ == "__main__":
    main()
