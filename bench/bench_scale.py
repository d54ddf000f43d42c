"""Linear cost (issue #14 item 6): ``score_many`` at 10k, 100k and 1M assessments of the real
``iso26000`` framework under the ``bouw`` profile, time and peak memory.

User action: the scoring step of ``mvo rescore --dry-run --year Y`` (the department previews
what a framework or profile change does to a year's submitted assessments;
``app.services.rescoring.preview_year`` scores the stored answers with ``score_many``). The
same ``score_many`` is the batch check of every freeze (``scoring.batch.score_cards`` via
``scoring_bridge.scorecards`` in ``submission.freeze``: ``mvo rescore``, ``mvo import``, the
demo), which then builds each card with the engine; the statistics run does not call it (it
reads the snapshots). Each size runs in its own process so that its peak
resident memory (``ru_maxrss``) is its own; ``table`` is the resident size once the long
answers table is built, ``peak`` the peak while scoring (``VmHWM`` reset after the table is
built), ``scoring`` their difference. Prints
one JSON object per figure on stdout and the growth curve (assessments, answers, seconds, MB,
seconds and MB per million answers, the 1-minute load average) on stderr. ``--sizes`` picks the sizes; ``--quick`` is 10k, 100k.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH = "scale"
ACTION = "scoring step of mvo rescore --dry-run over a year's submitted assessments"


def emit(metric: str, value: float, unit: str, target: str | None = None) -> None:
    row = {"bench": BENCH, "metric": metric, "value": value, "unit": unit, "target": target}
    row.update(action=ACTION, load=round(os.getloadavg()[0], 2))
    print(json.dumps(row), flush=True)


def status_mb(field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak since the last reset) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the peak (``VmHWM``) afresh from the current size (Linux ``clear_refs`` 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def one_size(n: int) -> dict:
    import numpy as np

    from bench.bench_scoring import load_iso26000, long_table
    from scoring.batch import score_many

    framework, profile, _label = load_iso26000()
    table = long_table(framework, profile, n, np.random.default_rng(20261202))
    gc.collect()
    reset_peak()
    table_rss = status_mb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    result = score_many(framework, table, profile)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(result) == n
    return {
        "n": n,
        "answers": len(table),
        "seconds": seconds,
        "cpu": cpu,
        "table_mb": table_rss,
        "peak_mb": status_mb("VmHWM"),
        "load": os.getloadavg()[0],
    }


def print_curve(results: list[dict]) -> None:
    """The growth curve as a table on stderr: constant per-million figures mean linear cost."""
    header = (
        f"{'assessments':>12} {'answers':>12} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} "
        f"{'scoring MB':>10} {'cpu s/M ans':>11} {'MB/M ans':>9} {'load':>5}"
    )
    lines = [f"score_many growth curve ({ACTION}):", header]
    for r in results:
        million = r["answers"] / 1e6
        scoring = r["peak_mb"] - r["table_mb"]
        lines.append(
            f"{r['n']:>12,} {r['answers']:>12,} {r['seconds']:>8.2f} {r['cpu']:>8.2f} "
            f"{r['peak_mb']:>8.0f} {scoring:>10.0f} {r['cpu'] / million:>11.2f} "
            f"{scoring / million:>9.1f} {r['load']:>5.2f}"
        )
    print("\n".join(lines), file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one)))
        return
    sizes = [10_000, 100_000] if args.quick else args.sizes
    results = []
    for n in sizes:
        print(f"score_many on {n:,} assessments ...", file=sys.stderr, flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        found = json.loads(out.strip().splitlines()[-1])
        results.append(found)
        label = f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"
        emit(f"score_many_bouw_{label}", round(found["seconds"], 3), "s")
        emit(f"score_many_bouw_{label}_cpu", round(found["cpu"], 3), "s")
        emit(f"score_many_bouw_{label}_cpu_per_answer", found["cpu"] / found["answers"] * 1e9, "ns")
        emit(f"score_many_bouw_{label}_scoring_memory", found["peak_mb"] - found["table_mb"], "MB")
        emit(f"score_many_bouw_{label}_peak_rss", found["peak_mb"], "MB")
        per_million = 1e6 / found["answers"]
        emit(f"score_many_bouw_{label}_s_per_M_answers", found["cpu"] * per_million, "s")
        emit(
            f"score_many_bouw_{label}_scoring_MB_per_M_answers",
            (found["peak_mb"] - found["table_mb"]) * per_million,
            "MB",
        )
    print_curve(results)
    if len(results) > 1:
        first, last = results[0], results[-1]
        emit(
            f"score_many_time_growth_{first['n']}_to_{last['n']}",
            round(last["cpu"] / first["cpu"], 2),
            "ratio",
            f"~ {last['answers'] / first['answers']:.0f} (the answers' growth)",
        )


if __name__ == "__main__":
    main()
