"""``mvo export passports`` and ``mvo export data``: the department's batch exports.

``export passports`` renders every submitted passport of a year (optionally only some sector
profiles) to PDF with a ``manifest.csv``, on a process pool or a Dask cluster
(``--scheduler``), with a progress bar; a rerun skips passports whose inputs did not change.
``export data`` writes the scores of a year as XLSX, CSV or JSON (with its JSON Schema beside
it). ``export sector`` writes what a federation user downloads in the app (through
``app.services.disclosure``). The first two read the store through
``app.services.department``; ``--from-jsonl`` reads passports from a JSON-lines file instead
(one Passport per line, or ``{"passport": ..., "benchmark": ...}``), for exports outside the
database. ``export vsme`` writes VSME reports (EFRAG's template, xBRL-JSON, PDF) of one
organisation or of many with a manifest, through ``app.services.vsme.vsme_download``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import typer

from app.services.messages import cli_language, message, render
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


def _fail(message: object) -> None:
    typer.echo(f"error: {render(message, cli_language())}", err=True)
    raise typer.Exit(1)


def read_jsonl(path: Path) -> Iterator[tuple[Passport, Benchmark | None]]:
    """Passports (and optional benchmarks) from a JSON-lines file; a bad line (also one whose
    profile, framework or KBO could not be a file name) stops with ``file:line``."""
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
            unsafe = _unsafe_ids(passport)
            if unsafe:
                _fail(f"{path}:{number}: {unsafe}; nothing was exported")
            yield passport, benchmark


def _unsafe_ids(passport: Passport) -> str | None:
    """Why the ids that make file and zip member names (profile, frameworks, KBO number) are
    not safe (``exports.safety``), or None; a file name never comes from unchecked text."""
    from exports import safety  # noqa: PLC0415

    try:
        safety.safe_id(passport.profile, "profile")
        for key, card in passport.scorecards.items():
            safety.safe_id(key, "framework")
            safety.safe_id(card.framework, "framework")
        if passport.organisation is not None:
            safety.safe_kbo(passport.organisation.kbo)
    except safety.UnsafeName as exc:
        return str(exc)
    return None


def _store():
    from app.store.db import Store, StoreError  # noqa: PLC0415 (only the store path needs it)

    try:
        return Store()
    except StoreError as exc:
        _fail(exc)


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


class StoreSource:
    """The submitted passports of a year, streamed from the store for the batch exports.

    The store keeps one snapshot per (assessment, framework); a passport covers all frameworks
    of an organisation's profile, so consecutive snapshots of one organisation and profile
    make one passport. Rows are read in batches (``yield_per``) as JSON strings and parsed one
    passport at a time, so thousands of passports never sit in memory at once. Benchmarks
    (S9) come from ``scoring.benchmark.compare`` over a scores table read in a first pass, and
    are computed once per peer group.

    (The query mirrors ``app.services.department.submitted_passports``, which returns parsed
    objects for all at once; a streaming variant of it belongs in that service.)
    """

    def __init__(self, year: int, profiles: list[str] | None, *, with_benchmark: bool = True):
        from app.services.principal import ADMIN, DEPARTMENT, SYSTEM, require_role  # noqa: PLC0415

        require_role(SYSTEM, DEPARTMENT, ADMIN)
        self.year = year
        self.profiles = profiles or None
        self.with_benchmark = with_benchmark
        self.store = _store()
        self.catalogue = self.store.catalogue
        self.tables: dict[str, object] = {}
        self._cache: dict[tuple, Benchmark] = {}
        self.total = self._first_pass()

    def _query(self, *columns):
        from sqlalchemy import select  # noqa: PLC0415

        from app.services.department import disclosure_frameworks  # noqa: PLC0415
        from app.store.models import (  # noqa: PLC0415
            AssessmentRow,
            OrganisationRow,
            ScoreSnapshotRow,
        )

        snap = ScoreSnapshotRow
        query = (
            select(
                snap.assessment_id,
                snap.profile,
                snap.framework,
                snap.framework_version,
                snap.fte,
                OrganisationRow.kbo,
                *columns,
            )
            .join(OrganisationRow, OrganisationRow.id == snap.organisation_id)
            .join(AssessmentRow, AssessmentRow.id == snap.assessment_id)
            .where(snap.year == self.year, AssessmentRow.status == "submitted")
            .where(snap.framework.not_in(disclosure_frameworks(self.store)))
            .order_by(snap.profile, OrganisationRow.kbo, snap.framework)
        )
        if self.profiles:
            query = query.where(snap.profile.in_(self.profiles))
        return query

    def _first_pass(self) -> int:
        """Count the passports and read the scores table of each framework."""
        import pandas as pd  # noqa: PLC0415

        from app.store.models import ScoreSnapshotRow  # noqa: PLC0415

        rows: dict[str, list[dict]] = {}
        passports: set[tuple] = set()
        columns = (
            [ScoreSnapshotRow.overall, ScoreSnapshotRow.scorecard_json]
            if self.with_benchmark
            else []
        )
        with self.store.read() as session:
            for row in session.execute(self._query(*columns)).yield_per(200):
                passports.add((row.profile, row.kbo))
                if not self.with_benchmark:
                    continue
                card = json.loads(row.scorecard_json)
                record = {
                    "assessment": row.assessment_id,
                    "profile": row.profile or row.framework,
                    "year": self.year,
                    "framework_version": row.framework_version,
                    "fte": row.fte,
                    "status": "submitted",
                    "overall": row.overall,
                }
                record.update({f"section:{k}": v["score"] for k, v in card["sections"].items()})
                record.update({f"topic:{k}": v["score"] for k, v in card["topics"].items()})
                rows.setdefault(row.framework, []).append(record)
        self.tables = {fw: pd.DataFrame(r) for fw, r in rows.items()}
        return len(passports)

    def _benchmark(self, group: list, profile) -> Benchmark | None:
        from frameworks.models import size_class  # noqa: PLC0415
        from scoring.benchmark import compare  # noqa: PLC0415

        k = profile.k if profile is not None else 5
        parts = []
        for row in group:
            table = self.tables.get(row.framework)
            if table is None:
                continue
            if len(group) == 1:  # the percentile rank is the member's own: no cache
                parts.append(compare(table, row.assessment_id, k=k))
                continue
            key = (row.framework, row.profile, row.framework_version, size_class(row.fte))
            if key not in self._cache:
                self._cache[key] = compare(table, row.assessment_id, k=k)
            parts.append(self._cache[key])
        return _merged_benchmark(parts)

    def pairs(self) -> Iterator[tuple[Passport, Benchmark | None]]:
        """(passport, benchmark) per organisation and profile, in profile and KBO order."""
        from app.services import scoring_bridge, submission  # noqa: PLC0415
        from app.store.models import OrganisationRow, ScoreSnapshotRow  # noqa: PLC0415
        from scoring.models import Organisation, ScoreCard  # noqa: PLC0415

        query = self._query(
            ScoreSnapshotRow.passport_json,
            ScoreSnapshotRow.scorecard_json,
            OrganisationRow.name,
            OrganisationRow.fte.label("organisation_fte"),
            OrganisationRow.municipality,
            OrganisationRow.nace,
        )

        def finish(group: list) -> tuple[Passport, Benchmark | None]:
            first = group[0]
            profile = self.catalogue.profiles.get(first.profile) if first.profile else None
            organisation = Organisation(
                name=first.name,
                kbo=first.kbo,
                fte=first.organisation_fte,
                municipality=first.municipality,
                nace=first.nace,
            )
            stored = next((r for r in group if r.passport_json), None)
            if stored is not None:
                passport = submission.stored_passport(
                    stored.passport_json, stored.scorecard_json, stored.framework
                )
                if passport.organisation is None:
                    passport = passport.model_copy(update={"organisation": organisation})
            else:
                passport = scoring_bridge.passport(
                    {r.framework: ScoreCard.model_validate_json(r.scorecard_json) for r in group},
                    profile,
                    organisation=organisation,
                    year=self.year,
                    status="submitted",
                )
            benchmark = self._benchmark(group, profile) if self.with_benchmark else None
            return passport, benchmark

        with self.store.read() as session:
            group: list = []
            for row in session.execute(query).yield_per(100):
                if group and (row.profile, row.kbo) != (group[0].profile, group[0].kbo):
                    yield finish(group)
                    group = []
                group.append(row)
            if group:
                yield finish(group)


def _catalogue():
    from frameworks.loader import shipped_catalogue  # noqa: PLC0415

    return shipped_catalogue()


def _source(
    year: int, profiles: list[str] | None, from_jsonl: Path | None, *, with_benchmark: bool
):
    """(pairs of passport and benchmark, their number, catalogue): streamed from the store,
    or from a JSON-lines file (read twice: once to count, once to export)."""
    if from_jsonl is not None:

        def wanted() -> Iterator[tuple[Passport, Benchmark | None]]:
            for passport, benchmark in read_jsonl(from_jsonl):
                if (
                    passport.status == "submitted"
                    and passport.year == year
                    and (not profiles or passport.profile in profiles)
                ):
                    yield passport, benchmark

        total = sum(1 for _ in wanted())
        return wanted(), total, _catalogue()
    source = StoreSource(year, profiles, with_benchmark=with_benchmark)
    return source.pairs(), source.total, source.catalogue


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
    pairs, total, catalogue = _source(year, profile, from_jsonl, with_benchmark=not no_benchmark)
    if not total:
        typer.echo(
            f"no submitted passports for {year}" + (f" ({', '.join(profile)})" if profile else "")
        )
        raise typer.Exit(0)
    known = set(catalogue.frameworks)

    def jobs() -> Iterator[PassportJob]:
        for passport, benchmark in pairs:
            file = default_file(passport, language.value)
            missing = sorted(set(passport.scorecards) - known)
            if missing:
                raise ValueError(f"{file}: framework(s) {', '.join(missing)} not in the catalogue")
            yield PassportJob.of(
                passport,
                benchmark=None if no_benchmark else benchmark,
                language=language.value,
                file=file,
            )

    context = RenderContext.of_catalogue(catalogue)
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
            task = bar.add_task("passports", total=total)
            result = export_passports(
                jobs(),
                out,
                total=total,
                context=context,
                workers=workers,
                scheduler=scheduler,
                zip_path=out.with_suffix(".zip") if zip_ else None,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except ConnectionError as exc:
        _fail(exc)
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
        False,
        "--anonymise",
        help="Drop names and FTE; KBO numbers become a keyed per-year pseudonym (MVO_SECRET).",
    ),
    language: Language = typer.Option(Language.nl, "--language", help="Titles in nl or en."),
    from_jsonl: Path | None = typer.Option(
        None, "--from-jsonl", help="Read passports from this JSON-lines file, not the store."
    ),
) -> None:
    """The scores of a year's submitted passports as XLSX, CSV or JSON (+ .schema.json)."""
    from exports.data import (  # noqa: PLC0415
        Audience,
        passports_schema,
        score_tables,
        scores_per_organisation,
        to_csv,
        to_xlsx,
        write_passports_json,
    )

    pairs, total, catalogue = _source(year, profile, from_jsonl, with_benchmark=False)
    passports = (passport for passport, _ in pairs)
    audience = Audience()
    if anonymise:
        from app.services.disclosure import anonymised_audience  # noqa: PLC0415

        audience = anonymised_audience()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".part")
        if format == DataFormat.json:
            with partial.open("wb") as handle:
                write_passports_json(passports, handle, audience)
            schema_path = out.with_name(out.stem + ".schema.json")
            schema_path.write_text(json.dumps(passports_schema(), indent=1), encoding="utf-8")
            extra = f" (schema {schema_path})"
        else:
            sheets = score_tables(
                passports,
                catalogue.frameworks,
                catalogue.profiles,
                audience,
                language.value,
                archived=getattr(catalogue, "archived", None),
            )
            data = (
                to_xlsx(sheets)
                if format == DataFormat.xlsx
                else to_csv(scores_per_organisation(sheets))
            )
            partial.write_bytes(data)
            extra = ""
        partial.replace(out)
    except OSError as exc:
        _fail(f"{exc.filename or out}: {exc.strerror or exc}")
    typer.echo(f"{total} passport(s) of {year} written to {out}{extra}")


