"""``mvo export passports`` and ``mvo export data`` (issue 6, part 4) against a SQLite store
seeded with the demo population, and from a JSON-lines file: one PDF per organisation with
a complete manifest, a rerun renders nothing, data files that validate, clear errors with
file:line and exit code 1 instead of tracebacks.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random

import jsonschema
import pytest
from export_helpers import real_passport
from openpyxl import load_workbook
from typer.testing import CliRunner

from app.cli import cli
from exports.batch import read_manifest
from scoring.models import Organisation

YEAR = 2026


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A SQLite database with the demo population of 2025 and 2026."""
    from app.services import demo
    from app.store import Store

    folder = tmp_path_factory.mktemp("store")
    url = f"sqlite:///{folder}/mvo.sqlite"
    store = Store(url)
    demo.seed_demo(store, per_sector=6, current_year=YEAR)
    store.dispose()
    return url


@pytest.fixture()
def env(seeded, monkeypatch):
    monkeypatch.setenv("MVO_DATABASE_URL", seeded)
    return seeded


def _expected_organisations(url: str, profile: str) -> set[str]:
    from app.services import department
    from app.services.principal import SYSTEM
    from app.store import Store

    store = Store(url)
    try:
        items = department.submitted_passports(store, SYSTEM, YEAR, [profile])
    finally:
        store.dispose()
    return {i.organisation.kbo for i in items}


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_export_passports_writes_one_pdf_per_organisation_and_a_complete_manifest(env, tmp_path):
    out = tmp_path / "passports"
    result = _run(
        "export",
        "passports",
        "--year",
        str(YEAR),
        "--profile",
        "bouw",
        "--out",
        str(out),
        "--workers",
        "2",
        "--zip",
    )
    assert result.exit_code == 0, result.output
    rows = read_manifest(out / "manifest.csv")  # keyed by column id, header in the language
    assert {r["kbo"] for r in rows} == _expected_organisations(env, "bouw")
    assert len(rows) == len({r["kbo"] for r in rows})  # one passport per organisation
    for row in rows:
        assert row["profile"] == "bouw"
        assert hashlib.sha256((out / row["file"]).read_bytes()).hexdigest() == row["sha256"]
    assert (tmp_path / "passports.zip").exists()

    again = _run(
        "export",
        "passports",
        "--year",
        str(YEAR),
        "--profile",
        "bouw",
        "--out",
        str(out),
        "--workers",
        "1",
    )
    assert again.exit_code == 0, again.output
    assert f"0 rendered, {len(rows)} unchanged" in again.output


def test_export_data_writes_xlsx_csv_and_json_with_its_schema(env, tmp_path):
    for fmt in ("xlsx", "csv", "json"):
        target = tmp_path / f"scores.{fmt}"
        result = _run(
            "export",
            "data",
            "--year",
            str(YEAR),
            "--format",
            fmt,
            "--out",
            str(target),
            "--profile",
            "voeding",
        )
        assert result.exit_code == 0, result.output
    organisations = _expected_organisations(env, "voeding")
    workbook = load_workbook(tmp_path / "scores.xlsx")
    assert workbook["organisations"].max_row == 1 + len(organisations)
    with (tmp_path / "scores.csv").open(encoding="utf-8") as handle:
        assert {r["KBO-nummer"] for r in csv.DictReader(handle)} == organisations
    data = json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))
    schema = json.loads((tmp_path / "scores.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert {p["organisation"]["kbo"] for p in data} == organisations


def test_export_data_anonymised_has_no_names_or_kbo_numbers(env, tmp_path):
    target = tmp_path / "anon.csv"
    result = _run(
        "export",
        "data",
        "--year",
        str(YEAR),
        "--format",
        "csv",
        "--out",
        str(target),
        "--anonymise",
    )
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["Organisatie"] == "" for r in rows)
    assert not {r["KBO-nummer"] for r in rows} & _expected_organisations(env, "bouw")


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory):
    from frameworks.loader import shipped_catalogue

    catalogue = shipped_catalogue()
    rng = random.Random(5)
    lines = []
    for number in range(4):
        org = Organisation(name=f"Transport {number} & Zonen", kbo=f"04031707{number:02d}", fte=12)
        passport = real_passport(
            catalogue, "transport_logistiek", rng, org, year=YEAR, status="submitted"
        )
        lines.append(passport.model_dump_json())
    path = tmp_path_factory.mktemp("jsonl") / "passports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_export_passports_from_a_json_lines_file(jsonl, tmp_path):
    out = tmp_path / "out"
    result = _run(
        "export",
        "passports",
        "--year",
        str(YEAR),
        "--out",
        str(out),
        "--from-jsonl",
        str(jsonl),
        "--workers",
        "1",
        "--language",
        "en",
    )
    assert result.exit_code == 0, result.output
    rows = read_manifest(out / "manifest.csv")  # keyed by column id, header in the language
    assert [r["organisation"] for r in rows] == [f"Transport {n} & Zonen" for n in range(4)]
    assert all(r["file"].endswith("-en.pdf") for r in rows)


def test_a_bad_json_line_stops_with_file_and_line_and_exit_code_1(jsonl, tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = jsonl.read_text(encoding="utf-8").splitlines()
    bad.write_text(good[0] + "\n" + '{"profile": "bouw"}\n', encoding="utf-8")
    result = _run(
        "export",
        "passports",
        "--year",
        str(YEAR),
        "--out",
        str(tmp_path / "o"),
        "--from-jsonl",
        str(bad),
    )
    assert result.exit_code == 1
    assert f"{bad}:2: field " in result.output
    assert "Traceback" not in result.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    result = _run(
        "export",
        "data",
        "--year",
        str(YEAR),
        "--format",
        "csv",
        "--out",
        str(tmp_path / "x.csv"),
        "--from-jsonl",
        str(broken),
    )
    assert result.exit_code == 1
    assert f"{broken}:1: not JSON" in result.output
