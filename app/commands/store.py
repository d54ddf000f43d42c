"""``mvo`` commands for the store part of the product (registered by ``app.cli``)."""

from __future__ import annotations

import typer


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the ``mvo`` application."""
