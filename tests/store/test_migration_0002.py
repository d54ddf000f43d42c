"""Migration 0002: the ``sessions`` table and ``users.language`` are added to a database at 0001
without touching its rows, and removed again by the downgrade (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select

from app.services import auth
from app.services.principal import SYSTEM
from app.store.db import alembic_config, current_revision, head_revision
from app.store.models import UserRow


def _columns(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def _migrate(engine, target: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(connection=connection)
        (command.downgrade if down else command.upgrade)(config, target)


def test_head_should_have_the_sessions_table_and_the_users_language(store):
    assert head_revision() == current_revision(store.engine)
    tables = set(inspect(store.engine).get_table_names())
    assert "sessions" in tables
    assert {
        "token_hash",
        "user_id",
        "created_at",
        "last_seen_at",
        "expires_at",
        "revoked_at",
    } <= _columns(store.engine, "sessions")
    assert "language" in _columns(store.engine, "users")
    unique = inspect(store.engine).get_unique_constraints("sessions")
    assert any(u["column_names"] == ["token_hash"] for u in unique)


def test_upgrade_from_0001_should_keep_existing_users_with_no_language(store):
    user = auth.create_user(store, SYSTEM, "ann@example.be", "department", password="lang-genoeg")
    try:
        _migrate(store.engine, "0001", down=True)
        assert current_revision(store.engine) == "0001"
        assert "sessions" not in inspect(store.engine).get_table_names()
        assert "language" not in _columns(store.engine, "users")
    finally:
        _migrate(store.engine, "head")
    assert current_revision(store.engine) == head_revision()
    with store.read() as session:
        row = session.scalar(select(UserRow).where(UserRow.id == user.id))
    assert row.email == "ann@example.be" and row.language is None
    assert auth.authenticate(store, "ann@example.be", "lang-genoeg").user_id == user.id
    token = auth.create_session(store, user.id)
    assert auth.resolve_session(store, token).user_id == user.id
