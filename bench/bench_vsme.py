"""Benchmark of the VSME outputs (issue 12): "an SME downloads its VSME xlsx" (one filled EFRAG
Digital Template, first in a process and warm) and "the department exports 1,000 VSME
reports" (xBRL-JSON and PDF measured for all 1,000; the xlsx measured on ``--xlsx-sample``
reports and extrapolated to 1,000 on one core (a fill used to take seconds: openpyxl parsed
EFRAG's 780 kB workbook each time; now the blank is read once per process, and each fill
evaluates the template's 3,720 formulas for the report, ``exports/vsme/formulas.py``), and
the department's batch of ``--batch`` organisations one at a time and on the passport
export's process pool (2 workers; same bytes checked). Prints one JSON
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
    parser.add_argument(
        "--batch",
        type=int,
        default=20,
        help="organisations in the store for `mvo export vsme --all` (0: skip)",
    )
    parser.add_argument("--xlsx-all", action="store_true", help="fill all n xlsx, not a sample")
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
    if args.xlsx_all:
        started = time.perf_counter()
        for _ in range(n):
            template.fill(report)
        emit(
            f"department exports {n} VSME xlsx (measured, 1 core)",
            time.perf_counter() - started,
            "s",
        )

    for name, render in (("xBRL-JSON", xbrl.to_bytes), ("PDF", pdf.render)):
        started = time.perf_counter()
        for _ in range(n):
            render(report)
        emit(f"department exports {n} VSME {name}", time.perf_counter() - started, "s")
    if args.batch:
        batch(args.batch)


def batch(count: int) -> None:
    """The department runs ``mvo export vsme --year Y --all --format xlsx`` over ``count``
    organisations with a Basic-module VSME report in a SQLite store (the whole command: the
    answers read through ``app.services.vsme``, one filled template per organisation written
    whole, the manifest), and an SME downloads its xlsx from the page (``vsme_download``)."""
    import os  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from typer.testing import CliRunner  # noqa: PLC0415

    from app.cli import cli  # noqa: PLC0415
    from app.kbo import make_number  # noqa: PLC0415
    from app.services import assessments, auth, organisations, vsme  # noqa: PLC0415
    from app.services.principal import SYSTEM  # noqa: PLC0415
    from app.store import Store  # noqa: PLC0415

    folder = Path(tempfile.mkdtemp(prefix="bench-vsme-"))
    url = f"sqlite:///{folder}/mvo.sqlite"
    store = Store(url)
    year = 2025
    answers = {
        "vsme_basis_for_preparation": "option_a_basic_module_only",
        "vsme_basis_for_reporting": "individual",
        "vsme_turnover": 2_500_000,
        "vsme_total_energy_consumption": 210.5,
        "vsme_gross_scope1_greenhouse_gas_emissions": 38.2,
        "vsme_gross_location_based_scope2_greenhouse_gas_emissions": 9.6,
        "vsme_employee_turnover_rate": 8.0,
        "vsme_number_of_female_employees": 3,
    }
    first = None
    for number in range(count):
        org = organisations.register_organisation(
            store, SYSTEM, kbo=make_number(6000000 + number), name=f"Bench {number}",
            profile="bouw", fte=12.0, nace="43.221", municipality="Gent",
        )  # fmt: skip
        started = assessments.start_assessment(store, SYSTEM, org.id, year, framework="vsme")
        for question, value in answers.items():
            assessments.save_answer(
                store, SYSTEM, started.id, question, value,
                expected_version=started.answer_version(question),
            )  # fmt: skip
        first = first or (org, auth.create_user(store, SYSTEM, "kmo@bench.be", "sme",
                                                organisation_kbo=org.kbo))  # fmt: skip
    auth.create_user(store, SYSTEM, "dept@bench.be", "department")
    sme = auth.get_principal(store, first[1].id)
    began = time.perf_counter()
    vsme.vsme_download(store, sme, first[0].id, year, "xlsx")
    emit(
        "SME downloads its VSME xlsx on the page (service, warm)",
        time.perf_counter() - began,
        "s",
        "< 5 s",
    )
    # the department's batch through the service, one at a time and on the process pool of
    # the passport export (2 workers, each loading EFRAG's template once)
    department = auth.get_principal(store, auth.create_user(store, SYSTEM, "d2@bench.be",
                                                            "department").id)  # fmt: skip
    timings = {}
    for workers in (1, 2):
        began = time.perf_counter()
        digests = [e.sha256 for e in vsme.vsme_batch(store, department, year, "xlsx",
                                                     workers=workers)]  # fmt: skip
        timings[workers] = (time.perf_counter() - began, digests)
        emit(f"department VSME batch of {count} xlsx, {workers} worker(s)", timings[workers][0],
             "s")  # fmt: skip
    emit("pool speed-up (2 workers vs 1)", timings[1][0] / timings[2][0], "x")
    if timings[1][1] != timings[2][1]:
        raise SystemExit("the pooled batch gave other bytes than the sequential one")
    store.dispose()
    os.environ["MVO_DATABASE_URL"] = url
    out = folder / "out"
    began = time.perf_counter()
    result = CliRunner().invoke(
        cli, ["export", "vsme", "--year", str(year), "--all", "--as", "dept@bench.be",
              "--format", "xlsx", "--out", str(out)],
    )  # fmt: skip
    took = time.perf_counter() - began
    if result.exit_code != 0:
        raise SystemExit(result.output)
    emit(f"department exports {count} VSME xlsx (mvo export vsme --all)", took, "s")
    emit(
        "department exports 1000 VSME xlsx (extrapolated from --all, 1 core)",
        took / count * 1000,
        "s",
    )


if __name__ == "__main__":
    main()
