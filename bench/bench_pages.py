"""Where people wait: the server-side service calls each page makes, on the demo database and
on a generated database (``mvo demo --organisations N``, 20,000 by default), medians and p95
beside the issue's targets (issue #14 item 2).

Measured are the **service calls** a page makes (the same functions, in the same order, as
``app/ui/pages/*.py``), not the Streamlit rerun and not the browser: the rendering on top of
them is the same on both databases, so what grows with the database is here. Each figure says
the user action it stands for:

- ``signin_to_first_question``: an SME signs in (password check, the sign-in ticket exchanged
  for a session cookie, the session resolved) and its questionnaire opens (its assessments
  listed, the open draft loaded, the questionnaire of its framework and profile);
- ``answer_to_saved``: an SME changes one answer and sees "opgeslagen" (``save_answer``);
- ``results_page``: the SME's results page (its assessments, passport and benchmark position);
- ``federation_page``: a federation opens its sector view (years, ``sector_release``, the
  report document of the page) for a sector of 2,000+ members;
- ``department_overview``: the department's overview (participation per sector and year, level
  counts, the VSME indicators of every sector's tab) over all organisations;
- ``submit`` / ``reopen``: an SME submits (the snapshot and its sector's benchmark figures
  recomputed in the same transaction: the price of "statistics once per change"), and the
  department reopens a submitted assessment (figures recomputed too).

The generated database is kept in ``var/bench/`` (its generation time is reported once, as
``demo_generate_<N>_sqlite``) so a rerun measures pages, not seeding; ``--generate-only`` (``make
bench-db``) makes it beforehand. Prints one JSON object per
figure on stdout; progress goes to stderr. ``--organisations N`` changes the size; ``--quick``
uses 2,000.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app.services import (  # noqa: E402
    assessments,
    auth,
    catalogue,
    demo,
    department,
    disclosure,
    federation,
    passports,
)
from app.store import Store  # noqa: E402
from app.store.models import AssessmentRow, OrganisationRow, UserRow  # noqa: E402

BENCH = "pages"
YEAR = 2026
#: run_all's timeout for this script: generating the 20,000-organisation database the first
#: time takes about an hour on the 2-core machine (``make bench-db`` makes it beforehand).
BENCH_TIMEOUT = 5400
TARGETS = {
    "signin_to_first_question": ("p50", 800.0, "<= 0.8 s"),
    "answer_to_saved": ("p95", 150.0, "<= 150 ms p95"),
    "results_page": ("p50", 1000.0, "<= 1 s"),
    "federation_page": ("p50", 1000.0, "<= 1 s (sector of 2,000 members)"),
    "department_overview": ("p50", 2000.0, "<= 2 s (20,000 organisations)"),
    "submit": ("p50", 0.0, None),
    "reopen": ("p50", 0.0, None),
}


def emit(
    metric: str,
    value: float,
    unit: str,
    target: str | None = None,
    action: str = "",
    **extra,
):
    row = {"bench": BENCH, "metric": metric, "value": round(value, 3), "unit": unit}
    row.update(target=target, action=action, **extra)
    print(json.dumps(row), flush=True)


def load() -> float:
    """The machine's 1-minute load average (2 cores shared): printed beside every figure."""
    return round(os.getloadavg()[0], 2)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(runs: int, call) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank) of ``times``."""
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def report(name: str, label: str, times: list[float], action: str) -> None:
    """p50 and p95 of ``name``; the one its target is on is a "where people wait" row."""
    which, limit, target = TARGETS[name]
    for kind, value in (("p50", statistics.median(times)), ("p95", p95(times))):
        extra = {"runs": len(times), "load": load()}
        if kind == which and target:
            extra.update(wait=f"{name} ({kind})", database=database_label(label), limit=limit)
        emit(
            f"{name}_{kind}_{label}",
            value,
            "ms",
            target if kind == which else None,
            action,
            **extra,
        )


def database_label(label: str) -> str:
    """The column of the "where people wait" table: ``demo`` or ``20000 orgs``."""
    return "demo DB" if label == "demo" else label.replace("_orgs", " orgs DB")


def database(path: Path, organisations: int | None) -> tuple[Store, float | None]:
    """The demo database (``organisations`` None) or a generated one, made once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{path}")
    if not demo.is_empty(store):
        with store.read() as session:  # the demo accounts are made last
            complete = session.scalar(
                select(UserRow.id).where(UserRow.email == demo.DEMO_DEPARTMENT)
            )
        if not complete:
            store.dispose()
            sys.exit(f"{path} is incomplete (being generated, or stopped halfway): delete it")
        return store, None
    log(f"generating {path.name} ...")
    started = time.perf_counter()
    demo.seed_demo(store, current_year=YEAR, organisations=organisations)
    return store, time.perf_counter() - started


