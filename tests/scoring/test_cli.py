"""``mvo score`` and ``mvo benchmark`` as a user runs them.

Covers S1-S5 and S7 through ``mvo score`` (the JSON contract: framework, framework_version,
profile, overall, level, completeness, sections, topics, questions, improvement_plan), S6 (the
level) and S9/S10 through ``mvo benchmark``; bad input exits 1 listing every problem, no traceback.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from app.cli import cli

runner = CliRunner()


@pytest.fixture(autouse=True)
def example_catalogue(monkeypatch, fixtures_dir):
    """The catalogue also holds the example framework and profile of tests/fixtures."""
    monkeypatch.setenv("MVO_FRAMEWORKS_DIR", str(fixtures_dir))


def write_answers(tmp_path, answers, framework="example"):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"framework": framework, "answers": answers}), encoding="utf-8")
    return path


def test_score_prints_the_json_contract(tmp_path):
    """S5/S7: overall 80 (0.6 * 83.33 + 0.4 * 75), level voorloper, plan largest gain first."""
    path = write_answers(
        tmp_path,
        {
            "safety_policy": 3,
            "has_prevention_advisor": True,
            "accidents": "n/a",
            "training_plan": "written",
            "training_topics": ["safety", "digital"],
            "energy_mwh": 50,
            "climate_plan": 2,
        },
    )
    result = runner.invoke(cli, ["score", "--framework", "example", "--answers", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {
        "framework",
        "framework_version",
        "profile",
        "overall",
        "level",
        "completeness",
        "sections",
        "topics",
        "questions",
        "improvement_plan",
    } <= data.keys()
    assert (data["framework"], data["framework_version"], data["profile"]) == (
        "example",
        "1.0",
        None,
    )
    assert data["overall"] == pytest.approx(80)
    assert data["completeness"] == pytest.approx(6 / 7)
    assert data["sections"]["planet"] == {"score": pytest.approx(75)}
    assert data["topics"]["climate"] == {"score": pytest.approx(50), "materiality": 1}
    assert data["questions"]["accidents"] == {"points": 0.0, "max": 2.0, "status": "n/a"}
    gains = [step["gain"] for step in data["improvement_plan"]]
    assert gains == sorted(gains, reverse=True) and len(gains) == 3
    assert data["improvement_plan"][0]["question"] == "climate_plan"  # 100 * 2/4 / 2 * 0.4 = 10


def test_score_with_profile_adds_sector_questions_and_materiality(tmp_path):
    """S4/S6: with the profile, climate is left out (materiality 0) and the level is capped."""
    path = write_answers(
        tmp_path,
        {
            "safety_policy": 0,
            "has_prevention_advisor": False,
            "training_plan": "written",
            "training_topics": ["safety", "digital", "language"],
            "energy_mwh": 1,
            "sector_charter": True,
            "accidents": "n/a",
        },
    )
    result = runner.invoke(
        cli,
        ["score", "--framework", "example", "--profile", "example_sector", "--answers", str(path)],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["profile"] == "example_sector"
    assert data["topics"]["climate"] == {"score": None, "materiality": 0}
    assert data["overall"] == pytest.approx(75)
    assert (data["level"], data["capped"]) == ("op_weg", True)


def test_score_table_format_is_readable(tmp_path):
    """S8: the table rounds to one decimal for display only."""
    path = write_answers(tmp_path, {"training_plan": "informal", "training_topics": ["safety"]})
    result = runner.invoke(
        cli, ["score", "--framework", "example", "--answers", str(path), "--format", "table"]
    )
    assert result.exit_code == 0, result.output
    assert "training" in result.output and "33.3" in result.output


def test_bad_answers_exit_1_listing_every_problem(tmp_path):
    """S1/S2: every bad answer is listed with the file and question; nothing is scored."""
    path = write_answers(
        tmp_path, {"safety_policy": True, "nope": 1, "climate_plan": "n/a", "safety_policy_x": 2}
    )
    result = runner.invoke(cli, ["score", "--framework", "example", "--answers", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}: answers.safety_policy:" in result.output
    assert f"{path}: answers.nope:" in result.output
    assert f"{path}: answers.safety_policy_x:" in result.output
    assert "3 invalid answer(s)" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "invalid JSON"),
        ('{"answers": [1]}', "expected an object"),
        ('{"framework": "gri", "answers": {}}', "the file is for 'gri'"),
    ],
)
def test_bad_answers_file_exits_1_with_the_place(tmp_path, content, expected):
    """S1: a malformed file is named with the problem, exit 1, no traceback."""
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["score", "--framework", "example", "--answers", str(path)])
    assert result.exit_code == 1
    assert expected in result.output and str(path) in result.output


def test_unknown_framework_exits_1(tmp_path):
    """S1: an unknown framework id is named with the known ones."""
    path = write_answers(tmp_path, {})
    result = runner.invoke(cli, ["score", "--framework", "nope", "--answers", str(path)])
    assert result.exit_code == 1
    assert "unknown framework 'nope'" in result.output


def test_benchmark_shows_aggregates_and_only_consenting_names(tmp_path):
    """S9/S10: 6 submitted (k = 5): statistics shown; one consenting member named."""
    rows = [
        {
            "assessment": i,
            "organisation": f"Lid {i}",
            "profile": "example_sector",
            "year": 2025,
            "framework_version": "1.0",
            "fte": 5,
            "status": "submitted",
            "consent": i == 0,
            "overall": 10.0 * i,
        }
        for i in range(6)
    ]
    path = tmp_path / "scores.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    args = ["benchmark", "--profile", "example_sector", "--year", "2025", "--scores", str(path)]
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["overall"]["median"] == pytest.approx(25)
    assert [m["organisation"] for m in data["members"]] == ["Lid 0"]
    assert data["anonymous"] == 5
    table = runner.invoke(cli, args)
    assert "Lid 0" in table.output and "Lid 1" not in table.output


def test_benchmark_below_k_says_too_few(tmp_path):
    """S9: fewer than k submitted: "te weinig deelnemers", no statistics."""
    path = tmp_path / "scores.json"
    path.write_text(
        json.dumps(
            [
                {
                    "assessment": 1,
                    "profile": "example_sector",
                    "year": 2025,
                    "framework_version": "1.0",
                    "fte": 3,
                    "overall": 50.0,
                }
            ]
        ),
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["benchmark", "--profile", "example_sector", "--year", "2025", "--scores", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "Te weinig deelnemers" in result.output


def test_benchmark_missing_columns_exit_1(tmp_path):
    """S9: a scores table without the needed columns is refused, naming them."""
    path = tmp_path / "scores.csv"
    pd.DataFrame([{"assessment": 1, "overall": 3}]).to_csv(path, index=False)
    result = runner.invoke(
        cli, ["benchmark", "--profile", "example_sector", "--year", "2025", "--scores", str(path)]
    )
    assert result.exit_code == 1
    assert "missing column(s): profile, year, framework_version, size_class or fte" in result.output
