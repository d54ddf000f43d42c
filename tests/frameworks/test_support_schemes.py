"""The support schemes file (issue #13 item 9): one YAML, validated by its pydantic model with
file:line problems, each scheme named in nl and en, with what it covers, its agency, an https
source and the date checked; ``mvo validate`` checks it with the frameworks; matching is by
ISO 26000 clause (question mapping or topic clause) or question id."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from frameworks.loader import load_framework
from frameworks.support_schemes import load_support_schemes, read_support_schemes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_shipped_schemes_should_load_with_both_languages_and_an_https_source():
    schemes = load_support_schemes()
    assert schemes.ids() == ["kmo_portefeuille", "ecologiepremie_plus", "werkbaarheidscheque"]
    for scheme in schemes.schemes:
        assert scheme.name.nl and scheme.name.en and scheme.covers.nl and scheme.covers.en
        assert scheme.source.startswith("https://") and scheme.source_date <= schemes.checked
        assert scheme.matches.iso26000 or scheme.matches.questions


def test_schemes_should_match_by_topic_clause_mapping_or_question_id():
    schemes = load_support_schemes()
    framework = load_framework(FIXTURES / "example_framework.yaml")
    matched = {
        question_id: [s.id for s in schemes.matching(question, framework.topics[topic_id])]
        for question_id, question in framework.questions.items()
        for topic_id in [framework.topic_of_question[question_id]]
    }
    assert matched["safety_policy"] == ["werkbaarheidscheque"]  # 6.4.6
    assert matched["training_plan"] == ["kmo_portefeuille"]  # 6.4.7
    assert matched["energy_mwh"] == ["kmo_portefeuille", "ecologiepremie_plus"]  # 6.5.4


BROKEN = """\
version: "1"
checked: 2026-12-01
schemes:
  - id: subsidie
    name: {nl: Subsidie}
    agency: Agentschap
    covers: {nl: iets, en: something}
    source: http://example.org
    source_date: 2024-13-01
    matches: {iso26000: ["9.9"]}
  - id: subsidie
    name: {nl: Subsidie, en: Subsidy}
    agency: Agentschap
    covers: {nl: iets, en: something}
    source: https://example.org
    source_date: 2024-01-01
    matches: {questions: [safety_policy]}
"""


def test_a_broken_schemes_file_should_report_every_problem_with_its_line(tmp_path):
    path = tmp_path / "support_schemes.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    model, report = read_support_schemes(path)
    assert model is None
    assert report.flatten(["line", "code"]) == [
        [5, "missing-text"],
        [8, "invalid-value"],
        [9, "wrong-type"],
        [10, "invalid-value"],
    ]
    path.write_text(
        BROKEN.replace("http://", "https://")
        .replace("{nl: Subsidie}", "{nl: S, en: S}")
        .replace("2024-13-01", "2024-12-01")
        .replace('"9.9"', '"6.4.99"'),
        encoding="utf-8",
    )
    model, report = read_support_schemes(path)
    assert model is None
    assert report.flatten(["line", "code"]) == [
        [10, "unknown-iso26000-clause"],
        [11, "duplicate-id"],
    ]


def test_mvo_validate_should_check_the_schemes_file(tmp_path):
    assert runner_exit(["validate"]) == 0
    path = tmp_path / "support_schemes.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:8: invalid-value schemes.0.source" in result.output


def runner_exit(args: list[str]) -> int:
    return CliRunner().invoke(cli, args).exit_code
