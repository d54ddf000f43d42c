"""``mvo export passports`` and ``mvo export data``: the department's batch exports.

``export passports`` renders every submitted passport of a year (optionally only some sector
profiles) to PDF with a ``manifest.csv``, on a process pool or a Dask cluster
(``--scheduler``), with a progress bar; a rerun skips passports whose inputs did not change.
``export data`` writes the scores of a year as XLSX, CSV or JSON (with its JSON Schema beside
it). Both read the store through ``app.services.department``; ``--from-jsonl`` reads passports
from a JSON-lines file instead (one Passport per line, or ``{"passport": ..., "benchmark":
...}``), for exports outside the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import typer

from exports.batch import PassportJob, RenderContext, default_file, export_passports
from scoring.models import Benchmark, Passport

export_app = typer.Typer(
    name="export",
    help="Batch exports: passports as PDF, scores as XLSX/CSV/JSON.",
    no_args_is_help=True,
)


class DataFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    json = "json"


class Language(StrEnum):
    nl = "nl"
    en = "en"


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def read_jsonl(path: Path) -> Iterator[tuple[Passport, Benchmark | None]]:
    """Passports (and optional benchmarks) from a JSON-lines file; a bad line stops with
    ``file:line`` in the message."""
    from pydantic import ValidationError  # noqa: PLC0415

    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        _fail(f"{path}: cannot read ({exc.strerror})")
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if isinstance(data, dict) and "passport" in data:
                    passport = Passport.model_validate(data["passport"])
                    raw = data.get("benchmark")
                    benchmark = Benchmark.model_validate(raw) if raw else None
                else:
                    passport, benchmark = Passport.model_validate(data), None
            except json.JSONDecodeError as exc:
                _fail(f"{path}:{number}: not JSON ({exc.msg}, column {exc.colno})")
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                _fail(f"{path}:{number}: field {where}: {first['msg']}")
            yield passport, benchmark


def _store():
    from app.store.db import Store, StoreError  # noqa: PLC0415 (only the store path needs it)

    try:
        return Store()
    except StoreError as exc:
        _fail(str(exc))


def _benchmark_tables(items):
    """Scores tables per framework over the submitted passports (for ``scoring.benchmark``)."""
    import pandas as pd  # noqa: PLC0415

    rows: dict[str, list[dict]] = {}
    for item in items:
        card = item.scorecard
        row = {
            "assessment": item.assessment_id,
            "profile": item.profile or item.framework,
            "year": item.year,
            "framework_version": card.framework_version,
            "fte": item.organisation.fte,
            "status": "submitted",
            "overall": card.overall,
        }
        row.update({f"section:{k}": v.score for k, v in card.sections.items()})
        row.update({f"topic:{k}": v.score for k, v in card.topics.items()})
        if item.passport is not None:
            row.update({f"kpi:{v.kpi}": v.value for v in item.passport.kpis})
        rows.setdefault(item.framework, []).append(row)
    return {fw: pd.DataFrame(r) for fw, r in rows.items()}


def _merged_benchmark(parts: list[Benchmark]) -> Benchmark | None:
    """One benchmark for a passport of several frameworks: the section, topic and KPI
    distributions of each framework's peer group together (ids do not collide across the
    shipped frameworks); the percentile rank only where there is one framework, since it
    ranks a framework's overall, not the passport's."""
    shown = [b for b in parts if b.group.scope != "none"]
    if not shown:
        return parts[0] if parts else None
    first = shown[0]
    return Benchmark(
        group=first.group,
        overall=first.overall if len(parts) == 1 else None,
        sections={k: v for b in shown for k, v in b.sections.items()},
        topics={k: v for b in shown for k, v in b.topics.items()},
        kpis={k: v for b in shown for k, v in b.kpis.items()},
        percentile_rank=first.percentile_rank if len(parts) == 1 else None,
    )


def store_passports(
    year: int, profiles: list[str] | None, *, with_benchmark: bool = True
) -> tuple[list[tuple[Passport, Benchmark | None]], object]:
    """The submitted passports of ``year`` from the store (as the system principal), one per
    organisation and profile (the store keeps one assessment per framework), with their
    benchmarks (S9), and the store's catalogue."""
    from app.services import department, scoring_bridge  # noqa: PLC0415
    from app.services.principal import SYSTEM  # noqa: PLC0415
    from scoring.benchmark import compare  # noqa: PLC0415

    store = _store()
    catalogue = store.catalogue
    items = department.submitted_passports(store, SYSTEM, year, profiles or None)
    tables = _benchmark_tables(items) if with_benchmark else {}
    groups: dict[tuple, list] = {}
    for item in items:
        groups.setdefault((item.organisation.kbo, item.profile, item.year), []).append(item)
    result = []
    for group in groups.values():
        first = group[0]
        profile = catalogue.profiles.get(first.profile) if first.profile else None
        passport = next((i.passport for i in group if i.passport is not None), None)
        if passport is None:
            passport = scoring_bridge.passport(
                {i.framework: i.scorecard for i in group},
                profile,
                organisation=first.organisation,
                year=first.year,
                status="submitted",
            )
        benchmark = None
        if with_benchmark:
            k = profile.k if profile is not None else 5
            benchmark = _merged_benchmark(
                [compare(tables[i.framework], i.assessment_id, k=k) for i in group]
            )
        result.append((passport, benchmark))
    return result, catalogue


