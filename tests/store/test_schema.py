"""The database: migrations applied on start and idempotent, SQLite settings, clear messages for
a read-only or locked SQLite file, and text kept exactly (any Unicode and markup)."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from sqlalchemy import select, text

from app.services import organisations
from app.services.principal import SYSTEM
from app.store import Store, StoreError, ensure_schema
from app.store.db import current_revision, database_url, head_revision, table_names
from app.store.models import OrganisationRow

TABLES = {
    "organisations",
    "users",
    "assessments",
    "answers",
    "score_snapshots",
    "audit_log",
    "evidence_files",
    "alembic_version",
}


def test_migrations_should_create_every_table_at_the_head_revision(store):
    assert TABLES <= set(table_names(store.engine))
    assert current_revision(store.engine) == head_revision()


def test_ensure_schema_should_do_nothing_the_second_time(store):
    assert ensure_schema(store.engine) is False
    assert current_revision(store.engine) == head_revision()


def test_default_database_should_be_the_sqlite_file_under_var(monkeypatch):
    monkeypatch.delenv("MVO_DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///var/mvo.sqlite"
    monkeypatch.setenv("MVO_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"


def test_sqlite_should_use_wal_foreign_keys_and_a_busy_timeout(tmp_path, catalogue):
    store = Store(f"sqlite:///{tmp_path / 'x.sqlite'}", catalogue=catalogue)
    with store.read() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    store.dispose()


def test_foreign_keys_should_be_enforced(store):
    from sqlalchemy.exc import IntegrityError

    from app.store.models import AssessmentRow

    with pytest.raises(IntegrityError), store.write() as session:
        session.add(
            AssessmentRow(
                organisation_id=999, framework="example", framework_version="1.0", year=2025
            )
        )


@pytest.mark.parametrize(
    "name",
    [
        "Bakkerij Ŝtrūdel & Zonen <bv>",
        "'; DROP TABLE organisations; --",
        'Café "Œuvre" 🍺',
        "<script>alert(1)</script> & &amp;",
        "Zeeuws-Vlaams\u200b bedrijf\ttab\nnewline",
        "日本語の会社",
        "  spaties rond  ",
    ],
)
def test_text_should_be_kept_exactly(store, name):
    org = organisations.register_organisation(
        store, SYSTEM, kbo="0403019261", name=name, profile="example_sector"
    )
    with store.read() as session:
        stored = session.scalar(select(OrganisationRow.name).where(OrganisationRow.id == org.id))
    assert stored == name


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_sqlite_file_should_give_a_clear_message(tmp_path, catalogue):
    _read_only_check(tmp_path, catalogue)


def test_read_only_sqlite_database_should_give_a_clear_message(tmp_path, catalogue):
    """Opened read-only (as root cannot be stopped by file modes, SQLite's own read-only
    mode stands in for a read-only file)."""
    path = tmp_path / "ro.sqlite"
    Store(f"sqlite:///{path}", catalogue=catalogue).dispose()
    store = Store(f"sqlite:///file:{path}?mode=ro&uri=true", catalogue=catalogue)
    with pytest.raises(StoreError) as caught:
        organisations.register_organisation(store, SYSTEM, kbo="0403019261", name="X")
    assert "read-only" in str(caught.value) and "alleen-lezen" in str(caught.value)
    store.dispose()


def _read_only_check(tmp_path, catalogue):
    path = tmp_path / "ro.sqlite"
    Store(f"sqlite:///{path}", catalogue=catalogue).dispose()
    for leftover in tmp_path.glob("ro.sqlite-*"):
        leftover.unlink()
    path.chmod(stat.S_IRUSR)
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        store = Store(f"sqlite:///{path}", catalogue=catalogue, migrate=False)
        with pytest.raises(StoreError) as caught:
            organisations.register_organisation(store, SYSTEM, kbo="0403019261", name="X")
        assert "read-only" in str(caught.value) or "Cannot open" in str(caught.value)
    finally:
        tmp_path.chmod(stat.S_IRWXU)
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_locked_sqlite_file_should_give_a_clear_message(tmp_path, catalogue, monkeypatch):
    path = tmp_path / "locked.sqlite"
    import app.store.db as db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    store = Store(f"sqlite:///{path}", catalogue=catalogue)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as caught:
            organisations.register_organisation(store, SYSTEM, kbo="0403019261", name="X")
        message = str(caught.value)
        assert "locked" in message and "vergrendeld" in message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store.dispose()


def test_store_should_reach_the_database_it_was_given(store, backend):
    with store.read() as session:
        assert session.execute(text("SELECT 1")).scalar() == 1
    assert store.engine.dialect.name == ("sqlite" if backend == "sqlite" else "postgresql")


def test_migration_should_downgrade_to_nothing_and_upgrade_again(db_url, backend, catalogue):
    from alembic import command

    from app.store.db import alembic_config, make_engine

    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection=connection), "base")
        assert set(table_names(engine)) <= {"alembic_version"}
        assert ensure_schema(engine) is True
        assert TABLES <= set(table_names(engine))
    finally:
        engine.dispose()
