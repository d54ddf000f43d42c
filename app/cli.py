"""The ``mvo`` command line: one typer application, with commands grouped by package.

Each module under ``app.commands`` registers its own commands, so the framework, scoring,
store and export commands live beside the services they call.
"""

from __future__ import annotations

import typer

from app.commands import exporting, frameworks, scoring, store

cli = typer.Typer(
    name="mvo",
    help="MVO-paspoort: CSR self-assessment, sector passports and benchmarks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (frameworks, scoring, store, exporting):
    module.register(cli)


def main() -> None:
    """Entry point of the ``mvo`` console script."""
    cli()


if __name__ == "__main__":
    main()
