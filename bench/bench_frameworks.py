"""How long loading and checking every shipped framework and profile takes.

Target (foundation issue): <= 200 ms in one process with source positions tracked, and the
parse of the largest file with positions (what the app and ``mvo validate`` run; comparisons
with loaders the product does not use were dropped, issue #14).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frameworks import loader  # noqa: E402


def emit(metric: str, value: float, unit: str, target: str | None = None) -> None:
    print(
        json.dumps(
            {
                "bench": "frameworks",
                "metric": metric,
                "value": value,
                "unit": unit,
                "target": target,
            }
        )
    )


def best_of(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> None:
    paths = loader.shipped_paths()
    cat = loader.load_catalogue(paths)
    questions = sum(len(f.questions) for f in cat.frameworks.values())
    print(
        f"{len(paths)} files, {len(cat.frameworks)} frameworks, {len(cat.profiles)} profiles, "
        f"{questions} questions, {len(cat.report.errors)} errors",
        file=sys.stderr,
    )
    best, median = best_of(lambda: loader.load_catalogue(paths))
    emit("load+check all shipped files (best of 7)", best * 1000, "ms", "<= 200 ms")
    emit("load+check all shipped files (median of 7)", median * 1000, "ms", "<= 200 ms")
    emit("questions loaded", float(questions), "count")

    # The app's start (``shipped_catalogue``): the current files only, the earlier versions
    # (frameworks/versions) read when an assessment on one is first opened.
    best, median = best_of(lambda: loader.load_catalogue(paths, lazy_versions=True))
    emit("app start: load+check current files (best of 7)", best * 1000, "ms", "<= 200 ms")
    emit("app start: load+check current files (median of 7)", median * 1000, "ms")

    def first_old_version() -> None:  # opening a draft started on iso26000 1.0
        lazy = loader.load_catalogue(paths, lazy_versions=True)
        started = time.perf_counter()
        lazy.framework("iso26000", "1.0")
        first_old_version.spent.append(time.perf_counter() - started)

    first_old_version.spent = []
    best_of(first_old_version)
    emit(
        "first earlier version asked: read+check frameworks/versions (best of 7)",
        min(first_old_version.spent) * 1000,
        "ms",
    )

    largest = max(paths, key=lambda p: p.stat().st_size)
    text = largest.read_text(encoding="utf-8")
    pos_time, _ = best_of(lambda: loader.parse_yaml(text, largest.name))
    emit(f"parse {largest.name}: C loader + positions", pos_time * 1000, "ms")


if __name__ == "__main__":
    main()