def measure(store: Store, label: str, runs: int) -> None:
    cat = store.catalogue
    sme_user = auth.authenticate(store, demo.DEMO_SME, "demo")
    fed = auth.authenticate(store, demo.DEMO_FEDERATION, "demo")
    dep = auth.authenticate(store, demo.DEMO_DEPARTMENT, "demo")

    def first_question():
        principal = auth.authenticate(store, demo.DEMO_SME, "demo")
        ticket = auth.issue_signin_ticket(store, principal, "bench-browser")
        token = auth.redeem_signin_ticket(store, ticket, "bench-browser")
        principal = auth.resolve_session(store, token)
        mine = assessments.list_assessments(store, principal)
        draft = next(a for a in mine if a.status == "draft")
        view = assessments.get_assessment(store, principal, draft.id)
        catalogue.questionnaire(cat, view.framework, view.profile)

    report(
        "signin_to_first_question",
        label,
        timed(runs, first_question),
        "an SME signs in and its questionnaire opens",
    )

    mine = assessments.list_assessments(store, sme_user)
    draft = next(a for a in mine if a.status == "draft")
    view = assessments.get_assessment(store, sme_user, draft.id)
    question = next(
        q
        for q in catalogue.questionnaire(cat, view.framework, view.profile).questions.values()
        if q.type == "maturity"
    )
    state = {"version": view.answer_version(question.id)}
    state["value"] = 0

    def save():
        state["value"] = (state["value"] + 1) % 5
        saved = assessments.save_answer(
            store,
            sme_user,
            draft.id,
            question.id,
            state["value"],
            expected_version=state["version"],
        )
        state["version"] = saved.version

    report("answer_to_saved", label, timed(runs * 5, save), "an SME changes one answer")

    submitted = next(a for a in mine if a.status == "submitted")

    def results():
        assessments.list_assessments(store, sme_user)
        passports.get_passport(store, sme_user, submitted.id)
        passports.get_benchmark(store, sme_user, submitted.id)

    report("results_page", label, timed(runs, results), "an SME opens its results page")

    profile = "bouw" if "bouw" in cat.profiles else sorted(cat.profiles)[0]
    with store.read() as session:
        members = session.query(OrganisationRow).filter(OrganisationRow.profile == profile).count()
    log(f"{label}: federation sector {profile} has {members} members")

    def federation_page():
        years = federation.years(store, fed, profile)
        release = disclosure.sector_release(store, fed, profile, years[0])
        disclosure.sector_report_document(store, release, "nl")

    report(
        "federation_page",
        label,
        timed(runs, federation_page),
        f"a federation opens its sector view ({members} members)",
    )
    emit(f"federation_sector_members_{label}", members, "organisations")

    with store.read() as session:
        organisations = session.query(OrganisationRow).count()
        total = session.query(AssessmentRow).count()

    def department_page():  # what app/ui/pages/department.py calls when it opens
        department.overview(store, dep, YEAR)
        department.level_counts(store, dep, YEAR)
        for profile in sorted(cat.profiles):  # one VSME tab per sector
            disclosure.vsme_statistics(store, dep, profile)

    submitted_ids = [a.id for a in mine if a.status == "submitted"]
    timings: dict[str, list[float]] = {"submit": [], "reopen": []}
    for _ in range(max(2, runs // 4)):
        for name, call in (
            ("reopen", lambda: assessments.reopen(store, dep, submitted_ids[0], "bench")),
            ("submit", lambda: assessments.submit(store, sme_user, submitted_ids[0])),
        ):
            started = time.perf_counter()
            call()
            timings[name].append((time.perf_counter() - started) * 1000)
    for name, action in (
        ("submit", f"an SME submits (snapshot + figures of a {members}-member sector)"),
        ("reopen", "the department reopens a submitted assessment (figures recomputed)"),
    ):
        report(name, label, sorted(timings[name]), action)

    report(
        "department_overview",
        label,
        timed(runs, department_page),
        f"the department opens its overview ({organisations} organisations, {total} assessments)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--demo-only", action="store_true", help="only the demo database")
    parser.add_argument(
        "--generate-only", action="store_true", help="make the databases, measure nothing"
    )
    args = parser.parse_args()
    n = 2_000 if args.quick else args.organisations
    folder = ROOT / "var" / "bench"
    if args.generate_only:
        for path, size in ((f"pages-demo-{YEAR}.sqlite", None), (f"pages-{n}-{YEAR}.sqlite", n)):
            store, seconds = database(folder / path, size)
            log(f"{path}: " + ("there already" if seconds is None else f"made in {seconds:.0f} s"))
            store.dispose()
        return
    store, seconds = database(folder / f"pages-demo-{YEAR}.sqlite", None)
    measure(store, "demo", args.runs)
    store.dispose()
    if args.demo_only:
        return
    store, seconds = database(folder / f"pages-{n}-{YEAR}.sqlite", n)
    if seconds is not None:
        emit(f"demo_generate_{n}_sqlite", seconds, "s", None, f"mvo demo --organisations {n}")
    measure(store, f"{n}_orgs", args.runs)
    store.dispose()


if __name__ == "__main__":
    main()
