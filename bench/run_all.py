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
    headers = ["bench", "metric", "value", "unit", "target"]
    cells = [
        [
            str(r.get("bench", "")),
            str(r.get("metric", "")),
            format_value(r.get("value")),
            str(r.get("unit", "")),
            str(r.get("target") or ""),
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
