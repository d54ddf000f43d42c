"""Exports that cannot be turned against their reader (issue 10, exports): a formula payload
as organisation name, municipality or text answer is inert text in the XLSX (never a cell of
data type "f"), the CSV and ``manifest.csv``; JSON keeps the value as it is (JSON is not a
spreadsheet, nothing evaluates it); a profile id or file name with ``../`` never writes
outside ``--out`` nor becomes a zip member.
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile

import pytest
from export_helpers import make_passport, random_answers, real_passport
from openpyxl import load_workbook
from typer.testing import CliRunner

from app.cli import cli
from exports import safety
from exports.batch import (
    ManifestRow,
    PassportJob,
    RenderContext,
    default_file,
    export_passports,
    write_manifest,
    write_zip,
)
from exports.data import Sheet, passports_json, score_tables, to_csv, to_xlsx
from scoring.models import Organisation

PAYLOADS = (
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
)
YEAR = 2026


def _live(value) -> bool:
    """Whether a spreadsheet would read this cell value as a formula."""
    return isinstance(value, str) and value.startswith(safety.FORMULA_STARTS)


def _payload_passports(framework, profile):
    rng = random.Random(10)
    result = []
    for number, payload in enumerate(PAYLOADS):
        org = Organisation(
            name=payload, kbo=f"04031707{number:02d}", fte=12, municipality=payload, nace="41.001"
        )
        answers = random_answers(rng, note=payload)
        result.append(make_passport(framework, profile, answers, org))
    return result


def test_cell_neutralises_formula_text_and_leaves_numbers_and_plain_text():
    for payload in PAYLOADS:
        assert safety.cell(payload) == "'" + payload
    assert safety.cell(-2.5) == -2.5 and safety.cell(-3) == -3  # a negative number is no text
    assert safety.cell(True) is True and safety.cell(None) is None
    assert safety.cell("Bouw & Zonen =bv") == "Bouw & Zonen =bv"


def test_xlsx_holds_no_formula_cell_for_payloads_in_names_and_text_columns(framework, profile):
    sheets = score_tables(
        _payload_passports(framework, profile), {framework.id: framework}, {profile.id: profile}
    )
    free_text = Sheet(
        "answers",
        ("organisation", "municipality", "energy_story", "value"),
        [(p, p, p, -2.5) for p in PAYLOADS] + [("#N/A", "ok", "ok", 1)],
    )
    workbook = load_workbook(io.BytesIO(to_xlsx([*sheets, free_text])))
    cells = [c for ws in workbook.worksheets for r in ws.iter_rows() for c in r]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if _live(c.value)] == []
    names = [r[0].value for r in workbook["organisations"].iter_rows(min_row=2)]
    assert sorted(names) == sorted("'" + p for p in PAYLOADS)
    answers = list(workbook["answers"].iter_rows(min_row=2, values_only=True))
    assert answers[0] == ("'" + PAYLOADS[0],) * 3 + (-2.5,)  # the number stays a number
    assert answers[-1][0] == "#N/A" and workbook["answers"]["A7"].data_type == "s"


def test_csv_holds_no_field_that_starts_a_formula(framework, profile):
    sheet = Sheet(
        "answers",
        ("organisation", "municipality", "energy_story", "value"),
        [(p, p, p, -2.5) for p in PAYLOADS],
    )
    rows = list(csv.reader(io.StringIO(to_csv(sheet).decode("utf-8"), newline="")))
    assert rows[1:] == [["'" + p] * 3 + ["-2.5"] for p in PAYLOADS]
    from exports.data import scores_per_organisation

    tables = score_tables(
        _payload_passports(framework, profile), {framework.id: framework}, {profile.id: profile}
    )
    text = to_csv(scores_per_organisation(tables)).decode("utf-8")
    organisations = [r["Organisatie"] for r in csv.DictReader(io.StringIO(text, newline=""))]
    assert sorted(organisations) == sorted("'" + p for p in PAYLOADS)


def test_manifest_csv_neutralises_organisation_names(tmp_path):
    rows = [
        ManifestRow(p, f"04031707{n:02d}", "bouw", "55.0", "op_weg", f"bouw/{n}.pdf", "ab")
        for n, p in enumerate(PAYLOADS)
    ]
    with (write_manifest(tmp_path, rows)).open(newline="", encoding="utf-8") as handle:
        read = list(csv.DictReader(handle))
    assert [r["Organisatie"] for r in read] == ["'" + p for p in PAYLOADS]
    assert not [v for r in read for v in r.values() if _live(v)]


def test_json_keeps_the_payload_as_it_is(framework, profile):
    """JSON is not a spreadsheet: nothing evaluates it, so the name is not altered."""
    data = json.loads(passports_json(_payload_passports(framework, profile)))
    assert [p["organisation"]["name"] for p in data] == list(PAYLOADS)


@pytest.mark.parametrize("bad", ["../../X", "../x", "a/b", "X", ""])
def test_a_file_name_is_built_only_from_a_valid_profile_id(passport, bad):
    with pytest.raises(safety.UnsafeName):
        default_file(passport.model_copy(update={"profile": bad}))
    org = passport.organisation.model_copy(update={"kbo": "../0403"})
    with pytest.raises(safety.UnsafeName):
        default_file(passport.model_copy(update={"organisation": org}))
    assert default_file(passport) == f"{passport.profile}/{passport.year}-0403170701.pdf"


@pytest.mark.parametrize("name", ["../evil.pdf", "/tmp/evil.pdf", "a/../../b.pdf", "a\\..\\b.pdf"])
def test_a_job_or_manifest_row_cannot_leave_the_folder_or_enter_the_zip(
    passport, framework, profile, tmp_path, name
):
    out = tmp_path / "out"
    context = RenderContext.of({framework.id: framework}, {profile.id: profile})
    with pytest.raises(safety.UnsafeName):
        export_passports([PassportJob.of(passport, file=name)], out, context=context, workers=1)
    out.mkdir(exist_ok=True)
    write_manifest(out, [])
    row = ManifestRow("x", "0403170701", "p", "1.0", "starter", name, "ab")
    with pytest.raises(safety.UnsafeName):
        write_zip(out, [row], tmp_path / "out.zip")
    assert sorted(p.name for p in tmp_path.rglob("*.pdf")) == []


def test_inside_refuses_a_symlink_that_points_out_of_the_folder(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "bouw").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(safety.UnsafeName):
        safety.inside(out, "bouw/2026-0403170701.pdf")
    assert safety.inside(out, "x/2026.pdf") == (out / "x" / "2026.pdf").resolve()


# -- the command line ---------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def catalogue():
    from frameworks.loader import shipped_catalogue

    return shipped_catalogue()


def _jsonl_line(catalogue, name: str, number: int, **update) -> str:
    org = Organisation(name=name, kbo=f"04031707{number:02d}", fte=12, municipality=name)
    passport = real_passport(
        catalogue, "transport_logistiek", random.Random(number), org, year=YEAR, status="submitted"
    )
    return passport.model_copy(update=update).model_dump_json()


def test_cli_exports_of_payload_names_hold_no_live_formula(catalogue, tmp_path):
    source = tmp_path / "payloads.jsonl"
    lines = [_jsonl_line(catalogue, p, n) for n, p in enumerate(PAYLOADS)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    common = ("--year", str(YEAR), "--from-jsonl", str(source))
    for fmt in ("xlsx", "csv", "json"):
        target = tmp_path / f"data.{fmt}"
        result = _run("export", "data", "--format", fmt, "--out", str(target), *common)
        assert result.exit_code == 0, result.output
    workbook = load_workbook(tmp_path / "data.xlsx")
    cells = [c for ws in workbook.worksheets for r in ws.iter_rows() for c in r]
    assert [c for c in cells if c.data_type == "f" or _live(c.value)] == []
    with (tmp_path / "data.csv").open(newline="", encoding="utf-8") as handle:
        assert not [v for r in csv.reader(handle) for v in r if _live(v)]
    data = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert [p["organisation"]["name"] for p in data] == list(PAYLOADS)

    out = tmp_path / "passports"
    result = _run("export", "passports", "--out", str(out), "--workers", "1", "--zip", *common)
    assert result.exit_code == 0, result.output
    with (out / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        manifest = list(csv.reader(handle))
    assert not [v for r in manifest for v in r if _live(v)]
    assert sorted(r[0] for r in manifest[1:]) == sorted("'" + p for p in PAYLOADS)


@pytest.mark.parametrize(
    ("field", "value"),
    [("profile", "../../X"), ("profile", "../../../tmp/evil"), ("profile", "a/b")],
)
def test_cli_refuses_a_profile_id_that_could_leave_out_with_file_and_line(
    catalogue, tmp_path, field, value
):
    source = tmp_path / "bad.jsonl"
    good = _jsonl_line(catalogue, "Transport & Zonen", 1)
    bad = _jsonl_line(catalogue, "Transport & Zonen", 2, **{field: value})
    source.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    out = tmp_path / "deep" / "er" / "out"
    result = _run(
        "export",
        "passports",
        "--year",
        str(YEAR),
        "--out",
        str(out),
        "--from-jsonl",
        str(source),
        "--workers",
        "1",
        "--zip",
    )
    assert result.exit_code == 1
    assert f"{source}:2: profile {value!r} is not a valid id" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.pdf")) == []
    zip_path = out.with_suffix(".zip")
    if zip_path.exists():
        assert not [n for n in zipfile.ZipFile(zip_path).namelist() if ".." in n]


def test_cli_refuses_a_framework_key_or_kbo_that_is_not_an_id(catalogue, tmp_path):
    line = json.loads(_jsonl_line(catalogue, "Transport", 1))
    line["scorecards"] = {f"../{k}": v for k, v in line["scorecards"].items()}
    source = tmp_path / "bad.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
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
        str(source),
    )
    assert result.exit_code == 1
    assert f"{source}:1: framework '../" in result.output
    line = json.loads(_jsonl_line(catalogue, "Transport", 1))
    line["organisation"]["kbo"] = "../../0403170701"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = _run(
        "export",
        "passports",
        "--year",
        str(YEAR),
        "--out",
        str(tmp_path / "o"),
        "--from-jsonl",
        str(source),
    )
    assert result.exit_code == 1
    assert f"{source}:1: KBO number" in result.output
