"""Run every ``bench/bench_*.py`` and print one table of figures (``make bench``).

Each script prints JSON lines ``{"bench", "metric", "value", "unit", "target"}`` on stdout;
anything else it prints goes to stderr. A script that fails is reported in the table instead
of stopping the others. ``--json FILE`` also writes all rows to a file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

#: The user action each figure stands for, where a script does not say it itself (an
#: ``action`` field in its JSON line wins). First match of (bench, metric prefix) applies.
ACTIONS: list[tuple[str, str, str]] = [
    ("app", "questionnaire_first_render", "an SME opens the questionnaire (AppTest, first run)"),
    ("app", "cold_sign_in", "an SME signs in on a freshly started server (AppTest)"),
    ("app", "rerun_after_answer", "an SME answers one question (AppTest rerun)"),
    ("app", "results_page", "an SME opens its results page (AppTest)"),
    ("app", "health_check", "the server starts and answers its health check"),
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


def run(script: Path, timeout: float) -> tuple[list[dict], str | None]:
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return [], f"timed out after {timeout:.0f} s"
    rows = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scripts", nargs="*", help="only these scripts (default: all)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    scripts = [Path(s) for s in args.scripts] or sorted(BENCH_DIR.glob("bench_*.py"))
    table: list[dict] = []
    failures = 0
    for script in scripts:
        print(f"running {script.name} ...", file=sys.stderr)
        rows, error = run(script, args.timeout)
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
    widths = [
        max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(
            "  ".join(
                c.rjust(w) if i == 2 else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    if args.json:
        args.json.write_text(json.dumps(table, indent=2), encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
