"""Fixtures: a migrated database per test, parametrised over SQLite and PostgreSQL."""

try:  # tests/ is a package in this checkout; stay importable if it is not
    from tests.pg_cluster import backend, catalogue, cheap_password_hashing, db_url, store
except ImportError:  # pragma: no cover
    from pg_cluster import backend, catalogue, cheap_password_hashing, db_url, store

__all__ = ["backend", "catalogue", "cheap_password_hashing", "db_url", "store"]
