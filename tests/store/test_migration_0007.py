"""Migration 0007: the ``sector_statistics`` table and ``score_snapshots.figures_json`` are
added without touching existing rows, and removed again by the downgrade (SQLite and
PostgreSQL)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from app.services import auth
from app.services.principal import SYSTEM
from app.store.db import alembic_config, current_revision, head_revision


def _migrate(engine, target: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(connection=connection)
        (command.downgrade if down else command.upgrade)(config, target)


def _columns(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_head_should_have_the_statistics_table_and_the_figures_column(store):
    assert current_revision(store.engine) == head_revision()
    assert {"key", "profile", "figures_json", "computed_at"} <= _columns(
        store.engine, "sector_statistics"
    )
    assert "figures_json" in _columns(store.engine, "score_snapshots")


def test_downgrade_and_upgrade_should_keep_existing_rows(store):
    user = auth.create_user(store, SYSTEM, "ann@example.be", "department", password="lang-genoeg")
    try:
        _migrate(store.engine, "0006", down=True)
        assert "sector_statistics" not in set(inspect(store.engine).get_table_names())
        assert "figures_json" not in _columns(store.engine, "score_snapshots")
        assert auth.get_principal(store, user.id).email == "ann@example.be"
    finally:
        _migrate(store.engine, "head")
    assert current_revision(store.engine) == head_revision()
    assert "figures_json" in _columns(store.engine, "score_snapshots")
