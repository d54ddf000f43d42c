"""Engine, sessions and schema migrations: the one place that knows which database is used.

``MVO_DATABASE_URL`` selects the database (``postgresql+psycopg://...`` in production); the
default is the SQLite file ``var/mvo.sqlite`` with WAL journaling, foreign keys on and a busy
timeout. A ``Store`` bundles the engine, the session factory and the loaded catalogue of
frameworks and sector profiles; the Streamlit app keeps one per process
(``st.cache_resource``), the CLI makes one per command, tests make one per database.

Writes on SQLite start with ``BEGIN IMMEDIATE`` so that two writers queue on the busy timeout
instead of failing when a read transaction tries to upgrade to a write.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_SQLITE_PATH = Path("var") / "mvo.sqlite"
BUSY_TIMEOUT_MS = 10_000
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """The database cannot be used (locked, read-only, unreachable): the message says why."""


def database_url() -> str:
    """``MVO_DATABASE_URL`` or the default SQLite file under ``var/``."""
    url = os.environ.get("MVO_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: ``database_url()``), SQLite pragmas set per connection."""
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:" and not path.startswith("file:"):
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"De map van de database {path} kan niet gemaakt worden ({error.strerror})."
                    f" / Cannot create the folder of the database {path} ({error.strerror})."
                ) from error
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # The driver's own transaction handling is off; "begin" below emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # a read-only file keeps its journal mode; writes will say so clearly
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def explain_operational_error(error: OperationalError, url: str) -> StoreError:
    """A clear message for the usual SQLite/PostgreSQL failures (locked, read-only, down)."""
    text = str(error.orig) if error.orig is not None else str(error)
    lowered = text.lower()
    where = _safe_url(url)
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(
            f"De database {where} is alleen-lezen: schrijven is niet mogelijk. Controleer de "
            f"bestandsrechten van het bestand en zijn map. / The database {where} is read-only: "
            "check the permissions of the file and its folder."
        )
    if "locked" in lowered or "busy" in lowered:
        return StoreError(
            f"De database {where} is vergrendeld door een ander proces (na "
            f"{BUSY_TIMEOUT_MS // 1000} s wachten). Probeer opnieuw of sluit het andere "
            f"programma. / The database {where} is locked by another process; try again."
        )
    if "unable to open" in lowered:
        return StoreError(
            f"De database {where} kan niet geopend worden: bestaat de map en mag ze beschreven "
            f"worden? / Cannot open the database {where}: does the folder exist and is it "
            "writable?"
        )
    return StoreError(f"Databasefout / database error ({where}): {text}")


def _safe_url(url: str) -> str:
    """The URL without its password (for messages)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a message helper must never fail
        return "(database)"


class Store:
    """The database (engine + sessions) and the catalogue of frameworks the services use.

    ``catalogue`` is any object with ``frameworks`` and ``profiles`` dicts (what
    ``frameworks.loader.load_catalogue()`` returns); when omitted it is loaded on first use.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        catalogue: Any = None,
        engine: Engine | None = None,
        migrate: bool = True,
    ) -> None:
        self.url = url or database_url()
        self.engine = engine or make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_engine = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.is_sqlite
            else self.engine
        )
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        self._catalogue = catalogue
        if migrate:
            ensure_schema(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def catalogue(self) -> Any:
        """Frameworks and sector profiles (loaded once)."""
        if self._catalogue is None:
            from app.services.catalogue import load_default_catalogue

            self._catalogue = load_default_catalogue()
        return self._catalogue

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; closing it ends its transaction (objects stay loaded)."""
        with self._guard(), self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error."""
        with self._guard(), self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in one write transaction (the hot path of saving an answer)."""
        with self._guard(), self._write_engine.begin() as connection:
            yield connection

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as error:
            raise explain_operational_error(error, self.url) from error

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(connection: Any = None, url: str | None = None) -> Any:
    """Alembic's configuration built in code (no alembic.ini), so it works from an install."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine) -> bool:
    """Bring the schema to the newest migration; a no-op when it is there. True if it migrated.

    Safe to call from every process start: on PostgreSQL an advisory lock keeps two replicas
    from migrating at the same time.
    """
    url = engine.url.render_as_string(hide_password=False)
    try:
        if current_revision(engine) == head_revision():
            return False
        from alembic import command

        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
            command.upgrade(alembic_config(connection=connection), "head")
        return True
    except OperationalError as error:
        raise explain_operational_error(error, url) from error


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
