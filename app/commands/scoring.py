"""``mvo score`` and ``mvo benchmark``: score an answers file, compare a table of scores.

``mvo score --framework ID [--profile ID] --answers FILE.json [--format json|table]`` reads
``{"framework": ID, "answers": {QUESTION_ID: VALUE}}`` and prints the score card, the level and
the improvement plan. ``mvo benchmark --profile ID --year Y --scores FILE [--format json|table]``
reads a table of scores (CSV, JSON records or XLSX; see ``scoring.benchmark``) and prints the
federation's view of its sector (S9, S10). Problems are printed with the file and the place in
it, and exit with code 1 — never a traceback.
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import typer

from frameworks.models import Framework
from scoring import InvalidAnswers, score
from scoring.passport import build


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _load(framework_id: str | None, profile_id: str | None):
    """The framework and profile by id from the catalogue, or from a YAML path."""
    from frameworks.loader import FrameworkFileError, load_catalogue, load_framework, load_profile

    def is_path(value: str) -> bool:
        return value.endswith((".yaml", ".yml")) and Path(value).is_file()

    try:
        needs_catalogue = (framework_id and not is_path(framework_id)) or (
            profile_id and not is_path(profile_id)
        )
        catalogue = load_catalogue() if needs_catalogue else None
        framework = profile = None
        if framework_id:
            framework = (
                load_framework(framework_id)
                if is_path(framework_id)
                else catalogue.framework(framework_id)  # type: ignore[union-attr]
            )
        if profile_id:
            profile = (
                load_profile(profile_id) if is_path(profile_id) else catalogue.profile(profile_id)  # type: ignore[union-attr]
            )
    except KeyError as exc:
        _fail(f"error: {exc.args[0]}")
    except FrameworkFileError as exc:
        _fail(f"error: invalid framework file:\n{exc}")
    return framework, profile


def _read_answers(path: Path, framework: Framework) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        _fail(f"error: cannot read {path}: {exc.strerror}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}")
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        _fail(f'{path}: expected an object {{"framework": ID, "answers": {{QUESTION_ID: VALUE}}}}')
    given = data.get("framework")
    if given is not None and given != framework.id:
        _fail(f"{path}: framework: the file is for {given!r}, not {framework.id!r}")
    return data["answers"]


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def score_command(
    framework: str = typer.Option(..., "--framework", help="Framework id (or a YAML file)."),
    answers: Path = typer.Option(..., "--answers", help='JSON: {"framework", "answers"}.'),
    profile: str | None = typer.Option(None, "--profile", help="Sector profile id (or YAML)."),
    output: OutputFormat = typer.Option(OutputFormat.json, "--format", help="json or table."),
) -> None:
    """Score one answers file: scores, level, completeness and the improvement plan."""
    loaded_framework, loaded_profile = _load(framework, profile)
    assert loaded_framework is not None
    if loaded_profile is not None and loaded_framework.id not in {
        f.id for f in loaded_profile.frameworks
    }:
        _fail(f"error: profile {loaded_profile.id} does not include {loaded_framework.id}")
    values = _read_answers(answers, loaded_framework)
    try:
        card = score(loaded_framework, values, loaded_profile)
    except InvalidAnswers as exc:
        lines = [f"{answers}: answers.{p.question}: {p.message} [{p.code}]" for p in exc.problems]
        _fail("\n".join([*lines, f"{len(lines)} invalid answer(s); nothing was scored."]))
    passport = build({card.framework: card}, loaded_profile)
    result = {
        "framework": card.framework,
        "framework_version": card.framework_version,
        "profile": card.profile,
        "overall": _number(card.overall),
        "level": passport.level,
        "capped": passport.capped,
        "completeness": card.completeness,
        "required_open": card.required_open,
        "efqm_points": card.efqm_points,
        "sections": {sid: {"score": s.score} for sid, s in card.sections.items()},
        "topics": {
            tid: {"score": t.score, "materiality": t.materiality} for tid, t in card.topics.items()
        },
        "questions": {
            qid: {"points": q.points, "max": q.max, "status": q.status}
            for qid, q in card.questions.items()
        },
        "improvement_plan": [
            {"question": step.question, "gain": step.gain} for step in passport.improvement_plan
        ],
    }
    if output == OutputFormat.json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    typer.echo(_score_table(result))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"  # "-": geen score / no score (S4)


def _score_table(result: dict[str, Any]) -> str:
    lines = [
        f"Kader / framework: {result['framework']} {result['framework_version']}"
        + (f"  profiel / profile: {result['profile']}" if result["profile"] else ""),
        f"Totaalscore / overall: {_fmt(result['overall'])}   niveau / level: {result['level']}"
        + (" (begrensd / capped)" if result["capped"] else ""),
        f"Volledigheid / completeness: {100 * result['completeness']:.1f}%",
    ]
    if result["efqm_points"] is not None:
        lines.append(f"EFQM-punten / points: {result['efqm_points']:.1f}")
    if result["required_open"]:
        lines.append("Verplicht open / required open: " + ", ".join(result["required_open"]))
    lines.append("")
    lines.append(f"{'Onderdeel / section':<40} {'score':>8}")
    for sid, section in result["sections"].items():
        lines.append(f"{sid:<40} {_fmt(section['score']):>8}")
    lines.append("")
    lines.append(f"{'Thema / topic':<40} {'score':>8} {'materialiteit':>14}")
    for tid, topic in result["topics"].items():
        lines.append(f"{tid:<40} {_fmt(topic['score']):>8} {topic['materiality']:>14}")
    lines.append("")
    lines.append(f"{'Verbeterplan / improvement plan':<40} {'winst / gain':>14}")
    for step in result["improvement_plan"][:10]:
        lines.append(f"{step['question']:<40} {step['gain']:>14.2f}")
    return "\n".join(lines)


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the ``mvo`` application."""
    cli.command("score")(score_command)
