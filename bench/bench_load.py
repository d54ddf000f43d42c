"""Concurrent SMEs against one server (issue 14, item 3): N simulated SMEs as real Streamlit
sessions answering questions with think time.

User action each figure stands for: an SME on the questionnaire page clicks a maturity level
and waits for "Opgeslagen om ..." (the autosave's status line). Each simulated SME is a
WebSocket client speaking Streamlit's own protocol to ``/_stcore/stream`` -- protobuf
``BackMsg.rerun_script`` out (the widget's new value and its fragment, as the browser's
frontend sends them), ``ForwardMsg`` deltas back until ``script_finished`` -- with its own
account, its own draft assessment and the ``mvo_session`` cookie of a server-side session
(created directly in the database, as ``POST /session/signin`` would). The server is ``streamlit
run app/server.py`` on a fresh demo database (SQLite, what ``make run`` serves), restarted for
each N so that each memory figure starts from the same process.

Each simulated SME opens ``/vragenlijst`` (``page_name`` of the first run) and from then on asks
for the page ``st.navigation`` named (its page script hash), as the browser does; every script
run must finish within ``RUN_TIMEOUT`` seconds, else the session is reported as stuck.

Reported per N: p50/p95 of answer -> saved (from sending the click to the rerun's
``script_finished``, with "Opgeslagen om" among its deltas), answers saved / sent (read back
from the database), the server's memory per session ((RSS with N sessions open - RSS of the
warmed-up server) / N) and its CPU (cores busy during the answering phase, and CPU ms per
answer, which does not depend on what else runs on the machine), the load generator's own CPU
(near 1 core it, not the server, would set the latency) and the machine's load average (the
machine is shared). Targets: 100 concurrent SMEs at p95 <= 300 ms and <= 15 MB per session.

    python bench/bench_load.py [--sessions 10 50 100 200] [--answers 5] [--think 2 6]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

YEARS = (2026, 2027, 2025)
P95_TARGET_MS = 300
MEMORY_TARGET_MB = 15
TARGET_SESSIONS = 100
#: Seconds one script run (a page draw, an answer) may take before its session counts as stuck.
RUN_TIMEOUT = 60.0
QUESTIONNAIRE = "vragenlijst"


#: The user action the figures stand for (``make bench`` prints it beside each figure).
ACTION = "many SMEs at once on the questionnaire: one clicks a level and waits for 'Opgeslagen'"


def emit(metric: str, value, unit: str, target: str = "") -> None:
    row = {"bench": "load", "metric": metric, "value": value, "unit": unit, "target": target}
    print(json.dumps({**row, "action": ACTION}), flush=True)


# --------------------------------------------------------------------------- accounts
@dataclass(frozen=True)
class SimulatedSme:
    email: str
    token: str
    assessment_id: int


def make_smes(database_url: str, count: int) -> list[SimulatedSme]:
    """``count`` SME accounts, one per demo organisation without an account, each with a
    draft assessment and a server-side session (its cookie token)."""
    from sqlalchemy import select

    from app.services import assessments, auth
    from app.services.principal import SYSTEM
    from app.store.db import Store
    from app.store.models import OrganisationRow, UserRow

    store = Store(database_url)
    with store.read() as session:
        taken = set(session.scalars(select(UserRow.organisation_id)))
        organisations = [
            (row.id, row.kbo)
            for row in session.scalars(select(OrganisationRow).order_by(OrganisationRow.id))
            if row.id not in taken
        ]
    smes = []
    for organisation_id, kbo in organisations:
        if len(smes) == count:
            break
        email = f"load{organisation_id}@bench.example"  # free organisations: no account yet
        user = auth.create_user(store, SYSTEM, email, "sme", organisation_kbo=kbo)
        principal = auth.get_principal(store, user.id)
        for year in YEARS:
            view = assessments.start_assessment(store, principal, organisation_id, year)
            if view.status == "draft":
                break
        else:
            continue
        smes.append(SimulatedSme(email, auth.create_session(store, user.id), view.id))
    store.dispose()
    if len(smes) < count:
        raise SystemExit(f"only {len(smes)} organisations could take a simulated SME")
    return smes


def saved_answers(database_url: str, smes: list[SimulatedSme]) -> int:
    """How many answer saves the simulated SMEs' assessments hold (read back from the
    database): every save adds one to its answer's version, a new answer starts at 1."""
    from sqlalchemy import func, select

    from app.store.db import Store
    from app.store.models import AnswerRow

    store = Store(database_url)
    with store.read() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(AnswerRow.version), 0)).where(
                AnswerRow.assessment_id.in_([s.assessment_id for s in smes])
            )
        )
    store.dispose()
    return int(total)


