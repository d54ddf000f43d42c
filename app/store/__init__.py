"""The database of MVO-paspoort: tables, engine and sessions, Alembic migrations.

``Store`` is the handle the services take; ``ensure_schema`` applies the migrations (called on
every start, idempotent); ``mvo db upgrade`` does the same from the command line.
"""

from app.store.db import Store, StoreError, database_url, ensure_schema, make_engine

__all__ = ["Store", "StoreError", "database_url", "ensure_schema", "make_engine"]
