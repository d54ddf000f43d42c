"""`mvo validate` and `mvo catalogue`: the command-line contract of the foundation issue."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from typer.testing import CliRunner

from app.cli import cli

from .conftest import MINIMAL

runner = CliRunner()
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<code>[a-z0-9-]+) ")


def test_validate_clean_files_exits_0_with_a_summary(fixtures_dir):
    """Valid files: no problem lines, a summary, exit 0."""
    result = runner.invoke(cli, ["validate", str(fixtures_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == ["checked 2 file(s): 0 error(s), 0 warning(s)"]


def test_validate_bad_file_prints_path_line_code_and_exits_1(write):
    """Each problem is one `PATH:LINE: CODE message` line; any error exits 1."""
    path = write(
        MINIMAL.replace("advice: {nl: Doe het, en: Do it}", "advise: {nl: x, en: y}").replace(
            "type: maturity", "type: slider"
        )
    )
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    parsed = [LINE.match(line).groupdict() for line in lines[:-1]]
    assert [(p["line"], p["code"]) for p in parsed] == [("19", "unknown-key"), ("21", "wrong-type")]
    assert lines[-1] == "checked 1 file(s): 2 error(s), 0 warning(s)"


def test_validate_binary_and_unsafe_files_never_show_a_traceback(write):
    """Run as a real process: bad files give messages and exit 1, never a Python traceback."""
    binary = write(b"\x00\x01\x02", "blob.yaml")
    unsafe = write("!!python/object/apply:os.system ['true']\n", "unsafe.yaml")
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", str(binary), str(unsafe)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "binary-file" in proc.stdout and "unsafe-tag" in proc.stdout


def test_catalogue_json_keeps_the_documented_shape(fixtures_dir, monkeypatch):
    """The JSON has the keys other tools rely on, with max points and options."""
    monkeypatch.setenv("MVO_FRAMEWORKS_DIR", str(fixtures_dir))
    result = runner.invoke(cli, ["catalogue", "--framework", "example", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"id", "version", "sections"} <= set(data)
    section = data["sections"][0]
    assert section["id"] == "people" and section["weight"] == 0.6
    questions = {q["id"]: q for t in section["topics"] for q in t["questions"]}
    assert set(questions["training_plan"]) >= {
        "id",
        "type",
        "weight",
        "max_points",
        "allow_na",
        "required",
        "visible_if",
        "options",
    }
    assert questions["training_plan"]["max_points"] == 3
    assert questions["training_topics"]["max_points"] == 3  # four options of 1, capped at 3
    assert questions["training_topics"]["visible_if"] == {
        "question": "training_plan",
        "in": ["informal", "written"],
    }
    assert [o["id"] for o in questions["training_plan"]["options"]] == [
        "none",
        "informal",
        "written",
    ]
    assert questions["has_prevention_advisor"]["weight"] == 2


def test_catalogue_with_a_profile_adds_the_sector_questions(fixtures_dir, monkeypatch):
    """--profile appends the profile's sector section to its first framework."""
    monkeypatch.setenv("MVO_FRAMEWORKS_DIR", str(fixtures_dir))
    result = runner.invoke(
        cli, ["catalogue", "--framework", "example", "--profile", "example_sector"]
    )
    assert result.exit_code == 0, result.output
    assert [s["id"] for s in json.loads(result.output)["sections"]] == [
        "people",
        "planet",
        "sector",
    ]


def test_catalogue_markdown_lists_questions_and_levels(fixtures_dir, monkeypatch):
    """--format md renders titles, question ids and the described levels."""
    monkeypatch.setenv("MVO_FRAMEWORKS_DIR", str(fixtures_dir))
    result = runner.invoke(
        cli, ["catalogue", "--framework", "example", "--format", "md", "--language", "nl"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Voorbeeldkader (`example` 1.0)")
    assert "**`climate_plan`**" in result.output and "  - 2: Scope 1 en 2 berekend" in result.output


def test_catalogue_unknown_framework_exits_1_naming_the_known_ones(fixtures_dir, monkeypatch):
    """An unknown id is an error that lists the ids that exist."""
    monkeypatch.setenv("MVO_FRAMEWORKS_DIR", str(fixtures_dir))
    result = runner.invoke(cli, ["catalogue", "--framework", "nope"])
    assert result.exit_code == 1 and "example" in result.output
