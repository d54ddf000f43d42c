"""A throwaway PostgreSQL cluster for the store and services tests (one per test process).

Started on first use with Debian's ``initdb`` and ``pg_ctl`` on a free loopback port, its data
and socket in a temporary folder, and stopped when the process exits. ``initdb`` refuses to run
as root, so as root the cluster runs as the ``postgres`` system user. Each test gets a fresh
database cloned from a template that already has the migrations applied.

Where the binaries are missing the PostgreSQL tests are skipped, except under ``CI=true``
where they fail: CI must never pass without having tested PostgreSQL.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEMPLATE = "mvo_template"


def _bin_dir() -> Path | None:
    override = os.environ.get("MVO_PG_BIN")
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"))[::-1]
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One running cluster: ``url(db)`` gives a SQLAlchemy URL of one of its databases."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="mvo-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._shared_made = False
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o700)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        atexit.register(self.stop)
        self._make_template()

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin_dir / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {result.stdout}\n{result.stderr}\n{tail}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql)

    def _make_template(self) -> None:
        from app.store.db import ensure_schema, make_engine

        self._admin(f"CREATE DATABASE {TEMPLATE}")
        engine = make_engine(self.url(TEMPLATE))
        try:
            ensure_schema(engine)
        finally:
            engine.dispose()

    def new_database(self) -> str:
        """A fresh database with the schema, cloned from the migrated template; its URL."""
        with self._lock:
            name = f"t{os.getpid()}_{next(self._counter)}"
            self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def clean_database(self) -> str:
        """The shared test database, emptied (tables truncated, ids restarted); its URL.

        Cheaper than a database per test (CREATE DATABASE costs a checkpoint)."""
        import psycopg

        with self._lock:
            if not self._shared_made:
                self._admin(f"CREATE DATABASE mvo_tests TEMPLATE {TEMPLATE}")
                self._shared_made = True
            with psycopg.connect(
                host="127.0.0.1",
                port=self.port,
                user="postgres",
                dbname="mvo_tests",
                autocommit=True,
            ) as connection:
                tables = [
                    r[0]
                    for r in connection.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename <> 'alembic_version'"
                    )
                ]
                connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        return self.url("mvo_tests")

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        try:
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except Exception:  # noqa: BLE001 - cleanup must not hide the test's own result
            pass

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                (["runuser", "-u", "postgres", "--"] if self.as_postgres else [])
                + [
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
                cwd="/",
            )
        shutil.rmtree(self.root, ignore_errors=True)


_cluster: Cluster | None = None
_cluster_lock = threading.Lock()


def cluster() -> Cluster:
    """The process's cluster, started on first use; skips (fails under CI) without PostgreSQL."""
    global _cluster
    with _cluster_lock:
        if _cluster is None:
            bin_dir = _bin_dir()
            if bin_dir is None:
                reason = "PostgreSQL binaries (initdb, pg_ctl) not found"
                if IN_CI:
                    pytest.fail(f"{reason}: CI must test PostgreSQL (install 'postgresql')")
                pytest.skip(reason)
            try:
                import psycopg  # noqa: F401
            except ImportError:
                if IN_CI:
                    pytest.fail("psycopg is not installed: CI must test PostgreSQL")
                pytest.skip("psycopg is not installed")
            _cluster = Cluster(bin_dir)
        return _cluster


_sqlite_template_path: Path | None = None


def _sqlite_template() -> Path:
    """A migrated SQLite file, copied for each test (cheaper than migrating each time)."""
    global _sqlite_template_path
    if _sqlite_template_path is None:
        from app.store.db import ensure_schema, make_engine

        folder = Path(tempfile.mkdtemp(prefix="mvo-sqlite-"))
        path = folder / "template.sqlite"
        engine = make_engine(f"sqlite:///{path}")
        ensure_schema(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        atexit.register(shutil.rmtree, folder, True)
        _sqlite_template_path = path
    return _sqlite_template_path


def database_urls(tmp_path: Path, backend: str) -> tuple[str, object]:
    """(URL, cleanup) of an empty, migrated database of ``backend`` for one test."""
    if backend == "sqlite":
        target = tmp_path / "mvo.sqlite"
        shutil.copyfile(_sqlite_template(), target)
        return f"sqlite:///{target}", lambda: None
    return cluster().clean_database(), lambda: None


# --------------------------------------------------------------------------- fixtures
# Imported by tests/store/conftest.py and tests/services/conftest.py.
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def catalogue():
    """The example framework and sector profile (every question type, a sector section)."""
    from frameworks.loader import load_catalogue

    loaded = load_catalogue(
        [FIXTURES / "example_framework.yaml", FIXTURES / "example_profile.yaml"]
    )
    assert loaded.frameworks and loaded.profiles, loaded.report
    return loaded


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """Each store/services test runs on SQLite and on PostgreSQL."""
    return request.param


@pytest.fixture()
def db_url(backend, tmp_path):
    url, cleanup = database_urls(tmp_path, backend)
    yield url
    cleanup()


@pytest.fixture()
def store(db_url, catalogue):
    """A migrated, empty database of the test's backend with the example catalogue."""
    from app.store import Store

    opened = Store(db_url, catalogue=catalogue)
    yield opened
    opened.dispose()


@pytest.fixture(autouse=True)
def cheap_password_hashing():
    """argon2 with small parameters: the tests check behaviour, not hashing cost."""
    from argon2 import PasswordHasher

    from app.services import auth

    previous = auth._hasher
    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    auth.use_hasher(previous)
