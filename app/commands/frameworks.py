"""``mvo validate`` and ``mvo catalogue``: check framework files, print the questionnaire.

``validate`` prints one line per problem (``PATH:LINE: CODE message``), a summary, and exits 1
on any error. ``catalogue`` prints the normalised questionnaire as JSON (for tools and tests)
or Markdown (for reviewers); ``render-docs`` writes the Markdown of every shipped framework.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from frameworks.catalogue import catalogue_dict, catalogue_markdown
from frameworks.compose import effective_framework
from frameworks.loader import load_catalogue, shipped_paths
from frameworks.problems import ProblemCode
from frameworks.support_schemes import SCHEMES_FILE, read_support_schemes


class CatalogueFormat(StrEnum):
    json = "json"
    md = "md"


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(path.rglob("*.yaml")) + sorted(path.rglob("*.yml"))
        else:
            out.append(path)
    return out


def validate(
    paths: list[Path] = typer.Argument(None, help="Files or folders; default: every shipped one."),
) -> None:
    """Check frameworks and sector profiles; every problem with file:line, exit 1 on errors."""
    given = _expand(paths or [])
    # the support schemes file has its own model (frameworks/support_schemes.py)
    schemes = [p for p in given if p.name == SCHEMES_FILE.name] if given else [SCHEMES_FILE]
    given = [p for p in given if p.name != SCHEMES_FILE.name]
    if not given and paths:
        catalogue, problems, checked = None, [], 0
    elif given:
        wanted = {p.resolve() for p in given}
        context = [p for p in shipped_paths() if p.resolve() not in wanted]
        catalogue = load_catalogue([*context, *given])
        shown = {str(p) for p in given}
        problems = [
            p
            for p in catalogue.report.problems
            if p.file in shown and p.code != ProblemCode.DUPLICATE_FILE_ID
        ]
        checked = len(given)
    else:
        catalogue = load_catalogue()
        problems = list(catalogue.report.problems)
        checked = len(catalogue.files)
    for path in schemes:
        problems += read_support_schemes(path)[1].problems
        checked += 1
    for problem in problems:
        typer.echo(problem.format())
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    typer.echo(f"checked {checked} file(s): {errors} error(s), {warnings} warning(s)")
    raise typer.Exit(1 if errors else 0)


def catalogue(
    framework: str = typer.Option(..., "--framework", help="Framework id, e.g. iso26000."),
    profile: str | None = typer.Option(None, "--profile", help="Add this profile's questions."),
    version: str | None = typer.Option(
        None, "--version", help="An earlier version of the framework and profile, e.g. 1.0."
    ),
    format: CatalogueFormat = typer.Option(CatalogueFormat.json, "--format"),
    language: str = typer.Option("en", "--language", help="nl or en"),
) -> None:
    """Print the normalised questionnaire of a framework (JSON for tools, Markdown to review)."""
    cat = load_catalogue()
    try:
        model = cat.framework(framework, version)
        if profile:
            # a profile version goes with the framework version it was published with
            known = cat.versions("profile", profile)
            model = effective_framework(
                model, cat.profile(profile, version if version in known else None)
            )
    except KeyError as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(1) from None
    if format == CatalogueFormat.json:
        typer.echo(json.dumps(catalogue_dict(model, language), ensure_ascii=False, indent=2))
    else:
        typer.echo(catalogue_markdown(model, language), nl=False)


def render_docs(
    out: Path = typer.Argument(Path("docs/frameworks")),
    language: str = typer.Option("nl", "--language"),
) -> None:
    """Write ``<id>.md`` for every shipped framework into OUT."""
    cat = load_catalogue()
    out.mkdir(parents=True, exist_ok=True)
    for framework in cat.frameworks.values():
        target = out / f"{framework.id}.md"
        target.write_text(catalogue_markdown(framework, language), encoding="utf-8")
        typer.echo(f"wrote {target}")


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the ``mvo`` application."""
    cli.command("validate")(validate)
    cli.command("catalogue")(catalogue)
    cli.command("render-docs", hidden=True)(render_docs)


if __name__ == "__main__":  # `python -m app.commands.frameworks render-docs DIR`
    standalone = typer.Typer(add_completion=False)
    register(standalone)
    standalone()