# --------------------------------------------------------------------------- protocol
@dataclass
class Radio:
    id: str
    options: list[str]
    value: str | None
    fragment: str


@dataclass
class Run:
    """What one script run sent back."""

    radios: dict[str, Radio] = field(default_factory=dict)
    saved: bool = False
    page: str = ""
    status: int | None = None


class StuckSession(Exception):
    """A script run that did not finish within ``RUN_TIMEOUT``."""


class StreamlitSession:
    """One browser tab's Streamlit session, spoken over the WebSocket as the frontend does."""

    def __init__(self, base: str, sme: SimulatedSme) -> None:
        self.base = base
        self.sme = sme
        self.query = f"lang=nl&beoordeling={sme.assessment_id}"
        self.page_hash = ""
        self.page = ""
        self.radios: dict[str, Radio] = {}
        self.ws = None

    async def open(self) -> Run:
        import websockets

        self.ws = await websockets.connect(
            self.base.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers={"Cookie": f"mvo_session={self.sme.token}", "Origin": self.base},
            max_size=None,
            ping_interval=None,
        )
        return await self.rerun(page_name=QUESTIONNAIRE)

    async def rerun(self, widget=None, value: str | None = None, *, page_name: str = "") -> Run:
        """One script run, as the frontend asks for it: on the page ``st.navigation`` last
        said this session is on (its page script hash; ``page_name`` only for the first run,
        as a browser opening ``/vragenlijst`` does). Fails after ``RUN_TIMEOUT`` seconds
        without the run's ``script_finished``: a stuck session is reported, never waited on."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = page_name
        if widget is not None:
            entry = state.widget_states.widgets.add()
            entry.id = widget.id
            entry.string_value = value
            state.fragment_id = widget.fragment
        await self.ws.send(message.SerializeToString())
        if widget is not None:
            self.radios[widget.id] = Radio(widget.id, widget.options, value, widget.fragment)
        try:
            return await asyncio.wait_for(self._collect(), RUN_TIMEOUT)
        except TimeoutError:
            raise StuckSession(
                f"no script_finished within {RUN_TIMEOUT:.0f} s (page {self.page or '?'})"
            ) from None

    async def _collect(self) -> Run:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        run = Run()
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self.ws.recv())
            kind = message.WhichOneof("type")
            if kind == "navigation":
                # st.navigation names the page this run shows (the new_session message only
                # names the main script): later runs must ask for this page by its hash
                navigation = message.navigation
                self.page_hash = navigation.page_script_hash or self.page_hash
                self.page = next(
                    (
                        page.url_pathname
                        for page in navigation.app_pages
                        if page.page_script_hash == self.page_hash
                    ),
                    self.page,
                )
            elif kind == "page_info_changed":
                self.query = message.page_info_changed.query_string or self.query
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "radio":
                    radio = element.radio
                    options = list(radio.options)
                    known = self.radios.get(radio.id)
                    # the server sends a value only where it sets one (the first draw, a
                    # seed); otherwise the frontend keeps what the user chose last
                    if radio.HasField("raw_value"):
                        value = radio.raw_value
                    elif known is not None:
                        value = known.value
                    else:
                        value = options[radio.default] if radio.HasField("default") else None
                    run.radios[radio.id] = Radio(
                        radio.id, options, value, message.delta.fragment_id
                    )
                elif element_type == "markdown" and "Opgeslagen om" in element.markdown.body:
                    run.saved = True
            elif kind == "script_finished":
                if message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run.status = message.script_finished
                    run.page = self.page
                    self.radios.update(run.radios)
                    return run

    def maturity_questions(self) -> list[Radio]:
        return [
            r
            for r in self.radios.values()
            if "w:" in r.id and r.options and r.options[0].startswith("0 ·")
        ]

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def simulate(
    base: str,
    sme: SimulatedSme,
    answers: int,
    think: tuple[float, float],
    start_at: float,
    opened: asyncio.Event,
    go: asyncio.Event,
    latencies: list[float],
    failures: list[str],
    counter: dict,
) -> StreamlitSession:
    rng = random.Random(sme.email)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    session = StreamlitSession(base, sme)
    try:
        first = await session.open()
        if first.page != QUESTIONNAIRE or not session.maturity_questions():
            failures.append(
                f"{sme.email}: no maturity question drawn (page {first.page!r}, "
                f"status {first.status})"
            )
            return session
    except Exception as error:  # noqa: BLE001 - a failed session is counted, not fatal
        failures.append(f"{sme.email}: open: {error!r}")
        return session
    counter["open"] += 1
    if counter["open"] == counter["total"]:
        opened.set()
    await go.wait()
    for _ in range(answers):
        await asyncio.sleep(rng.uniform(*think))
        widget = rng.choice(session.maturity_questions())
        value = rng.choice([o for o in widget.options if o != widget.value])
        started = time.perf_counter()
        try:
            run = await session.rerun(widget, value)
        except Exception as error:  # noqa: BLE001
            failures.append(f"{sme.email}: answer: {error!r}")
            return session
        elapsed = time.perf_counter() - started
        counter["sent"] += 1
        if run.page != QUESTIONNAIRE:
            failures.append(f"{sme.email}: the answer left the questionnaire (page {run.page!r})")
            return session
        if run.saved:
            latencies.append(elapsed)
        else:
            failures.append(f"{sme.email}: no 'Opgeslagen' after the answer")
    return session


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def load(base, smes, answers, think, server, ramp: float) -> dict:
    import psutil

    process = psutil.Process(server.pid)
    opened, go = asyncio.Event(), asyncio.Event()
    latencies: list[float] = []
    failures: list[str] = []
    counter = {"open": 0, "total": len(smes), "sent": 0}
    baseline = process.memory_info().rss
    now = time.monotonic()
    tasks = [
        asyncio.create_task(
            simulate(
                base,
                sme,
                answers,
                think,
                now + ramp * i / len(smes),
                opened,
                go,
                latencies,
                failures,
                counter,
            )
        )
        for i, sme in enumerate(smes)
    ]
    waiting = asyncio.create_task(opened.wait())
    await asyncio.wait([waiting, *tasks], return_when=asyncio.FIRST_COMPLETED)
    while not opened.is_set() and not all(t.done() for t in tasks):
        await asyncio.sleep(0.2)
        if counter["open"] + len(failures) >= len(smes):
            break
    await asyncio.sleep(1.0)
    with_sessions = process.memory_info().rss
    cpu_before = sum(process.cpu_times()[:2])
    client_before = time.process_time()
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    go.set()
    sessions = await asyncio.gather(*tasks)
    wall = time.monotonic() - started
    cpu = sum(process.cpu_times()[:2]) - cpu_before
    client_cpu = time.process_time() - client_before
    for session in sessions:
        await session.close()
    waiting.cancel()
    return {
        "latencies": latencies,
        "failures": failures,
        "opened": counter["open"],
        "sent": counter["sent"],
        "memory_per_session": (with_sessions - baseline) / max(1, counter["open"]),
        "baseline_rss": baseline,
        "rss": with_sessions,
        "cores": cpu / wall if wall else 0.0,
        # the simulated SMEs' own process: near 1 core, it (not the server) sets the latency
        "client_cores": client_cpu / wall if wall else 0.0,
        # the machine is shared: the 1-minute load average (of 2 cores) when answering began
        "load_average": max(load_before, os.getloadavg()[0]),
        "cpu_ms_per_answer": 1000 * cpu / max(1, counter["sent"]),
    }


async def warm_up(base: str, sme: SimulatedSme) -> None:
    """One session drawn and answered once: imports, caches and the catalogue are loaded before
    the baseline memory is read (a real server has served someone before the rush)."""
    session = StreamlitSession(base, sme)
    first = await session.open()
    if first.page != QUESTIONNAIRE or not session.maturity_questions():
        raise SystemExit(f"warm-up: the questionnaire was not drawn (page {first.page!r})")
    widget = session.maturity_questions()[0]
    answered = await session.rerun(widget, next(o for o in widget.options if o != widget.value))
    if not answered.saved:
        raise SystemExit("warm-up: the answer was not saved")
    await session.close()
    await asyncio.sleep(1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 50, 100, 200])
    parser.add_argument("--answers", type=int, default=5, help="answers per simulated SME")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(2.0, 6.0),
        help="think time between answers, uniform, seconds",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="sqlite: what `make run` serves; postgresql: a local cluster's, as in production",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=None,
        help="seconds over which the sessions connect (default N/10)",
    )
    args = parser.parse_args()

    from app.devserver import demo_environment

    folder = Path(tempfile.mkdtemp(prefix="mvo-bench-load-"))
    postgres = None
    if args.database == "postgresql":
        from tools.cluster import LocalCluster

        folder.chmod(0o755)  # the PostgreSQL server runs as the postgres user
        postgres = LocalCluster(folder / "pg")
        port = postgres.start_postgres()
        database_url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/mvo"
        env = postgres.environment(database_url)
        postgres._mvo(env, "db", "upgrade")
        postgres._mvo(env, "demo")
    else:
        env = demo_environment(folder)
        database_url = env["MVO_DATABASE_URL"]
    try:
        return _measure(args, env, database_url)
    finally:
        if postgres is not None:
            postgres.stop(wipe=True)
        shutil.rmtree(folder, ignore_errors=True)


def _measure(args, env: dict[str, str], database_url: str) -> int:
    from app.devserver import serve

    smes = make_smes(database_url, max(args.sessions) + 1)
    warm, crowd = smes[0], smes[1:]
    table = []
    for count in args.sessions:
        with serve(env) as server:
            asyncio.run(warm_up(server.base, warm))
            before = saved_answers(database_url, crowd[:count])
            ramp = args.ramp if args.ramp is not None else count / 10
            result = asyncio.run(
                load(
                    server.base,
                    crowd[:count],
                    args.answers,
                    tuple(args.think),
                    server.process,
                    ramp,
                )
            )
            stored = saved_answers(database_url, crowd[:count]) - before
        lat = result["latencies"]
        row = {
            "sessions": count,
            "opened": result["opened"],
            "sent": result["sent"],
            "saved_in_db": stored,
            "p50_ms": 1000 * statistics.median(lat) if lat else None,
            "p95_ms": 1000 * percentile(lat, 0.95) if lat else None,
            "mb_per_session": result["memory_per_session"] / 2**20,
            "server_rss_mb": result["rss"] / 2**20,
            "cores": result["cores"],
            "client_cores": result["client_cores"],
            "load_average": result["load_average"],
            "cpu_ms_per_answer": result["cpu_ms_per_answer"],
            "failures": len(result["failures"]),
        }
        table.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
        for failure in result["failures"][:5]:
            print(f"  failure: {failure}", file=sys.stderr)
        on_target = count == TARGET_SESSIONS
        db = args.database
        emit(f"answer->saved p50, {count} SMEs ({db})", row["p50_ms"], "ms")
        emit(
            f"answer->saved p95, {count} SMEs ({db})",
            row["p95_ms"],
            "ms",
            f"<= {P95_TARGET_MS}" if on_target else "",
        )
        emit(
            f"server memory per session, {count} SMEs ({db})",
            row["mb_per_session"],
            "MB",
            f"<= {MEMORY_TARGET_MB}" if on_target else "",
        )
        emit(f"server CPU, {count} SMEs ({db})", row["cores"], "cores")
        emit(f"server CPU per answer, {count} SMEs ({db})", row["cpu_ms_per_answer"], "ms")
        emit(f"answers saved/sent, {count} SMEs ({db})", f"{stored}/{result['sent']}", "")
        emit(f"load generator CPU, {count} SMEs ({db})", row["client_cores"], "cores")
        emit(f"machine load average, {count} SMEs ({db})", row["load_average"], "")
    print(
        "\nN     open  sent  saved  p50 ms  p95 ms  MB/session  RSS MB  cores  CPU ms/answer"
        "  client cores  load avg",
        file=sys.stderr,
    )
    for row in table:
        print(
            f"{row['sessions']:<5} {row['opened']:>5} {row['sent']:>5} {row['saved_in_db']:>6} "
            f"{row['p50_ms'] or float('nan'):>7.0f} {row['p95_ms'] or float('nan'):>7.0f} "
            f"{row['mb_per_session']:>11.2f} {row['server_rss_mb']:>7.0f} {row['cores']:>6.2f} "
            f"{row['cpu_ms_per_answer']:>13.0f} {row['client_cores']:>13.2f} "
            f"{row['load_average']:>9.1f}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
