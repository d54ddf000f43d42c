"""Run every ``bench/bench_*.py`` and print one table of figures (``make bench``).

Each script prints JSON lines ``{"bench", "metric", "value", "unit", "target"}`` on stdout;
anything else it prints goes to stderr. A script that fails is reported in the table instead
of stopping the others. ``--json FILE`` also writes all rows to a file.

Each script runs under its own timeout: what the script declares in a top-level line
``BENCH_TIMEOUT = <seconds>`` (one that generates a large database needs longer), else 600 s;
``--timeout`` sets one for all. A script that times out keeps the rows it printed before, and the table says so.

"Where people wait" (issue #14 item 2): a row with a ``wait`` field (the figure it is, e.g.
``answer_to_saved``) and a ``database`` field (``demo``, ``20000 orgs`` ...) is also printed
in a second table, one line per figure and one column per database, beside its ``target``;
with a numeric ``limit`` (in the row's unit) the cell says ``ok`` or ``OVER``, and a ``load``
field (the machine's 1-minute load average while measured) is shown with the value. Any
script may emit such rows; the table is built from the rows alone.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

#: The user action each figure stands for, where a script does not say it itself (an
#: ``action`` field in its JSON line wins). First match of (bench, metric prefix) applies.
ACTIONS: list[tuple[str, str, str]] = [
    ("app", "questionnaire_first_render", "an SME opens the questionnaire (AppTest, first run)"),
    ("app", "cold_sign_in", "an SME signs in, a process that prepared nothing (AppTest)"),
    ("app", "warm_sign_in", "an SME signs in on a prepared process (AppTest)"),
    ("app", "rerun_after_answer", "an SME answers one question (AppTest: whole-script rerun)"),
    ("app", "results_page", "an SME opens its results page (AppTest)"),
    ("app", "health_check", "the server starts, prepares and answers its health check"),
    ("exports", "passport render", "the department's batch export renders one passport PDF"),
    ("exports", "single process", "the department's batch export without the pool (reference)"),
    ("exports", "pool of 2", "the department's batch export: pool against one process"),
    ("exports", "", "the department exports a year's passports (mvo export passports)"),
    ("frameworks", "", "the app or mvo validate loads and checks the shipped frameworks"),
    ("scoring", "score_many", "scoring step of mvo rescore --dry-run (100k assessments)"),
    (
        "scoring",
        "score_loop",
        "submit/import: score() one assessment at a time (100k, extrapolated)",
    ),
    ("scoring", "scorecard_and_plan", "an SME's submit or results page: one score card and plan"),
    ("store", "save_answer", "an SME changes one answer (service call)"),
    ("store", "load_150", "an SME opens an assessment of 150 answers (service call)"),
    ("import", "", "a federation or the department imports its collected answers (mvo import)"),
    ("vsme", "", "an SME or the department downloads VSME reports"),
]


def action_of(row: dict) -> str:
    if row.get("action"):
        return str(row["action"])
    for bench, prefix, action in ACTIONS:
        if row.get("bench") == bench and str(row.get("metric", "")).startswith(prefix):
            return action
    return ""


BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


DEFAULT_TIMEOUT = 600.0
DECLARED_TIMEOUT = re.compile(r"^BENCH_TIMEOUT\s*=\s*([0-9_]+(?:\.[0-9]+)?)\s*(?:#.*)?$", re.M)


def timeout_of(script: Path, default: float) -> float:
    """The script's declared ``BENCH_TIMEOUT`` (seconds) or ``default``."""
    found = DECLARED_TIMEOUT.search(script.read_text(encoding="utf-8"))
    return float(found.group(1).replace("_", "")) if found else default


def _rows(stdout: str | bytes | None) -> list[dict]:
    if isinstance(stdout, bytes):
        stdout = stdout.decode("utf-8", "replace")
    rows = []
    for line in (stdout or "").splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows


def run(script: Path, timeout: float) -> tuple[list[dict], str | None]:
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as expired:
        rows = _rows(expired.stdout)  # what it measured before it was stopped
        for row in rows:
            row.setdefault("bench", script.stem.removeprefix("bench_"))
        return rows, f"timed out after {timeout:.0f} s ({len(rows)} figure(s) kept)"
    rows = _rows(proc.stdout)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return rows, f"exit {proc.returncode}: {tail}"
    for row in rows:
        row.setdefault("bench", script.stem.removeprefix("bench_"))
    elapsed = time.perf_counter() - started
    print(f"  {script.name}: {len(rows)} figure(s) in {elapsed:.1f} s", file=sys.stderr)
    return rows, None


def format_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)


def print_table(headers: list[str], cells: list[list[str]], right: set[int]) -> None:
    widths = [
        max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        line = "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        print(line.rstrip())


def wait_cell(row: dict) -> str:
    """``value unit`` of a "where people wait" row, ok/OVER against its limit, and the load."""
    value = row.get("value")
    cell = f"{format_value(value)} {row.get('unit', '')}".strip()
    limit = row.get("limit")
    if isinstance(limit, (int, float)) and isinstance(value, (int, float)):
        cell += " ok" if value <= limit else " OVER"
    if row.get("load") is not None:
        cell += f" (load {float(row['load']):.1f})"
    return cell


def wait_table(rows: list[dict]) -> None:
    """The "Where people wait" table: one line per ``wait`` figure, one column per database."""
    waits = [r for r in rows if r.get("wait")]
    if not waits:
        return
    figures: dict[str, dict] = {}
    databases: list[str] = []
    for row in waits:
        database = str(row.get("database") or "")
        if database not in databases:
            databases.append(database)
        line = figures.setdefault(str(row["wait"]), {"target": "", "action": "", "cells": {}})
        line["target"] = line["target"] or str(row.get("target") or "")
        line["action"] = line["action"] or action_of(row)
        line["cells"][database] = wait_cell(row)
    print()
    print("Where people wait (issue #14 item 2)")
    headers = ["figure", "target", *[d or "value" for d in databases], "stands for"]
    cells = [
        [name, line["target"], *[line["cells"].get(d, "-") for d in databases], line["action"]]
        for name, line in figures.items()
    ]
    print_table(headers, cells, set(range(2, 2 + len(databases))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scripts", nargs="*", help="only these scripts (default: all)")
    parser.add_argument(
        "--timeout",
        type=float,
        help=f"seconds per script (default: its BENCH_TIMEOUT, else {DEFAULT_TIMEOUT:.0f})",
    )
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    scripts = [Path(s) for s in args.scripts] or sorted(BENCH_DIR.glob("bench_*.py"))
    table: list[dict] = []
    failures = 0
    for script in scripts:
        print(f"running {script.name} ...", file=sys.stderr)
        rows, error = run(script, args.timeout or timeout_of(script, DEFAULT_TIMEOUT))
        table += rows
        if error:
            failures += 1
            table.append(
                {
                    "bench": script.stem.removeprefix("bench_"),
                    "metric": "FAILED",
                    "value": error,
                    "unit": "",
                    "target": None,
                }
            )
    headers = ["bench", "metric", "value", "unit", "target", "stands for"]
    cells = [
        [
            str(r.get("bench", "")),
            str(r.get("metric", "")),
            format_value(r.get("value")),
            str(r.get("unit", "")),
            str(r.get("target") or ""),
            action_of(r),
        ]
        for r in table
    ]
    print_table(headers, cells, {2})
    wait_table(table)
    if args.json:
        args.json.write_text(json.dumps(table, indent=2), encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
