"""Start the app as ``make run`` does, for the browser test and the app benchmark.

``demo_environment`` gives the environment of a fresh demo database (migrated and seeded with
``mvo db upgrade`` + ``mvo demo``, as ``make run`` does on first start); ``serve`` runs
``streamlit run app/server.py`` on a free loopback port until its health check answers and stops
it afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _this_checkout(env: dict[str, str]) -> dict[str, str]:
    """``env`` with this checkout's code first on ``PYTHONPATH`` (the venv may hold an
    editable install of another checkout, e.g. a git worktree's main)."""
    paths = [str(ROOT), *filter(None, [env.get("PYTHONPATH")])]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}


def demo_environment(folder: Path) -> dict[str, str]:
    """The environment of a fresh demo database in ``folder`` (migrated and seeded)."""
    env = _this_checkout({**os.environ, "MVO_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}"})
    env.pop("MVO_FRAMEWORKS_DIR", None)
    for args in (("db", "upgrade"), ("demo",)):
        done = subprocess.run(
            [str(BIN / "mvo"), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"mvo {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return env


@dataclass(frozen=True)
class ServedApp:
    base: str
    health_seconds: float
    process: subprocess.Popen
    #: The server's output (stdout and stderr), written to a file: a pipe nobody reads fills
    #: up under load and blocks the server on its next log line.
    log: Path

    def log_tail(self, size: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-size:]


def streamlit_command(port: int) -> list[str]:
    """How the app is served on 127.0.0.1:``port`` (headless, no file watcher, no usage
    statistics): the development server, the benchmarks and every replica of the cluster."""
    return [
        str(BIN / "streamlit"),
        "run",
        "app/server.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


@contextmanager
def serve(env: dict[str, str], timeout: float = 60) -> Iterator[ServedApp]:
    """``streamlit run app/server.py`` (headless, 127.0.0.1, a free port) until it answers its
    health check; yields where it runs and how long the health check took. Its output goes to
    a temporary log file (``ServedApp.log``), removed afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = _this_checkout(env)
    handle, name = tempfile.mkstemp(prefix="mvo-streamlit-", suffix=".log")
    log = Path(name)
    started = time.perf_counter()
    with open(handle, "wb") as output:
        process = subprocess.Popen(
            streamlit_command(port),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    served = ServedApp(base, 0.0, process, log)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {served.log_tail()}")
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"streamlit did not answer its health check in {timeout} s")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
        yield ServedApp(base, time.perf_counter() - started, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)
