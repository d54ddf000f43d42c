"""Action plan benchmarks on SQLite with the shipped catalogue (ISO 26000 under the bouw
profile): what the results page's "Actieplan" part costs and what one change costs.

Figures (one JSON object each on stdout; progress on stderr):

- ``action_plan_part_ms``: the SME opens the results page: list the year's actions (20, of
  which 10 carried over from last year) and compute the proposals (flags first, S7 plan)
  from the passport the page already has; p50 and p95 over 50 runs.
- ``add_action_ms``: the SME clicks "Toevoegen aan het actieplan" (one audited insert).
- ``status_change_ms``: the SME changes one action's status (one audited update).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.kbo import make_number  # noqa: E402
from app.services import actions, assessments, auth, organisations, passports  # noqa: E402
from app.services.principal import SYSTEM  # noqa: E402
from app.store import Store  # noqa: E402

RUNS = 50


def emit(metric: str, value: float, unit: str, target: str | None = None) -> None:
    row = {"bench": "actions", "metric": metric, "value": round(value, 3), "unit": unit}
    print(json.dumps({**row, "target": target}), flush=True)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{folder / 'bench.sqlite'}")
    org = organisations.register_organisation(
        store, SYSTEM, kbo=make_number(4100001), name="Bench bv", profile="bouw", fte=12
    )
    user = auth.create_user(store, SYSTEM, "bench@example.be", "sme", organisation_kbo=org.kbo)
    sme = auth.get_principal(store, user.id)
    view = assessments.start_assessment(store, sme, org.id, 2026, framework="iso26000")
    plan = passports.get_passport(store, sme, view.id).passport
    steps = plan.improvement_plan
    for n, step in enumerate(steps[:20]):
        actions.create_action(
            store,
            sme,
            org.id,
            year=2025 if n < 10 else 2026,
            title=f"Actie {n}",
            owner="An",
            deadline=date(2026, 12, 31),
            framework=step.framework,
            question_id=step.question,
        )
    for step in steps[20:23]:
        actions.set_tackle_flag(store, sme, view.id, step.question, True)
    print(f"{len(steps)} plan steps, 20 actions, 3 flags", file=sys.stderr)

    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        actions.list_actions(store, sme, org.id, 2026)
        actions.proposals(store, sme, view.id, plan)
        samples.append(1000 * (time.perf_counter() - started))
    p50, p95 = percentiles(samples)
    emit("action_plan_part_ms_p50", p50, "ms")
    emit("action_plan_part_ms_p95", p95, "ms")

    adds, changes = [], []
    for n in range(RUNS):
        started = time.perf_counter()
        made = actions.create_action(
            store, sme, org.id, year=2026, title=f"Eigen {n}", owner="Jan", deadline="2027-01-31"
        )
        adds.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        actions.update_action(store, sme, made.id, status="in_progress", in_year=2026)
        changes.append(1000 * (time.perf_counter() - started))
    emit("add_action_ms_p50", percentiles(adds)[0], "ms")
    emit("status_change_ms_p50", percentiles(changes)[0], "ms")
    store.dispose()


if __name__ == "__main__":
    main()
