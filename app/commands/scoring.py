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
    fte: float | None = typer.Option(
        None, "--fte", help="The organisation's FTE (0 hides the questions about employees)."
    ),
) -> None:
    """Score one answers file: scores, level, completeness, red flags and the improvement
    plan."""
    loaded_framework, loaded_profile = _load(framework, profile)
    assert loaded_framework is not None
    if loaded_profile is not None and loaded_framework.id not in {
        f.id for f in loaded_profile.frameworks
    }:
        _fail(f"error: profile {loaded_profile.id} does not include {loaded_framework.id}")
    values = _read_answers(answers, loaded_framework)
    try:
        card = score(loaded_framework, values, loaded_profile, employees=fte)
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
        "answered": card.answered,
        "dont_know": card.dont_know,
        "open": card.open,
        "required_open": card.required_open,
        "red_flags": [
            {"question": f.question, "caps_at": f.caps_at, "law": f.law, "source": f.source}
            for f in passport.red_flags
        ],
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
    if result["dont_know"]:
        lines.append(f"Weet niet / don't know: {result['dont_know']}")
    if result["required_open"]:
        lines.append("Verplicht open / required open: " + ", ".join(result["required_open"]))
    for flag in result["red_flags"]:
        lines.append(f"Rode vlag / red flag {flag['question']}: {flag['law'].get('nl', '')}")
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


REQUIRED_SCORE_COLUMNS = ("assessment", "profile", "year", "framework_version", "overall")


def _read_scores(path: Path):
    """A scores table from CSV, JSON (a list of records, or {"scores": [...]}) or XLSX."""
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            table = pd.read_csv(path)
        elif suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                data = data.get("scores")
            if not isinstance(data, list):
                _fail(f'{path}: expected a list of score records or {{"scores": [...]}}')
            table = pd.DataFrame.from_records(data)
        elif suffix in (".xlsx", ".xlsm"):
            table = pd.read_excel(path)
        else:
            _fail(f"{path}: unknown file type {suffix!r}; use .csv, .json or .xlsx")
    except FileNotFoundError:
        _fail(f"error: cannot read {path}: no such file")
    except json.JSONDecodeError as exc:
        _fail(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}")
    except (ValueError, OSError) as exc:
        _fail(f"{path}: cannot read the scores table: {exc}")
    missing = [c for c in REQUIRED_SCORE_COLUMNS if c not in table.columns]
    if "size_class" not in table.columns and "fte" not in table.columns:
        missing.append("size_class or fte")
    if missing:
        _fail(f"{path}: missing column(s): {', '.join(missing)}")
    table["framework_version"] = table["framework_version"].astype(str)
    return table


def benchmark_command(
    profile: str = typer.Option(..., "--profile", help="Sector profile id (or YAML)."),
    year: int = typer.Option(..., "--year", help="Assessment year."),
    scores: Path = typer.Option(..., "--scores", help="Scores table: CSV, JSON or XLSX."),
    size_class: str | None = typer.Option(None, "--size-class", help="micro/small/medium/large"),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="json or table."),
) -> None:
    """The sector benchmark of one profile and year (S9, S10: names only with consent)."""
    from scoring.benchmark import federation_view

    _, loaded_profile = _load(None, profile)
    assert loaded_profile is not None
    table = _read_scores(scores)
    view = federation_view(
        table, profile=loaded_profile.id, year=year, k=loaded_profile.k, size_class=size_class
    )
    if output == OutputFormat.json:
        typer.echo(json.dumps(view.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    lines = [
        f"Sectorbenchmark / sector benchmark: {view.profile} {view.year}"
        + (f" ({view.size_class})" if view.size_class else ""),
        f"Ingediend / submitted: {'< k' if view.submitted is None else view.submitted}   "
        f"concept / drafts: {view.drafts}   k = {view.k}",
    ]
    if not view.shown:
        lines.append(
            f"Te weinig deelnemers / too few participants (< {view.k}): geen benchmark / "
            "no benchmark."
        )
        typer.echo("\n".join(lines))
        return
    header = f"{'':<32} {'n':>5} {'gem./mean':>10} {'p25':>7} {'mediaan':>8} {'p75':>7}"
    lines += ["", header]

    def row(name: str, dist) -> str:
        return (
            f"{name:<32} {dist.n:>5} {dist.mean:>10.1f} {dist.p25:>7.1f} {dist.median:>8.1f} "
            f"{dist.p75:>7.1f}"
        )

    if view.overall is not None:
        lines.append(row("totaal / overall", view.overall))
    for size, dist in view.by_size_class.items():
        lines.append(row(f"  {size}", dist))
    for kind, dists in (("section", view.sections), ("topic", view.topics), ("kpi", view.kpis)):
        for key, dist in dists.items():
            lines.append(row(f"{kind}:{key}", dist))
    lines += ["", f"Leden met toestemming / consenting members ({len(view.members)}):"]
    for member in view.members:  # S10: level and quartile band, never an exact score
        band = member.band or "-"
        lines.append(
            f"  {member.organisation or member.assessment:<40} {band:<12} {member.level or '-'}"
        )
    lines.append(f"Anoniem / anonymous (only in the aggregates): {view.anonymous}")
    typer.echo("\n".join(lines))


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the ``mvo`` application."""
    cli.command("score")(score_command)
    cli.command("benchmark")(benchmark_command)
