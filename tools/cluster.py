"""Start MVO-paspoort past one machine, locally on 127.0.0.1: one PostgreSQL, two app replicas
behind nginx with sticky sessions, and a Dask scheduler with two workers for batch exports.

    python tools/cluster.py start [--dir var/cluster] [--port 8080] [--no-demo]
    python tools/cluster.py status [--dir var/cluster]
    python tools/cluster.py stop [--dir var/cluster]

``start`` initialises a PostgreSQL cluster (``initdb``; as the ``postgres`` user when run as
root, since ``initdb`` refuses root), applies the migrations and seeds the demo data (``mvo db
upgrade``, ``mvo demo --if-empty``), starts two ``streamlit run app/server.py`` replicas with the
same ``MVO_DATABASE_URL``, ``MVO_SECRET`` and Streamlit cookie secret, nginx (Debian's
``/usr/sbin/nginx``) from ``deploy/nginx.conf.template``, ``dask scheduler`` and two ``dask
worker`` processes, writes where everything runs to ``DIR/cluster.json`` and prints it. The
production deployment (``deploy/compose.yaml``) runs the same pieces with the same
configuration. ``stop`` tears everything down (the PostgreSQL data stays in ``DIR/pg`` for the
next start unless ``--wipe``).

The CI test (``tests/cluster/test_cluster.py``) drives the same ``LocalCluster`` class.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from app.devserver import free_port, streamlit_command  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = Path(os.environ.get("MVO_NGINX", "/usr/sbin/nginx"))
DATABASE = "mvo"
REPLICAS = 2
WORKERS = 2


class ClusterError(RuntimeError):
    """A part of the cluster is missing or did not start (the message says which and why)."""


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL server binaries (newest first), or ``MVO_PG_BIN``."""
    override = os.environ.get("MVO_PG_BIN")
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"))[::-1]
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def missing_parts() -> list[str]:
    """What this machine lacks to run the cluster (Debian package names), empty when nothing."""
    missing = []
    if postgres_bin() is None:
        missing.append("postgresql")
    if not NGINX.exists():
        missing.append("nginx")
    try:
        import distributed  # noqa: F401, PLC0415
    except ImportError:
        missing.append("dask[distributed] (pip install 'mvo-paspoort[distributed]')")
    return missing


