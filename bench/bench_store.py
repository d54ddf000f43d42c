"""Store benchmarks: save one answer (p50/p95) and load an assessment with 150 answers, on
SQLite and on a throwaway PostgreSQL cluster (the import has its own: ``bench_import.py``).

Uses a generated framework of 150 questions (maturity, yes/no, choice, number) so that the
figures do not depend on the shipped content. Prints one JSON object per figure on stdout;
progress goes to stderr.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.kbo import make_number  # noqa: E402
from app.services import assessments, organisations  # noqa: E402
from app.services.principal import SYSTEM, Principal  # noqa: E402
from app.store import Store  # noqa: E402
from frameworks.models import Framework, SectorProfile  # noqa: E402

QUESTIONS = 150
SAVES = 300
LOADS = 200


def emit(metric: str, value: float, unit: str, target: str | None) -> None:
    print(
        json.dumps(
            {
                "bench": "store",
                "metric": metric,
                "value": round(value, 3),
                "unit": unit,
                "target": target,
            }
        ),
        flush=True,
    )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_catalogue() -> SimpleNamespace:
    text = {"nl": "Vraag", "en": "Question"}
    kinds = ["maturity", "yes_no", "choice", "number"]
    sections = []
    for s in range(5):
        topics = []
        for t in range(6):
            questions = []
            for q in range(5):
                n = s * 30 + t * 5 + q
                kind = kinds[n % 4]
                question = {"id": f"q{n:03d}", "type": kind, "text": text, "required": n % 10 == 0}
                if kind == "choice":
                    question["options"] = [
                        {"id": "none", "label": text, "points": 0},
                        {"id": "some", "label": text, "points": 1},
                        {"id": "all", "label": text, "points": 2},
                    ]
                if kind == "number":
                    question.update(
                        unit="MWh", min=0, max=1e6, thresholds=[{"gte": 0, "points": 1}]
                    )
                questions.append(question)
            topics.append({"id": f"t{s}_{t}", "title": text, "questions": questions})
        sections.append({"id": f"s{s}", "title": text, "topics": topics})
    framework = Framework.model_validate(
        {
            "id": "bench",
            "version": "1.0",
            "title": text,
            "description": text,
            "derivation": {"statement": text, "sources": [{"name": "bench", "edition": "1"}]},
            "sections": sections,
        }
    )
    assert len(framework.questions) == QUESTIONS
    profile = SectorProfile.model_validate(
        {
            "id": "bench_sector",
            "version": "1.0",
            "name": text,
            "federation": "Bench",
            "nace": {"codes": ["41"]},
            "frameworks": [{"id": "bench"}],
        }
    )
    return SimpleNamespace(frameworks={"bench": framework}, profiles={"bench_sector": profile})


def value_for(question, rng: random.Random):
    if question.type == "maturity":
        return rng.randint(0, 4)
    if question.type == "yes_no":
        return rng.random() < 0.5
    if question.type == "choice":
        return rng.choice(["none", "some", "all"])
    return round(rng.uniform(0, 500), 1)


def bench_answers(store: Store, label: str, rng: random.Random) -> None:
    org = organisations.register_organisation(
        store, SYSTEM, kbo=make_number(1_234_567), name="Bench", profile="bench_sector", fte=20
    )
    sme = Principal(user_id=None, email="bench", role="sme", organisation_id=org.id)
    draft = assessments.start_assessment(store, sme, org.id, 2025)
    questions = list(store.catalogue.frameworks["bench"].questions.values())
    versions: dict[str, int] = {}
    timings = []
    for i in range(SAVES):
        question = questions[i % QUESTIONS]
        started = time.perf_counter()
        saved = assessments.save_answer(
            store,
            sme,
            draft.id,
            question.id,
            value_for(question, rng),
            expected_version=versions.get(question.id, 0),
        )
        timings.append((time.perf_counter() - started) * 1000)
        versions[question.id] = saved.version
    timings.sort()
    target = "<= 10 ms" if label == "sqlite" else None
    emit(f"save_answer_p50_{label}", statistics.median(timings), "ms", None)
    emit(f"save_answer_p95_{label}", timings[int(0.95 * len(timings)) - 1], "ms", target)
    loads = []
    for _ in range(LOADS):
        started = time.perf_counter()
        view = assessments.get_assessment(store, sme, draft.id)
        loads.append((time.perf_counter() - started) * 1000)
    assert len(view.answers) == QUESTIONS
    loads.sort()
    emit(
        f"load_150_answers_p50_{label}",
        statistics.median(loads),
        "ms",
        "<= 20 ms" if label == "sqlite" else None,
    )
    emit(f"load_150_answers_p95_{label}", loads[int(0.95 * len(loads)) - 1], "ms", None)


def main() -> None:
    catalogue = bench_catalogue()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="mvo-bench-") as folder:
        folder_path = Path(folder)
        log("sqlite ...")
        store = Store(f"sqlite:///{folder_path / 'answers.sqlite'}", catalogue=catalogue)
        bench_answers(store, "sqlite", rng)
        store.dispose()
        cluster = start_postgres()
        if cluster is None:
            return
        try:
            log("postgresql ...")
            store = Store(cluster.new_database(), catalogue=catalogue)
            bench_answers(store, "postgresql", rng)
            store.dispose()
        finally:
            cluster.stop()


def start_postgres():
    """A throwaway cluster (as in the tests), or None with a note where PostgreSQL is absent."""
    try:
        from tests.pg_cluster import Cluster, _bin_dir
    except ImportError as error:
        log(f"postgresql skipped: {error}")
        return None
    bin_dir = _bin_dir()
    if bin_dir is None:
        log("postgresql skipped: initdb/pg_ctl not found")
        return None
    return Cluster(bin_dir)


if __name__ == "__main__":
    main()
