"""Migration 0006: the ``actions`` and ``tackle_flags`` tables match ``app/store/models.py``
(no difference Alembic's autogenerate would find), and the downgrade removes them without
touching organisations (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.services import actions
from app.store.db import alembic_config, current_revision, head_revision
from app.store.models import Base
from tests.services.helpers import organisation

TABLES = {"actions", "tackle_flags"}


def _migrate(engine, target: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(connection=connection)
        (command.downgrade if down else command.upgrade)(config, target)


def _touches_new_tables(diff) -> bool:
    """Whether one autogenerate difference concerns the tables of this migration."""
    if isinstance(diff, list):
        return any(_touches_new_tables(d) for d in diff)
    for part in diff[1:]:
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if name in TABLES or getattr(table, "name", None) in TABLES or part in TABLES:
            return True
    return False


def test_head_should_hold_the_tables_exactly_as_the_models_declare_them(store):
    assert current_revision(store.engine) == head_revision()
    assert TABLES <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if _touches_new_tables(d)] == []
    columns = {c["name"] for c in inspect(store.engine).get_columns("actions")}
    assert {"organisation_id", "year", "question_id", "owner", "deadline", "status"} <= columns
    assert {"cost_cents", "scheme", "created_by", "updated_by", "done_year"} <= columns


def test_downgrade_and_upgrade_should_keep_organisations(store):
    org, sme = organisation(store, 1)
    actions.create_action(
        store, sme, org.id, year=2025, title="Plan", owner="An", deadline=date(2025, 9, 1)
    )
    try:
        _migrate(store.engine, "0005", down=True)
        assert not TABLES & set(inspect(store.engine).get_table_names())
    finally:
        _migrate(store.engine, "head")
    assert current_revision(store.engine) == head_revision()
    assert actions.list_actions(store, sme, org.id, 2025) == []
    made = actions.create_action(
        store, sme, org.id, year=2025, title="Opnieuw", owner="An", deadline=date(2025, 9, 1)
    )
    assert [a.id for a in actions.list_actions(store, sme, org.id, 2025)] == [made.id]
