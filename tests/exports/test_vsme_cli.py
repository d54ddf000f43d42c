"""``mvo export vsme``: the three VSME outputs from the command line (issue 12, item 4)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.exports.vsme_helpers import sample_report

runner = CliRunner()


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "report.json"
    path.write_text(sample_report().model_dump_json(), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt, magic", [("json", b"{"), ("pdf", b"%PDF")])
def test_export_vsme_writes_the_chosen_format(tmp_path, report_file, fmt, magic):
    """Should write the xBRL-JSON or the PDF of a report file."""
    out = tmp_path / f"vsme.{fmt}"
    result = runner.invoke(
        cli, ["export", "vsme", "--report", str(report_file), "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)
    if fmt == "json":
        assert json.loads(out.read_text())["documentInfo"]["documentType"].endswith("xbrl-json")


def test_export_vsme_refuses_a_bad_report_with_the_field(tmp_path):
    """Should name the field of a report that is not a VSME report, and write nothing."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"entity": {"name": "X", "kbo": "12"}}', encoding="utf-8")
    out = tmp_path / "x.json"
    result = runner.invoke(
        cli, ["export", "vsme", "--report", str(bad), "--format", "json", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "entity.kbo" in result.output
    assert not out.exists()