def _catalogue():
    from frameworks.loader import shipped_catalogue  # noqa: PLC0415

    return shipped_catalogue()


def passports_command(
    year: int = typer.Option(..., "--year", help="Year of the assessments."),
    profile: list[str] = typer.Option(None, "--profile", help="Only this sector profile (repeat)."),
    out: Path = typer.Option(..., "--out", help="Folder for the PDFs and manifest.csv."),
    zip_: bool = typer.Option(False, "--zip", help="Also write <out>.zip (manifest + PDFs)."),
    workers: int = typer.Option(2, "--workers", min=1, help="Processes of the local pool."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."
    ),
    language: Language = typer.Option(Language.nl, "--language", help="nl or en."),
    no_benchmark: bool = typer.Option(
        False, "--no-benchmark", help="Leave the sector median and quartiles out."
    ),
    from_jsonl: Path | None = typer.Option(
        None, "--from-jsonl", help="Read passports from this JSON-lines file, not the store."
    ),
) -> None:
    """Every submitted passport of a year as PDF, with manifest.csv; reruns skip unchanged."""
    if from_jsonl is not None:
        pairs = [
            (p, b)
            for p, b in read_jsonl(from_jsonl)
            if p.status == "submitted" and p.year == year and (not profile or p.profile in profile)
        ]
        catalogue = _catalogue()
    else:
        pairs, catalogue = store_passports(year, profile, with_benchmark=not no_benchmark)
    missing = sorted({fw for p, _ in pairs for fw in p.scorecards} - set(catalogue.frameworks))
    if missing:
        _fail(f"framework(s) {', '.join(missing)} of these passports are not in the catalogue")
    jobs = [
        PassportJob.of(
            p,
            benchmark=None if no_benchmark else b,
            language=language.value,
            file=default_file(p, language.value),
        )
        for p, b in pairs
    ]
    if not jobs:
        typer.echo(
            f"no submitted passports for {year}" + (f" ({', '.join(profile)})" if profile else "")
        )
        raise typer.Exit(0)
    context = RenderContext.of(catalogue.frameworks, catalogue.profiles)
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TimeRemainingColumn,
    )

    try:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=False,
        ) as bar:
            task = bar.add_task("passports", total=len(jobs))
            result = export_passports(
                jobs,
                out,
                context=context,
                workers=workers,
                scheduler=scheduler,
                zip_path=out.with_suffix(".zip") if zip_ else None,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except ConnectionError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or out}: {exc.strerror or exc}")
    except ImportError:
        _fail("--scheduler needs the distributed extra: pip install 'mvo-paspoort[distributed]'")
    except Exception as exc:  # a worker failed: say which, keep what was done (rerun resumes)
        _fail(f"export stopped: {exc}. Passports rendered so far are kept; rerun to resume.")
    typer.echo(
        f"{result.total} passport(s): {result.rendered} rendered, {result.skipped} unchanged; "
        f"manifest {result.manifest}" + (f"; zip {result.zip_path}" if result.zip_path else "")
    )


def data_command(
    year: int = typer.Option(..., "--year", help="Year of the assessments."),
    format: DataFormat = typer.Option(..., "--format", help="xlsx, csv or json."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    profile: list[str] = typer.Option(None, "--profile", help="Only this sector profile (repeat)."),
    anonymise: bool = typer.Option(
        False, "--anonymise", help="Drop names; KBO numbers become a per-year pseudonym."
    ),
    language: Language = typer.Option(Language.nl, "--language", help="Titles in nl or en."),
    from_jsonl: Path | None = typer.Option(
        None, "--from-jsonl", help="Read passports from this JSON-lines file, not the store."
    ),
) -> None:
    """The scores of a year's submitted passports as XLSX, CSV or JSON (+ .schema.json)."""
    from exports.data import (  # noqa: PLC0415
        Audience,
        passports_json,
        passports_schema,
        score_tables,
        scores_per_organisation,
        to_csv,
        to_xlsx,
    )

    if from_jsonl is not None:
        passports = [
            p
            for p, _ in read_jsonl(from_jsonl)
            if p.status == "submitted" and p.year == year and (not profile or p.profile in profile)
        ]
        catalogue = _catalogue()
    else:
        pairs, catalogue = store_passports(year, profile, with_benchmark=False)
        passports = [p for p, _ in pairs]
    audience = Audience(kind="department", anonymise=anonymise)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if format == DataFormat.json:
            out.write_bytes(passports_json(passports, audience))
            schema_path = out.with_name(out.stem + ".schema.json")
            schema_path.write_text(json.dumps(passports_schema(), indent=1), encoding="utf-8")
            extra = f" (schema {schema_path})"
        else:
            sheets = score_tables(
                passports, catalogue.frameworks, catalogue.profiles, audience, language.value
            )
            data = (
                to_xlsx(sheets)
                if format == DataFormat.xlsx
                else to_csv(scores_per_organisation(sheets))
            )
            out.write_bytes(data)
            extra = ""
    except OSError as exc:
        _fail(f"{exc.filename or out}: {exc.strerror or exc}")
    typer.echo(f"{len(passports)} passport(s) of {year} written to {out}{extra}")


export_app.command("passports")(passports_command)
export_app.command("data")(data_command)


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the ``mvo`` application."""
    cli.add_typer(export_app, name="export")
