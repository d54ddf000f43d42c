"""Migration 0004: the ``organisation_claims`` and ``signin_tickets`` tables are added without
touching existing rows, and removed again by the downgrade (SQLite and PostgreSQL)."""

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


def test_head_should_have_the_claims_and_ticket_tables(store):
    assert current_revision(store.engine) == head_revision()
    assert {"organisation_id", "user_id", "status", "decided_at", "decided_by"} <= _columns(
        store.engine, "organisation_claims"
    )
    assert {"ticket_hash", "browser_hash", "user_id", "expires_at", "used_at"} <= _columns(
        store.engine, "signin_tickets"
    )
    unique = inspect(store.engine).get_unique_constraints("signin_tickets")
    assert any(u["column_names"] == ["ticket_hash"] for u in unique)


def test_downgrade_and_upgrade_should_keep_users_and_sessions(store):
    user = auth.create_user(store, SYSTEM, "ann@example.be", "department", password="lang-genoeg")
    token = auth.create_session(store, user.id)
    try:
        _migrate(store.engine, "0004", down=False)
        _migrate(store.engine, "0003", down=True)
        tables = set(inspect(store.engine).get_table_names())
        assert "organisation_claims" not in tables and "signin_tickets" not in tables
        assert auth.resolve_session(store, token).user_id == user.id
    finally:
        _migrate(store.engine, "head")
    assert current_revision(store.engine) == head_revision()
    principal = auth.get_principal(store, user.id)
    ticket = auth.issue_signin_ticket(store, principal, "browser")
    assert auth.resolve_session(store, auth.redeem_signin_ticket(store, ticket, "browser"))