def render_nginx_site(listen: str, app1: str, app2: str) -> str:
    """``deploy/nginx.conf.template`` with its three variables filled in (nginx's own
    ``$variables`` are left alone, as the nginx image's envsubst leaves them)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("MVO_LISTEN", listen), ("MVO_APP1", app1), ("MVO_APP2", app2)):
        text = text.replace("${" + name + "}", value)
    return text


@dataclass
class Process:
    name: str
    pid: int
    port: int | None = None


@dataclass
class State:
    """Where the running cluster is (written to ``DIR/cluster.json``)."""

    dir: str
    url: str
    database_url: str
    scheduler: str
    pg_port: int
    nginx_port: int
    replicas: list[Process] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)
    others: list[Process] = field(default_factory=list)


class LocalCluster:
    """The cluster in folder ``root``: ``start()``, ``stop_replica(i)``, ``stop()``."""

    def __init__(self, root: Path, *, port: int | None = None, demo: bool = True) -> None:
        self.root = Path(root).resolve()
        self.port = port
        self.demo = demo
        self.as_postgres = os.geteuid() == 0
        self.pg = postgres_bin()
        self.state: State | None = None
        self.processes: dict[str, subprocess.Popen] = {}

    # ------------------------------------------------------------------ paths
    @property
    def state_file(self) -> Path:
        return self.root / "cluster.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pg_data(self) -> Path:
        return self.root / "pg" / "data"

    def _secrets(self) -> dict[str, str]:
        """The secrets every replica shares (kept in ``DIR/secrets.json``, mode 0600): the
        pseudonym key ``MVO_SECRET`` and Streamlit's cookie secret (it signs the identity
        provider's cookie, which must verify on whichever replica the browser reaches)."""
        path = self.root / "secrets.json"
        if path.exists():
            return json.loads(path.read_text())
        values = {
            "MVO_SECRET": secrets.token_hex(32),
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
        }
        path.write_text(json.dumps(values))
        path.chmod(0o600)
        return values

    def environment(self, database_url: str) -> dict[str, str]:
        """The environment of every replica, worker and ``mvo`` command of this cluster."""
        env = {**os.environ, "MVO_DATABASE_URL": database_url, **self._secrets()}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        env.pop("MVO_FRAMEWORKS_DIR", None)
        return env

    # ------------------------------------------------------------------ start
    def start(self) -> State:
        missing = missing_parts()
        if missing:
            raise ClusterError(f"cannot start the cluster: missing {', '.join(missing)}")
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)  # postgres and nginx's workers run as other users
        self.logs.mkdir(exist_ok=True)
        try:
            pg_port = self.start_postgres()
            database_url = f"postgresql+psycopg://postgres@127.0.0.1:{pg_port}/{DATABASE}"
            env = self.environment(database_url)
            self._mvo(env, "db", "upgrade")
            if self.demo:
                self._mvo(env, "demo", "--if-empty")
            replicas = [self._start_replica(env, index) for index in range(1, REPLICAS + 1)]
            nginx_port = self.port or free_port()
            self._start_nginx(nginx_port, replicas)
            scheduler_port = free_port()
            scheduler = f"tcp://127.0.0.1:{scheduler_port}"
            others = [self._start_scheduler(env, scheduler_port)]
            workers = [self._start_worker(env, scheduler, i) for i in range(1, WORKERS + 1)]
            self._wait_for_workers(scheduler, WORKERS)
            self.state = State(
                dir=str(self.root),
                url=f"http://127.0.0.1:{nginx_port}",
                database_url=database_url,
                scheduler=scheduler,
                pg_port=pg_port,
                nginx_port=nginx_port,
                replicas=replicas,
                workers=workers,
                others=others,
            )
            self.state_file.write_text(json.dumps(asdict(self.state), indent=1))
            return self.state
        except BaseException:
            self.stop()
            raise

    def _as_postgres(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if self.as_postgres else command

    def start_postgres(self) -> int:
        """Initialise (once) and start this cluster's PostgreSQL; its port."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        folder = self.pg_data.parent
        folder.mkdir(exist_ok=True)
        if self.as_postgres:
            shutil.chown(folder, "postgres", "postgres")
        folder.chmod(0o700)
        if not (self.pg_data / "PG_VERSION").exists():
            self._run_checked(
                self._as_postgres(
                    [
                        str(self.pg / "initdb"),
                        "-D",
                        str(self.pg_data),
                        "-A",
                        "trust",  # loopback only; production sets a password (compose.yaml)
                        "-U",
                        "postgres",
                        "-E",
                        "UTF8",
                        "--locale=C",
                    ]
                ),
                "initdb",
            )
        port = free_port()
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._run_checked(
            self._as_postgres(
                [
                    str(self.pg / "pg_ctl"),
                    "-D",
                    str(self.pg_data),
                    "-o",
                    options,
                    "-l",
                    str(folder / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            "pg_ctl start",
        )
        import psycopg  # noqa: PLC0415

        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
            ).fetchone()
            if not exists:
                connection.execute(f"CREATE DATABASE {DATABASE}")
        return port

    def _run_checked(self, command: list[str], what: str, env=None) -> None:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
        if done.returncode != 0:
            raise ClusterError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def _mvo(self, env: dict[str, str], *args: str) -> None:
        self._run_checked([str(BIN / "mvo"), *args], f"mvo {' '.join(args)}", env)

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives `cluster.py start`; `stop` ends it by pid
        )
        log.close()
        self.processes[name] = process
        return process

    def replica_command(self, port: int) -> list[str]:
        return streamlit_command(port)

    def _start_replica(self, env: dict[str, str], index: int) -> Process:
        port = free_port()
        name = f"app{index}"
        process = self._spawn(name, self.replica_command(port), env)
        self._wait_http(f"http://127.0.0.1:{port}/_stcore/health", process, name)
        return Process(name, process.pid, port)

    def _wait_http(self, url: str, process: subprocess.Popen | None, name: str) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
                raise ClusterError(f"{name} exited ({process.returncode}):\n{tail}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise ClusterError(f"{name} did not answer {url} within 90 s")

    def _start_nginx(self, port: int, replicas: list[Process]) -> None:
        folder = self.root / "nginx"
        temp = folder / "tmp"
        temp.mkdir(parents=True, exist_ok=True)
        site = folder / "mvo.conf"
        site.write_text(
            render_nginx_site(
                f"127.0.0.1:{port}", *(f"127.0.0.1:{replica.port}" for replica in replicas)
            )
        )
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        if os.geteuid() == 0:
            shutil.chown(temp, "nobody", "nogroup")
        temps = "\n".join(
            f"    {kind}_temp_path {temp / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (folder / "nginx.conf").write_text(
            f"# generated by tools/cluster.py; the site is deploy/nginx.conf.template\n"
            f"{user}worker_processes 1;\n"
            f"pid {folder / 'nginx.pid'};\n"
            f"error_log {self.logs / 'nginx-error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            f"    access_log {self.logs / 'nginx-access.log'};\n"
            f"{temps}\n"
            f"    include {site};\n"
            "}\n"
        )
        command = [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf")]
        self._run_checked([*command, "-t", "-q"], "nginx -t")
        self._run_checked(command, "nginx")
        self._wait_http(f"http://127.0.0.1:{port}/_stcore/health", None, "nginx")

    def _start_scheduler(self, env: dict[str, str], port: int) -> Process:
        process = self._spawn(
            "dask-scheduler",
            [
                str(BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            env,
        )
        return Process("dask-scheduler", process.pid, port)

    def _start_worker(self, env: dict[str, str], scheduler: str, index: int) -> Process:
        name = f"dask-worker{index}"
        local = self.root / "dask" / name
        local.mkdir(parents=True, exist_ok=True)
        process = self._spawn(
            name,
            [
                str(BIN / "dask"),
                "worker",
                scheduler,
                "--name",
                name,
                "--host",
                "127.0.0.1",
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-dashboard",
                "--local-directory",
                str(local),
            ],
            env,
        )
        return Process(name, process.pid)

    def _wait_for_workers(self, scheduler: str, count: int) -> None:
        from distributed import Client  # noqa: PLC0415

        with Client(scheduler, timeout=60) as client:
            client.wait_for_workers(count, timeout=120)

    # ------------------------------------------------------------------ stop
    def load(self) -> State | None:
        if self.state is None and self.state_file.exists():
            data = json.loads(self.state_file.read_text())
            for key in ("replicas", "workers", "others"):
                data[key] = [Process(**p) for p in data[key]]
            self.state = State(**data)
        return self.state

    def stop_replica(self, index: int, sig: int = signal.SIGTERM) -> Process:
        """Stop app replica ``index`` (0-based): ``SIGTERM`` as a rolling update does,
        ``SIGKILL`` as a crash does."""
        replica = self.load().replicas[index]
        _end(replica.pid, self.processes.get(replica.name), sig=sig)
        return replica

    def stop(self, *, wipe: bool = False) -> None:
        """End every process of the cluster (those of the state file and those this object
        started), then PostgreSQL; ``wipe`` removes the folder too."""
        state = self.load()
        pids = {process.pid: name for name, process in self.processes.items()}
        if state is not None:
            for part in (*state.replicas, *state.workers, *state.others):
                pids.setdefault(part.pid, part.name)
        by_pid = {process.pid: process for process in self.processes.values()}
        for pid in pids:
            _end(pid, by_pid.get(pid))
        pid_file = self.root / "nginx" / "nginx.pid"
        if pid_file.exists():
            try:
                _end(int(pid_file.read_text().strip()), None)
            except ValueError:
                pass
        if self.pg is not None and (self.pg_data / "postmaster.pid").exists():
            subprocess.run(
                self._as_postgres(
                    [str(self.pg / "pg_ctl"), "-D", str(self.pg_data), "-m", "fast", "-w", "stop"]
                ),
                capture_output=True,
                cwd="/",
            )
        self.state_file.unlink(missing_ok=True)
        self.state = None
        if wipe:
            shutil.rmtree(self.root, ignore_errors=True)


def _end(
    pid: int, process: subprocess.Popen | None, timeout: float = 15, sig: int = signal.SIGTERM
) -> None:
    """Send ``sig`` to process ``pid`` (and its process group when it leads one), SIGKILL
    after ``timeout`` seconds."""
    try:
        target = os.getpgid(pid) if os.getpgid(pid) == pid else None
    except ProcessLookupError:
        return
    kill = (lambda sig: os.killpg(target, sig)) if target else (lambda sig: os.kill(pid, sig))
    try:
        kill(sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None:
            if process.poll() is not None:
                return
        else:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.1)
    try:
        kill(signal.SIGKILL)
    except ProcessLookupError:
        return
    if process is not None:
        process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "cluster")
    parser.add_argument("--port", type=int, default=None, help="nginx's port (default: free)")
    parser.add_argument("--no-demo", action="store_true", help="migrate only, no demo data")
    parser.add_argument("--wipe", action="store_true", help="with stop: remove the folder too")
    args = parser.parse_args(argv)
    cluster = LocalCluster(args.dir, port=args.port, demo=not args.no_demo)
    if args.action == "stop":
        cluster.stop(wipe=args.wipe)
        print(f"stopped the cluster in {args.dir}")
        return 0
    if args.action == "status":
        state = cluster.load()
        print(json.dumps(asdict(state), indent=1) if state else f"no cluster in {args.dir}")
        return 0 if state else 1
    if cluster.load() is not None:
        print(f"a cluster already runs in {args.dir} (stop it first)", file=sys.stderr)
        return 1
    try:
        state = cluster.start()
    except ClusterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"app (nginx):       {state.url}")
    for replica in state.replicas:
        print(f"  {replica.name}:            http://127.0.0.1:{replica.port} (pid {replica.pid})")
    print(f"PostgreSQL:        {state.database_url}")
    print(f"Dask scheduler:    {state.scheduler} ({len(state.workers)} workers)")
    print(f"export example:    MVO_DATABASE_URL={state.database_url} mvo export passports ")
    print(f"                   --year 2026 --out var/export --scheduler {state.scheduler}")
    print(f"stop:              python tools/cluster.py stop --dir {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
