"""Memory of the department's batch export against its size (issue #14 item 6: "passports in
one batch with memory flat in the batch size").

User action: the department runs ``mvo export passports --year 2026 --out DIR --workers 2``
and waits for the folder of PDFs with its manifest. Measured is that command as a separate
process, sampled every 50 ms with psutil: the peak resident memory of the command itself, of
its largest worker, and of the command and workers together, plus its wall time, for batches
of 300, 600 and 1,800 passports (``--sizes``). The passports are the submitted passports of
2026 of the demo database (``bench_pages``' ``var/bench/pages-demo-2026.sqlite``, made if
missing), repeated under new KBO numbers up to the size and given as ``--from-jsonl`` input
(``bench_cluster_export.write_passports``), plus one export read from the database itself
(the demo's own year). Memory flat in the batch size means the 1,800 figure is close to the
300 one (``growth`` ratios), not six times it.

    python bench/bench_export_memory.py [--sizes 300 600 1800]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_cluster_export import write_passports  # noqa: E402

BENCH = "export_memory"
YEAR = 2026
ACTION = "the department exports a year's passports (mvo export passports --workers 2)"
BENCH_TIMEOUT = 1800


def emit(metric: str, value: float, unit: str, target: str | None = None) -> None:
    row = {"bench": BENCH, "metric": metric, "value": round(value, 3), "unit": unit}
    row.update(target=target, action=ACTION, load=round(os.getloadavg()[0], 2))
    print(json.dumps(row), flush=True)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Sampled:
    """Peak RSS (MB) of a running command, of its largest child and of the whole tree."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.main = self.worker = self.total = 0.0
        self.workers_seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                main = self.process.memory_info().rss / 2**20
                total = main
                for child in self.process.children(recursive=True):
                    try:
                        rss = child.memory_info().rss / 2**20
                    except psutil.Error:  # a child may end between list and read
                        continue
                    self.workers_seen.add(child.pid)
                    self.worker = max(self.worker, rss)
                    total += rss
                self.main = max(self.main, main)
                self.total = max(self.total, total)
            except psutil.Error:
                return
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def export(env: dict[str, str], out: Path, *source: str) -> tuple[float, Sampled, int]:
    """Run the command; (wall seconds, its memory, PDFs written)."""
    command = [str(ROOT / ".venv" / "bin" / "mvo"), "export", "passports", "--year", str(YEAR)]
    command += ["--out", str(out), "--workers", "2", *source]
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampled = Sampled(proc.pid)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    sampled.stop()
    if proc.returncode != 0:
        raise SystemExit(f"mvo export passports failed ({proc.returncode}): {stdout}{stderr}")
    return seconds, sampled, len(list(out.rglob("*.pdf")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[300, 600, 1800])
    args = parser.parse_args()
    from bench.bench_pages import database  # noqa: PLC0415 (the same demo database)

    path = ROOT / "var" / "bench" / f"pages-demo-{YEAR}.sqlite"
    store, _ = database(path, None)
    store.dispose()
    env = {**os.environ, "MVO_DATABASE_URL": f"sqlite:///{path}"}
    curve: list[tuple[int, Sampled]] = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        seconds, sampled, pdfs = export(env, base / "store")
        log(f"from the database: {pdfs} passports in {seconds:.1f} s, peak {sampled.total:.0f} MB")
        emit(f"export_from_db_{pdfs}_wall", seconds, "s")
        emit(f"export_from_db_{pdfs}_peak_command", sampled.main, "MB")
        emit(f"export_from_db_{pdfs}_peak_worker", sampled.worker, "MB")
        emit(f"export_from_db_{pdfs}_peak_total", sampled.total, "MB")
        for size in args.sizes:
            source = base / f"passports-{size}.jsonl"
            write_passports(env, size, source)
            out = base / f"out-{size}"
            seconds, sampled, pdfs = export(env, out, "--from-jsonl", str(source))
            assert pdfs == size, (pdfs, size)
            log(
                f"{size} passports in {seconds:.1f} s: command {sampled.main:.0f} MB, largest "
                f"worker {sampled.worker:.0f} MB, together {sampled.total:.0f} MB "
                f"({len(sampled.workers_seen)} child processes)"
            )
            emit(f"export_{size}_wall", seconds, "s")
            emit(f"export_{size}_per_passport", 1000 * seconds / size, "ms")
            emit(f"export_{size}_peak_command", sampled.main, "MB")
            emit(f"export_{size}_peak_worker", sampled.worker, "MB")
            emit(f"export_{size}_peak_total", sampled.total, "MB")
            curve.append((size, sampled))
            shutil.rmtree(out)
    if len(curve) > 1:
        (small, a), (large, b) = curve[0], curve[-1]
        target = f"~ 1 (flat; the batch grew {large / small:.0f}x)"
        emit(f"export_peak_command_growth_{small}_to_{large}", b.main / a.main, "ratio", target)
        emit(f"export_peak_worker_growth_{small}_to_{large}", b.worker / a.worker, "ratio", target)
        emit(f"export_peak_total_growth_{small}_to_{large}", b.total / a.total, "ratio", target)


if __name__ == "__main__":
    main()