def _write_file(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` whole or not at all (a ``.part`` file renamed at the end); a
    file-system problem is a clear message naming the file."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".part")
        partial.write_bytes(data)
        partial.replace(out)
    except OSError as exc:
        _fail(f"{exc.filename or out}: {exc.strerror or exc}")


class SectorFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    json = "json"
    pdf = "pdf"


class SizeClassOption(StrEnum):
    micro = "micro"
    small = "small"
    medium = "medium"
    large = "large"


def _principal_of(store, email: str):
    """The active user with this e-mail address, as the app would sign it in."""
    from sqlalchemy import func, select  # noqa: PLC0415

    from app.services import auth  # noqa: PLC0415
    from app.services.errors import AccessDenied  # noqa: PLC0415
    from app.store.models import UserRow  # noqa: PLC0415

    with store.read() as session:
        user_id = session.scalar(
            select(UserRow.id).where(func.lower(UserRow.email) == email.strip().lower())
        )
    if user_id is None:
        _fail(message("no-user", user_id=email))
    try:
        return auth.get_principal(store, user_id)
    except AccessDenied as exc:
        _fail(exc)


def sector_command(
    profile: str = typer.Option(..., "--profile", help="Sector profile id."),
    year: int = typer.Option(..., "--year", help="Year of the assessments."),
    size_class: SizeClassOption | None = typer.Option(
        None, "--size-class", help="micro, small, medium or large (default: all sizes)."
    ),
    as_user: str = typer.Option(..., "--as", help="E-mail of the federation user."),
    format: SectorFormat = typer.Option(..., "--format", help="xlsx, csv, json or pdf."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    language: Language = typer.Option(Language.nl, "--language", help="Titles in nl or en."),
) -> None:
    """What this federation user downloads in the app for the sector, year and size class:
    the same bytes, through the same disclosure path (S9, S10)."""
    from app.services import disclosure  # noqa: PLC0415
    from app.services.errors import ServiceError  # noqa: PLC0415

    store = _store()
    principal = _principal_of(store, as_user)
    try:
        disclosure.require_federation_user(principal, profile)
        data = disclosure.sector_download(
            store,
            principal,
            profile,
            year,
            size_class=size_class.value if size_class else None,
            format=format.value,
            language=language.value,
        )
    except ServiceError as exc:
        _fail(f"{as_user}: {render(exc, cli_language())}")
    _write_file(out, data)
    typer.echo(f"sector {profile} {year} ({size_class or 'all'}) written to {out}")


class VsmeFormat(StrEnum):
    xlsx = "xlsx"
    json = "json"
    pdf = "pdf"


def _vsme_from_report_file(report_file: Path, format: VsmeFormat, language: str) -> tuple:
    """``--report FILE``: a VsmeReport as JSON, rendered outside the store."""
    from pydantic import ValidationError  # noqa: PLC0415

    from app.services import vsme  # noqa: PLC0415
    from app.services.errors import ServiceError  # noqa: PLC0415
    from exports.vsme.report import VsmeReport  # noqa: PLC0415

    try:
        report = VsmeReport.model_validate_json(report_file.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"{report_file}: cannot read ({exc.strerror})")
    except ValidationError as exc:
        first = exc.errors()[0]
        _fail(f"{report_file}: field {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    try:
        return report, vsme.render(report, format.value, language)
    except ServiceError as exc:
        _fail(f"{report_file}: {render(exc, cli_language())}")


def _kbo_list(path: Path) -> list[str]:
    """KBO numbers from a file, one a line (blank lines and ``#`` comments skipped); a number
    that is not a valid KBO number stops with ``file:line`` before anything is written."""
    from app.services.errors import InvalidInput  # noqa: PLC0415
    from app.services.organisations import check_kbo  # noqa: PLC0415

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        _fail(f"{path}: cannot read ({exc.strerror})")
    numbers = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            numbers.append(check_kbo(text))
        except InvalidInput as exc:
            _fail(f"{path}:{number}: {render(exc, cli_language())}")
    return numbers


def _organisation_id(store, principal, kbo: str) -> int:
    from app.services import organisations  # noqa: PLC0415
    from app.services.errors import ServiceError  # noqa: PLC0415

    try:
        found = organisations.find_by_kbo(store, principal, kbo)
    except ServiceError as exc:
        _fail(f"{kbo}: {render(exc, cli_language())}")
    if found is None:
        _fail(message("no-organisation-with-kbo-register-first", kbo=kbo))
    return found.id


def _vsme_batch(
    store,
    principal,
    year: int,
    kbos: list[str] | None,
    format: VsmeFormat,
    language: str,
    out: Path,
    workers: int = 1,
) -> None:
    """Many organisations' VSME reports into the folder ``out``, each file written whole or
    not at all, with ``manifest.csv`` (KBO, year, format, file, bytes, sha256, error): the
    same ``vsme_download`` per organisation as the page and ``--org``. An organisation whose
    report cannot be made is listed with the reason, and the command ends with exit code 1."""
    from dataclasses import replace  # noqa: PLC0415

    from rich.progress import BarColumn, MofNCompleteColumn, Progress  # noqa: PLC0415

    from app.services import vsme  # noqa: PLC0415

    if kbos is None:
        targets = vsme.vsme_organisations(store, principal, year)
    else:
        targets = [(_organisation_id(store, principal, kbo), kbo) for kbo in kbos]
    if not targets:
        typer.echo(f"no VSME reports for {year}")
        raise typer.Exit(0)
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn()
    ) as bar:
        task = bar.add_task("VSME reports", total=len(targets))
        entries = []
        for entry in vsme.vsme_batch(
            store,
            principal,
            year,
            format.value,
            language,
            targets,
            progress=lambda done, _total: bar.update(task, completed=done),
            workers=workers,
        ):
            if entry.error is None:
                _write_file(out / entry.name, entry.data)
            entries.append(replace(entry, data=b""))
    rows = entries
    failed = sum(e.error is not None for e in entries)
    manifest = out / "manifest.csv"
    _write_file(manifest, vsme.vsme_manifest(entries, lambda e: render(e, cli_language())))
    typer.echo(
        f"{len(rows) - failed} VSME report(s) of {year} written to {out}"
        + (f", {failed} refused (see the error column)" if failed else "")
        + f"; manifest {manifest}"
    )
    if failed:
        raise typer.Exit(1)


def vsme_command(
    format: VsmeFormat = typer.Option(..., "--format", help="xlsx (EFRAG template), json, pdf."),
    out: Path = typer.Option(..., "--out", help="File to write (a folder with --all or --orgs)."),
    org: str = typer.Option(None, "--org", help="KBO number of the organisation."),
    year: int = typer.Option(None, "--year", help="Financial year of the VSME report."),
    as_user: str = typer.Option(
        None, "--as", help="E-mail of the user (own SME user, department or admin)."
    ),
    all_: bool = typer.Option(
        False, "--all", help="Every organisation with a VSME report of --year (into --out DIR)."
    ),
    orgs: Path = typer.Option(
        None, "--orgs", help="File with one KBO number a line (into --out DIR)."
    ),
    report_file: Path = typer.Option(
        None, "--report", help="A VSME report as JSON (exports.vsme.report.VsmeReport)."
    ),
    language: Language = typer.Option(Language.nl, "--language", help="Language of the PDF."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="With --all/--orgs: processes of the local pool."
    ),
) -> None:
    """Write VSME reports: the filled EFRAG Digital Template, xBRL-JSON or a PDF, of one
    organisation (--org KBO --year Y --as EMAIL), of many (--all or --orgs FILE, --out DIR,
    with manifest.csv), or of a report file (--report)."""
    from app.services import vsme  # noqa: PLC0415
    from app.services.errors import ServiceError  # noqa: PLC0415

    if report_file is not None:
        report, data = _vsme_from_report_file(report_file, format, language.value)
        _write_file(out, data)
        typer.echo(f"VSME report of {report.entity.kbo} ({report.year}) written to {out}")
        return
    chosen = sum([org is not None, all_, orgs is not None])
    if chosen != 1 or year is None or as_user is None:
        _fail(
            "give --report FILE, or --year YEAR --as EMAIL with one of --org KBO, --all, "
            "--orgs FILE"
        )
    store = _store()
    principal = _principal_of(store, as_user)
    if org is None:
        _vsme_batch(
            store,
            principal,
            year,
            _kbo_list(orgs) if orgs is not None else None,
            format,
            language.value,
            out,
            workers,
        )
        return
    from app.services.organisations import check_kbo  # noqa: PLC0415

    try:
        kbo = check_kbo(org)
    except ServiceError as exc:
        _fail(f"--org {org}: {render(exc, cli_language())}")
    organisation_id = _organisation_id(store, principal, kbo)
    try:
        _name, data = vsme.vsme_download(
            store, principal, organisation_id, year, format.value, language.value
        )
    except ServiceError as exc:
        _fail(f"{as_user}: {render(exc, cli_language())}")
    _write_file(out, data)
    typer.echo(f"VSME report of {kbo} ({year}) written to {out}")


export_app.command("passports")(passports_command)
export_app.command("vsme")(vsme_command)
export_app.command("data")(data_command)
export_app.command("sector")(sector_command)


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the ``mvo`` application."""
    cli.add_typer(export_app, name="export")
