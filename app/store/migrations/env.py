"""Alembic environment of MVO-paspoort.

The database is the connection handed over by ``app.store.db.ensure_schema`` (in-process), or
else ``sqlalchemy.url`` of the programmatic config, or ``MVO_DATABASE_URL``, or the default
SQLite file. Batch mode is on so that later migrations can alter tables on SQLite too.
"""

from __future__ import annotations

from alembic import context

from app.store.db import database_url, make_engine
from app.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
