"""The store's commands: ``mvo db upgrade``, ``mvo users add``, ``mvo import``, ``mvo demo``.
Problems give one clear message and exit code 1, never a traceback."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.kbo import make_number
from app.store.db import head_revision
from frameworks.compose import effective_framework
from frameworks.loader import shipped_catalogue

runner = CliRunner()


def mvo(*args: str, url: str, input: str | None = None, **env: str):
    result = runner.invoke(
        cli, list(args), input=input, env={"MVO_DATABASE_URL": url, "MVO_ENV": "", **env}
    )
    assert "Traceback" not in result.output
    return result


def test_db_upgrade_should_migrate_once_and_then_report_the_revision(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    first = mvo("db", "upgrade", url=url)
    head = head_revision()
    assert first.exit_code == 0 and f"upgraded to revision {head}" in first.output
    second = mvo("db", "upgrade", url=url)
    assert second.exit_code == 0 and f"already at revision {head}" in second.output


def test_db_upgrade_on_an_unwritable_place_should_say_so(tmp_path):
    (tmp_path / "a-file").write_text("x")
    result = mvo("db", "upgrade", url=f"sqlite:///{tmp_path / 'a-file' / 'db.sqlite'}")
    assert result.exit_code == 1 and "error:" in result.output


def test_users_add_should_create_accounts_and_refuse_bad_input(db_url):
    ok = mvo(
        "users",
        "add",
        "fed@example.be",
        "--role",
        "federation",
        "--sector",
        "bouw",
        "--sector",
        "voeding",
        "--password",
        "lang-genoeg",
        url=db_url,
    )
    assert ok.exit_code == 0 and "for bouw, voeding" in ok.output
    again = mvo(
        "users",
        "add",
        "FED@example.be",
        "--role",
        "department",
        "--password",
        "lang-genoeg",
        url=db_url,
    )
    assert again.exit_code == 1 and "exists" in again.output
    bad_kbo = mvo(
        "users",
        "add",
        "kmo@example.be",
        "--role",
        "sme",
        "--org",
        "0403019262",
        "--password",
        "lang-genoeg",
        url=db_url,
    )
    assert bad_kbo.exit_code == 1 and "check digits" in bad_kbo.output
    prompted = mvo(
        "users",
        "add",
        "dep@example.be",
        "--role",
        "department",
        url=db_url,
        input="lang-genoeg\nlang-genoeg\n",
    )
    assert prompted.exit_code == 0, prompted.output
    oidc = mvo("users", "add", "oidc@example.be", "--role", "admin", "--no-password", url=db_url)
    assert oidc.exit_code == 0


def _import_file(path, rows: int, *, break_row: int | None = None):
    catalogue = shipped_catalogue()
    questions = effective_framework(
        catalogue.frameworks["iso26000"], catalogue.profiles["bouw"]
    ).questions
    required = [q for q in questions.values() if q.required]
    header = ["kbo", "name", "fte"] + [q.id for q in required]

    def value(question):
        if question.type == "maturity":
            return 3
        if question.type == "yes_no":
            return "ja"
        if question.type == "choice":
            return question.options[-1].id
        if question.type == "number":
            return question.min or 0
        return "tekst"

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(rows):
            cells = [make_number(3_000_000 + n), f"Aannemer {n}", 5 + n]
            cells += [value(q) for q in required]
            if break_row == n:
                cells[3] = "veel"
            writer.writerow(cells)
    return path, header


def test_import_should_write_valid_files_and_nothing_of_invalid_ones(db_url, tmp_path):
    bad, header = _import_file(tmp_path / "bad.csv", 3, break_row=1)
    result = mvo(
        "import",
        str(bad),
        "--framework",
        "iso26000",
        "--profile",
        "bouw",
        "--year",
        "2025",
        url=db_url,
    )
    assert result.exit_code == 1
    assert f"row 3, column {header[3]}" in result.output
    assert "0 written" in result.output and "nothing was written" in result.output
    skipped = mvo(
        "import",
        str(bad),
        "--framework",
        "iso26000",
        "--profile",
        "bouw",
        "--year",
        "2025",
        "--skip-invalid",
        url=db_url,
    )
    assert skipped.exit_code == 0 and "2 written (2 submitted" in skipped.output
    good, _ = _import_file(tmp_path / "good.csv", 2)
    again = mvo(
        "import",
        str(good),
        "--framework",
        "iso26000",
        "--profile",
        "bouw",
        "--year",
        "2025",
        url=db_url,
    )
    assert again.exit_code == 1 and "already submitted" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--framework", "nope", "--profile", "bouw"], "Unknown framework 'nope'"),
        (["--framework", "iso26000", "--profile", "nope"], "Unknown sector profile 'nope'"),
        (["--framework", "kwaliteitswijzer", "--profile", "bouw"], "not part of sector profile"),
    ],
)
def test_import_with_unknown_ids_should_fail_clearly(db_url, tmp_path, args, message):
    good, _ = _import_file(tmp_path / "good.csv", 1)
    result = mvo("import", str(good), *args, "--year", "2025", url=db_url)
    assert result.exit_code == 1 and message in result.output


def test_import_of_a_missing_file_should_fail_clearly(db_url, tmp_path):
    result = mvo(
        "import",
        str(tmp_path / "nope.xlsx"),
        "--framework",
        "iso26000",
        "--year",
        "2025",
        url=db_url,
    )
    assert result.exit_code == 1 and "file not found" in result.output


def test_demo_should_be_refused_in_production(db_url):
    result = mvo("demo", url=db_url, MVO_ENV="production")
    assert result.exit_code == 1 and "production" in result.output


def test_demo_if_empty_should_leave_a_database_with_data_alone(db_url):
    mvo(
        "users",
        "add",
        "dep@example.be",
        "--role",
        "department",
        "--password",
        "lang-genoeg",
        url=db_url,
    )
    result = mvo("demo", "--if-empty", url=db_url)
    assert result.exit_code == 0 and "not added" in result.output


def test_db_upgrade_should_accept_the_configured_database(db_url):
    result = mvo("db", "upgrade", url=db_url)
    assert result.exit_code == 0 and f"already at revision {head_revision()}" in result.output


def test_messages_should_never_show_the_database_password():
    from app.store.db import _safe_url

    shown = _safe_url("postgresql+psycopg://mvo:geheim@db.example.be/mvo")
    assert "geheim" not in shown and "db.example.be" in shown
