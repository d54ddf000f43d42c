"""The department's batch export past one machine (issue 14, item 5): N passports rendered on
the two Dask workers of the local cluster (``tools/cluster.py``) against the local process pool.

User action the figures stand for: the department runs ``mvo export passports --year 2026
--scheduler tcp://...`` (and, for comparison, the same export with ``--workers 2``) and waits
for the folder with its manifest. The passports are the demo's submitted passports of 2026 read
from the cluster's PostgreSQL, repeated under new valid KBO numbers up to N and written as
``--from-jsonl`` input (the demo has 214; the department's year has thousands). Both exports
must give the same manifest and byte-identical PDFs; the script fails otherwise.

    python bench/bench_cluster_export.py [--passports 2000]

Needs PostgreSQL, nginx and dask[distributed] (it starts and stops the whole cluster).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def emit(metric: str, value, unit: str, target: str = "") -> None:
    row = {"bench": "cluster_export", "metric": metric, "value": value, "unit": unit}
    print(json.dumps({**row, "target": target}), flush=True)


def write_passports(env: dict[str, str], count: int, path: Path) -> int:
    """``count`` submitted passports of 2026 as JSON lines (the demo's, under new KBOs)."""
    code = f"""
import json, sys
from app.commands.exporting import _source
from app.kbo import make_number
pairs, total, _ = _source(2026, None, None, with_benchmark=True)
pairs = list(pairs)
with open({str(path)!r}, "w", encoding="utf-8") as out:
    for index in range({count}):
        passport, benchmark = pairs[index % len(pairs)]
        if index >= len(pairs):
            organisation = passport.organisation.model_copy(
                update={{"kbo": make_number(19_000_000 + index)}}
            )
            passport = passport.model_copy(update={{"organisation": organisation}})
        line = {{"passport": passport.model_dump(mode="json")}}
        if benchmark is not None:
            line["benchmark"] = benchmark.model_dump(mode="json")
        out.write(json.dumps(line) + "\\n")
print(total)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return int(done.stdout.strip())


def export(env: dict[str, str], source: Path, out: Path, *extra: str) -> float:
    from tools.cluster import BIN

    started = time.perf_counter()
    done = subprocess.run(
        [BIN / "mvo", "export", "passports", "--year", "2026", "--from-jsonl", source]
        + ["--out", out, *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return elapsed


def same_tree(left: Path, right: Path) -> tuple[int, list[str]]:
    """(number of PDFs, the files that differ or exist on one side only)."""
    names = sorted(p.relative_to(left) for p in left.rglob("*.pdf"))
    others = sorted(p.relative_to(right) for p in right.rglob("*.pdf"))
    differ = [str(n) for n in set(names) ^ set(others)]
    differ += [str(n) for n in names if n in others and not filecmp.cmp(left / n, right / n, False)]
    if (left / "manifest.csv").read_bytes() != (right / "manifest.csv").read_bytes():
        differ.append("manifest.csv")
    return len(names), differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passports", type=int, default=2000)
    args = parser.parse_args()

    from tools.cluster import LocalCluster, missing_parts

    missing = missing_parts()
    if missing:
        raise SystemExit(f"needs {', '.join(missing)}")
    folder = Path(tempfile.mkdtemp(prefix="mvo-bench-cluster-"))
    folder.chmod(0o755)  # PostgreSQL and nginx's workers run as other users
    cluster = LocalCluster(folder / "cluster")
    started = time.perf_counter()
    state = cluster.start()
    emit(
        "cluster start (PostgreSQL, demo data, 2 replicas, nginx, Dask)",
        time.perf_counter() - started,
        "s",
    )
    try:
        env = cluster.environment(state.database_url)
        source = folder / "passports.jsonl"
        demo = write_passports(env, args.passports, source)
        print(f"{args.passports} passports from the demo's {demo}", file=sys.stderr)
        dask_seconds = export(env, source, folder / "dask", "--scheduler", state.scheduler)
        pool_seconds = export(env, source, folder / "pool", "--workers", "2")
        count, differ = same_tree(folder / "pool", folder / "dask")
        if count != args.passports or differ:
            raise SystemExit(f"{count} passports; differ: {differ[:10]}")
        emit(f"export {count} passports on 2 Dask workers", dask_seconds, "s")
        emit(f"export {count} passports on the local pool (2 processes)", pool_seconds, "s")
        emit(f"Dask vs local pool: identical PDFs and manifest ({count})", "yes", "")
    finally:
        cluster.stop(wipe=True)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
