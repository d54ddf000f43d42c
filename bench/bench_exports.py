"""Benchmark of the passport exports (issue 6): how fast the real passport renders, and a
batch of 2,000 passports on a process pool of 2 workers, against a single-process run.

The passports are real: the shipped "bouw" sector profile (ISO 26000 + GRI + the sector
section), scored from random answers with ``scoring.score`` and built with
``scoring.passport.build``, each with a benchmark (median and quartiles per topic), 4 pages.
Prints one JSON object per line on stdout (see the team's bench convention); progress on
stderr. ``--quick`` runs a tenth of the work (for a smoke test).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = "exports"
PROFILE = "bouw"


def emit(metric: str, value: float, unit: str, target: str | None) -> None:
    print(
        json.dumps(
            {
                "bench": BENCH,
                "metric": metric,
                "value": round(value, 3),
                "unit": unit,
                "target": target,
            }
        ),
        flush=True,
    )


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def random_answers(framework, rng: random.Random) -> dict:
    """Valid random answers to every question of an effective framework."""
    answers: dict = {}
    for q in framework.questions.values():
        if rng.random() < 0.04:
            continue
        if q.allow_na and rng.random() < 0.05:
            answers[q.id] = "n/a"
        elif q.type == "maturity":
            answers[q.id] = rng.randint(0, 4)
        elif q.type == "yes_no":
            answers[q.id] = rng.random() < 0.6
        elif q.type == "choice":
            answers[q.id] = rng.choice(q.options).id
        elif q.type == "multi":
            ids = [o.id for o in q.options]
            answers[q.id] = rng.sample(ids, rng.randint(0, len(ids)))
        elif q.type == "number":
            low = q.min if q.min is not None else 0.0
            high = min(q.max if q.max is not None else low + 1000.0, low + 5000.0)
            value = rng.uniform(low, high)
            answers[q.id] = int(value) if q.integer else round(value, 2)
    return answers


def make_passports(count: int, seed: int = 2026):
    """``count`` distinct scored passports of the shipped profile, with benchmarks."""
    from frameworks.compose import effective_framework
    from frameworks.loader import shipped_catalogue
    from scoring import score
    from scoring.models import Benchmark, Distribution, Organisation, PeerGroup
    from scoring.passport import build

    catalogue = shipped_catalogue()
    profile = catalogue.profiles[PROFILE]
    rng = random.Random(seed)
    result = []
    for number in range(count):
        cards = {}
        for included in profile.frameworks:
            base = catalogue.frameworks[included.id]
            answers = random_answers(effective_framework(base, profile), rng)
            cards[included.id] = score(base, answers, profile)
        org = Organisation(
            name=f"Bouwbedrijf {number} Çelik & Zonen",
            kbo=f"{number:010d}",
            fte=rng.choice([4, 18, 60, 300]),
        )
        passport = build(cards, profile, organisation=org, year=2026, status="submitted")

        def dist(center: float) -> Distribution:
            return Distribution(n=14, mean=center, p25=center - 9, median=center, p75=center + 11)

        benchmark = Benchmark(
            group=PeerGroup(
                profile=PROFILE,
                year=2026,
                framework_version="1.0",
                size_class="small",
                scope="size_class",
                n=14,
                k=5,
            ),
            sections={s: dist(55.0) for c in cards.values() for s in c.sections},
            topics={t: dist(50.0) for c in cards.values() for t in c.topics},
            kpis={k.kpi: dist(10.0) for k in passport.kpis},
            percentile_rank=57.0,
        )
        result.append((passport, benchmark))
    return catalogue, profile, result


class PeakMemory:
    """Peak of the summed RSS of this process and its children, sampled every 50 ms (psutil),
    falling back to getrusage maxima (self + the largest child) without psutil."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        try:
            import psutil

            self._process = psutil.Process()
        except ImportError:
            self._process = None

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                total = self._process.memory_info().rss
                for child in self._process.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except Exception:  # noqa: BLE001 (a child may end between list and read)
                        pass
            except Exception:  # noqa: BLE001
                pass
            self.peak = max(self.peak, total / 2**20)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        if self._process is not None:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._process is not None:
            self._thread.join()
        else:
            import resource

            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            self.peak = own + 2 * child


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the work")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    batch_size = 2000 // scale
    single_size = 100 // scale

    from exports.batch import PassportJob, RenderContext, export_passports
    from exports.pdf.passport import render_passport

    t0 = time.perf_counter()
    catalogue, profile, distinct = make_passports(40 // max(1, scale // 2))
    log(f"scored {len(distinct)} distinct passports in {time.perf_counter() - t0:.1f} s")
    frameworks = {f.id: catalogue.frameworks[f.id] for f in profile.frameworks}

    # 1. One core: render the real passport in this process (fonts registered by a warm-up).
    render_passport(*distinct[0][:1], frameworks, profile, distinct[0][1])
    start_cpu, start = time.process_time(), time.perf_counter()
    pages = 0
    rounds = max(1, 60 // len(distinct))
    for _ in range(rounds):
        for passport, benchmark in distinct:
            pdf = render_passport(passport, frameworks, profile, benchmark, "nl")
    cpu = time.process_time() - start_cpu
    wall = time.perf_counter() - start
    count = rounds * len(distinct)
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    log(f"one core: {count} passports ({pages} pages each) in {wall:.2f} s wall, {cpu:.2f} s CPU")
    emit("passport render, one core", count / cpu, "per_s", ">= 40 per_s")
    emit("passport render time", 1000 * cpu / count, "ms", "<= 25 ms")

    context = RenderContext.of(catalogue.frameworks, catalogue.profiles)

    def jobs(total: int):
        """Distinct files (and inputs) by organisation; generated lazily to stream."""
        for number in range(total):
            passport, benchmark = distinct[number % len(distinct)]
            org = passport.organisation.model_copy(
                update={"name": f"Bouwbedrijf {number}", "kbo": f"{number:010d}"}
            )
            passport = passport.model_copy(update={"organisation": org})
            yield PassportJob.of(
                passport, benchmark=benchmark, file=f"{PROFILE}/2026-{number:010d}.pdf"
            )

    # 2. The batch: 2,000 passports on a pool of 2 workers, streamed, with peak memory.
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "pool"
        import resource

        def cpu_seconds() -> float:
            own = resource.getrusage(resource.RUSAGE_SELF)
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

        with PeakMemory() as memory:
            cpu_before = cpu_seconds()
            start = time.perf_counter()
            result = export_passports(
                jobs(batch_size), out, context=context, workers=2, total=batch_size
            )
            pool_wall = time.perf_counter() - start
        pool_cpu = cpu_seconds() - cpu_before
        assert result.rendered == batch_size, result
        log(
            f"pool: {batch_size} passports in {pool_wall:.1f} s ({pool_cpu:.1f} CPU s), "
            f"peak {memory.peak:.0f} MB"
        )
        emit(f"{batch_size} passports, 2 workers", pool_wall, "s", "<= 30 s")
        emit(
            f"{batch_size} passports, 2 workers, throughput", batch_size / pool_wall, "per_s", None
        )
        emit("batch peak memory (main + workers)", memory.peak, "MB", "<= 400 MB")
        # What the run cost in CPU (main + workers), independent of other load on the
        # machine, and the wall time it implies on 2 idle cores.
        emit("batch CPU per passport (main + workers)", 1000 * pool_cpu / batch_size, "ms", None)
        emit(f"{batch_size} passports, 2 idle cores (CPU / 2)", pool_cpu / 2, "s", "<= 30 s")

        start = time.perf_counter()
        again = export_passports(
            jobs(batch_size), out, context=context, workers=2, total=batch_size
        )
        rerun = time.perf_counter() - start
        assert again.skipped == batch_size, again
        emit(f"{batch_size} passports, rerun (all unchanged)", rerun, "s", None)

        # 3. The same jobs in one process, on a part of the batch (same per-passport work).
        from exports.batch import render_job

        sample = list(jobs(single_size))
        start = time.perf_counter()
        for job in sample:
            render_job(job, context)
        single_rate = single_size / (time.perf_counter() - start)
        pool_rate = batch_size / pool_wall
        log(f"single process: {single_rate:.1f}/s; pool of 2: {pool_rate:.1f}/s")
        emit("single process, same jobs", single_rate, "per_s", None)
        emit("pool of 2 / single process", pool_rate / single_rate, "ratio", None)


if __name__ == "__main__":
    main()
