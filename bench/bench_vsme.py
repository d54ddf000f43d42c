"""Benchmark of the VSME outputs (issue 12): "an SME downloads its VSME xlsx" (one filled EFRAG
Digital Template, first in a process and warm) and "the department exports 1,000 VSME
reports" (xBRL-JSON and PDF measured for all 1,000; the xlsx measured on ``--xlsx-sample``
reports and extrapolated to 1,000 on one core (a fill used to take seconds: openpyxl parsed
EFRAG's 780 kB workbook each time; now the blank is read once per process). Prints one JSON
object per line (the team's bench convention); ``--quick`` runs a tenth of the work.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH = "vsme"


def emit(metric: str, value: float, unit: str, target: str | None = None) -> None:
    row = {"bench": BENCH, "metric": metric, "value": round(value, 3), "unit": unit}
    print(json.dumps(row | {"target": target}))


def main() -> None:
    from exports.vsme import pdf, template, xbrl  # noqa: PLC0415
    from tests.exports.vsme_helpers import sample_report  # noqa: PLC0415

    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--xlsx-sample", type=int, default=5)
    args = parser.parse_args()
    n = 100 if args.quick else 1000
    report = sample_report()

    started = time.perf_counter()
    template.fill(report)
    emit("SME downloads its VSME xlsx (first in process)", time.perf_counter() - started, "s")
    started = time.perf_counter()
    for _ in range(args.xlsx_sample):
        template.fill(report)
    one = (time.perf_counter() - started) / args.xlsx_sample
    emit("SME downloads its VSME xlsx (warm)", one, "s", "< 5 s")
    emit(f"department exports {n} VSME xlsx (extrapolated, 1 core)", one * n, "s")

    for name, render in (("xBRL-JSON", xbrl.to_bytes), ("PDF", pdf.render)):
        started = time.perf_counter()
        for _ in range(n):
            render(report)
        emit(f"department exports {n} VSME {name}", time.perf_counter() - started, "s")


if __name__ == "__main__":
    main()
