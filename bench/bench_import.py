"""Import benchmark: ``mvo import`` of a federation's file of 10,000 organisations x 150 answers
(the department or a federation importing the answers it collected), on a fresh SQLite file and
on a fresh PostgreSQL database; target <= 10 s each (issue 14, item 4).

The file is generated deterministically (seed 7) for the 150-question framework of
``bench_store`` and written as CSV. The import is the product's own call
(``importing.import_answers``, what ``mvo import`` runs): every row checked, scored, frozen
with its snapshot and passport, the sector statistics refreshed, all in one transaction.
Prints one JSON object per figure on stdout (rows/s and seconds beside the target); progress
on stderr.

    .venv/bin/python bench/bench_import.py [--rows N] [--sqlite-only | --postgresql-only] [--xlsx] [--profile]

``--profile`` prints the 40 most expensive functions of each import (cProfile, wall time) on
stderr, by cumulative time (``BENCH_SORT=tottime`` for time in the function itself).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.kbo import make_number  # noqa: E402
from app.services import importing  # noqa: E402
from app.services.principal import SYSTEM  # noqa: E402
from app.store import Store  # noqa: E402
from bench.bench_store import QUESTIONS, bench_catalogue, start_postgres, value_for  # noqa: E402

ROWS = 10_000
TARGET_S = 10.0
ACTION = "a federation or the department imports its collected answers (mvo import)"


def emit(metric: str, value: float, unit: str, target: str | None) -> None:
    print(
        json.dumps(
            {
                "bench": "import",
                "metric": metric,
                "value": round(value, 3),
                "unit": unit,
                "target": target,
                "action": ACTION,
            }
        ),
        flush=True,
    )


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def write_file(path: Path, catalogue, rows: int, *, seed: int = 7) -> None:
    """The federation's file: kbo, name, fte, then one column per question (deterministic)."""
    rng = random.Random(seed)
    questions = list(catalogue.frameworks["bench"].questions.values())
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kbo", "name", "fte"] + [q.id for q in questions])
        for n in range(rows):
            cells: list = [make_number(2_000_000 + n), f"Organisatie {n}", rng.randint(1, 300)]
            for q in questions:
                v = value_for(q, rng)
                cells.append("ja" if v is True else "nee" if v is False else v)
            writer.writerow(cells)


def _as_excel(cell: str) -> str | int | float:
    try:
        return int(cell)
    except ValueError:
        try:
            return float(cell)
        except ValueError:
            return cell


def write_xlsx(path: Path, csv_path: Path) -> None:
    """The same file as an Excel workbook (no formulas: a federation system's export)."""
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        sheet.append(next(rows))
        for row in rows:  # numbers as Excel holds them (the KBO number stays text)
            sheet.append(row[:2] + [_as_excel(cell) for cell in row[2:]])
    workbook.save(path)


def run_import(store: Store, label: str, path: Path, rows: int, *, profile: bool = False):
    profiler = None
    if profile:
        import cProfile  # noqa: PLC0415

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), time.process_time()
    report = importing.import_answers(
        store, SYSTEM, path, framework="bench", profile="bench_sector", year=2024
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        import pstats  # noqa: PLC0415

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats(
            os.environ.get("BENCH_SORT", "cumulative")
        ).print_stats(40)
    if not (report.valid and report.written == rows):
        raise SystemExit(f"{label}: import failed: {report.problems[:3]}")
    log(
        f"{label}: imported {report.written} rows ({report.submitted} submitted) in "
        f"{seconds:.1f} s ({cpu:.1f} s CPU in this process)"
    )
    label += "_xlsx" if path.suffix == ".xlsx" else ""
    emit(f"import_{rows}x{QUESTIONS}_{label}", seconds, "s", f"<= {TARGET_S:.0f} s")
    emit(f"import_{rows}x{QUESTIONS}_{label}_cpu", cpu, "s", None)
    emit(f"import_rows_per_s_{label}", rows / seconds, "per_s", f">= {rows / TARGET_S:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgresql-only", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--xlsx", action="store_true", help="import the file as .xlsx")
    args = parser.parse_args()
    catalogue = bench_catalogue()
    with tempfile.TemporaryDirectory(prefix="mvo-bench-import-") as folder:
        folder_path = Path(folder)
        path = folder_path / "federation.csv"
        write_file(path, catalogue, args.rows)
        if args.xlsx:
            write_xlsx(folder_path / "federation.xlsx", path)
            path = folder_path / "federation.xlsx"
        log(f"file: {args.rows} rows x {QUESTIONS} answers, {path.stat().st_size / 1e6:.1f} MB")
        if not args.postgresql_only:
            store = Store(f"sqlite:///{folder_path / 'import.sqlite'}", catalogue=catalogue)
            try:
                run_import(store, "sqlite", path, args.rows, profile=args.profile)
            finally:
                store.dispose()
        if args.sqlite_only:
            return
        cluster = start_postgres()
        if cluster is None:
            return
        try:
            store = Store(cluster.new_database(), catalogue=catalogue)
            try:
                run_import(store, "postgresql", path, args.rows, profile=args.profile)
            finally:
                store.dispose()
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
