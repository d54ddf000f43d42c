"""``mvo db upgrade``, ``mvo users add``, ``mvo import`` and ``mvo demo``: the store's commands.

They call the same services as the app, as the system principal (the person at the command
line runs the installation). ``MVO_DATABASE_URL`` selects the database. Problems are printed
as one clear message (no traceback) and the exit code is 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from app.services.errors import ServiceError
from app.services.messages import cli_language, message, render
from app.store.db import StoreError

db_cli = typer.Typer(help="De database / the database.", no_args_is_help=True)
users_cli = typer.Typer(help="Accounts beheren / manage accounts.", no_args_is_help=True)


def _fail(message: object) -> None:
    typer.echo(f"error: {render(message, cli_language())}", err=True)
    raise typer.Exit(1)


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Turn refusals and database problems into one message and exit code 1."""
    try:
        yield
    except (ServiceError, StoreError) as error:
        _fail(error)
    except KeyError as error:  # unknown framework/profile from the catalogue
        _fail(str(error.args[0]) if error.args else str(error))


def _store(migrate: bool = True):
    from app.store import Store

    return Store(migrate=migrate)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to the newest migration (safe to repeat)."""
    from app.store.db import current_revision, database_url, ensure_schema, make_engine

    with _clear_errors():
        engine = make_engine()
        try:
            changed = ensure_schema(engine)
            revision = current_revision(engine)
        finally:
            engine.dispose()
    state = "upgraded to" if changed else "already at"
    typer.echo(f"database {_display_url(database_url())}: {state} revision {revision}")


def _display_url(url: str) -> str:
    from app.store.db import _safe_url

    return _safe_url(url)


@users_cli.command("add")
def users_add(
    email: str = typer.Argument(..., help="E-mailadres / e-mail address"),
    role: str = typer.Option(..., "--role", help="sme, federation, department or admin"),
    org: str | None = typer.Option(None, "--org", help="KBO number of the SME's organisation"),
    sector: list[str] = typer.Option(
        [], "--sector", help="Sector profile id of a federation (repeat for several)"
    ),
    password: str | None = typer.Option(
        None,
        "--password",
        help="Password; asked for when omitted (unless --no-password)",
    ),
    no_password: bool = typer.Option(
        False, "--no-password", help="No local password: sign-in through OpenID Connect only"
    ),
) -> None:
    """Create an account (argon2 password hash)."""
    from app.services import auth
    from app.services.principal import SYSTEM

    if password is None and not no_password:
        password = typer.prompt("Wachtwoord / password", hide_input=True, confirmation_prompt=True)
    with _clear_errors():
        view = auth.create_user(
            _store(),
            SYSTEM,
            email,
            role,
            password=None if no_password else password,
            organisation_kbo=org,
            sectors=sector,
        )
    where = f" of {view.organisation_kbo}" if view.organisation_kbo else ""
    sectors = f" for {', '.join(view.sectors)}" if view.sectors else ""
    typer.echo(f"created {view.role} account {view.email}{where}{sectors}")


def import_command(
    file: Path = typer.Argument(..., exists=False, help="Excel (.xlsx), CSV or JSON file"),
    framework: str = typer.Option(..., "--framework", help="Framework id, e.g. iso26000"),
    profile: str | None = typer.Option(None, "--profile", help="Sector profile id, e.g. bouw"),
    year: int = typer.Option(..., "--year", help="Year of the assessments"),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Write the valid rows even when other rows have problems"
    ),
    draft: bool = typer.Option(
        False, "--draft", help="Keep every imported assessment as a draft (do not submit)"
    ),
) -> None:
    """Import answers collected in Excel/CSV/JSON: one row per organisation (kbo, name, then
    one column per question id). Every row is checked first; with any problem nothing is
    written unless --skip-invalid."""
    from app.services import importing
    from app.services.principal import SYSTEM

    if not file.exists():
        _fail(message("import-file-not-found", name=file))
    with _clear_errors():
        report = importing.import_answers(
            _store(),
            SYSTEM,
            file,
            framework=framework,
            profile=profile,
            year=year,
            skip_invalid=skip_invalid,
            submit=not draft,
        )
    for problem in report.problems:
        typer.echo(f"{file}: {render(problem, cli_language())}", err=True)
    for warning in report.warnings:
        typer.echo(f"{file}: warning: {render(warning, cli_language())}", err=True)
    typer.echo(
        f"{report.rows} rows read, {report.valid_rows} valid, {report.written} written "
        f"({report.submitted} submitted, {report.drafts} drafts, {report.new_organisations} new "
        f"organisations), {report.skipped} skipped, {len(report.problems)} problems"
    )
    if report.problems and not skip_invalid:
        _fail("nothing was written: fix the problems above, or use --skip-invalid")


def demo_command(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing when the database already has data"
    ),
    organisations: int | None = typer.Option(
        None,
        "--organisations",
        help="About this many organisations over the sectors (a large, deterministic database)",
    ),
) -> None:
    """Create the demo accounts (password 'demo') and a synthetic population of at least 300
    organisations; refused with MVO_ENV=production."""
    from app.services import demo

    with _clear_errors():
        demo.refuse_in_production()
        summary = demo.seed_demo(_store(), if_empty=if_empty, organisations=organisations)
    if summary.skipped:
        typer.echo("database has data already: demo data not added")
        return
    typer.echo(
        f"demo data: {summary.organisations} organisations, {summary.assessments} assessments "
        f"({summary.submitted} submitted) for {summary.years[0]}-{summary.years[1]}, "
        f"{summary.answers} answers"
    )
    typer.echo(f"accounts (password 'demo'): {', '.join(summary.users)}")


def rescore_command(
    year: int = typer.Option(..., "--year", help="Year whose submitted assessments to rescore"),
    framework: str | None = typer.Option(None, "--framework", help="Only this framework id"),
    profile: str | None = typer.Option(None, "--profile", help="Only this sector profile id"),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Only show how many scores would change; write nothing"
    ),
) -> None:
    """Freeze every submitted assessment of a year again from its stored answers, after a
    framework or sector profile changed (snapshots and benchmark figures in one transaction)."""
    from app.services import rescoring
    from app.services.principal import SYSTEM

    if dry_run:
        with _clear_errors():
            preview = rescoring.preview_year(
                _store(), SYSTEM, year, framework=framework, profile=profile
            )
        typer.echo(
            f"{year}: {preview.assessments} submitted assessments, {len(preview.changed)} would "
            f"change their overall score (largest change {preview.largest_change:.1f}), "
            f"{len(preview.would_keep)} would keep their old snapshot; nothing written"
        )
        return
    with _clear_errors():
        summary = rescoring.rescore_year(
            _store(), SYSTEM, year, framework=framework, profile=profile
        )
    typer.echo(
        f"{year}: {summary.rescored} assessments rescored ({summary.changed} changed score or "
        f"level), {len(summary.kept)} kept with their old snapshot"
    )
    for assessment_id in summary.kept:
        typer.echo(
            f"assessment {assessment_id}: required questions now open, old snapshot kept",
            err=True,
        )


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the ``mvo`` application."""
    cli.add_typer(db_cli, name="db")
    cli.add_typer(users_cli, name="users")
    cli.command("import")(import_command)
    cli.command("demo")(demo_command)
    cli.command("rescore")(rescore_command)
