"""Sign-in cost: ``auth.authenticate`` (the password check of the sign-in form) on a fresh
SQLite store, with the argon2id parameters of ``app.services.auth`` and with the library's
defaults used before (64 MiB, t=3, p=4), and a burst of simultaneous sign-ins (threads, as
the server's sessions are) -- the deadline-day morning when many SMEs sign in at once.

User action: an SME submits the sign-in form (e-mail and password) and waits for its start
page; the figure is the server's share spent checking the password (and, for an old hash,
re-hashing it once with the current parameters).

    python bench/bench_signin.py [--signins 10] [--burst 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ACTION = "an SME submits the sign-in form (the server checks the argon2 password hash)"
PASSWORD = "geheim-wachtwoord"


def emit(metric: str, value: float, unit: str, target: str = "") -> None:
    row = {"bench": "signin", "metric": metric, "value": round(value, 3), "unit": unit}
    print(json.dumps({**row, "target": target, "action": ACTION}), flush=True)


def _sign_ins(store, emails: list[str], repeat: int) -> list[float]:
    from app.services import auth

    timings = []
    for _ in range(repeat):
        for email in emails:
            started = time.perf_counter()
            auth.authenticate(store, email, PASSWORD)
            timings.append(time.perf_counter() - started)
    return timings


def _burst(store, emails: list[str]) -> float:
    """Seconds until every one of ``emails`` signed in, all at the same moment."""
    from app.services import auth

    start = threading.Barrier(len(emails) + 1)

    def one(email: str) -> None:
        start.wait()
        auth.authenticate(store, email, PASSWORD)

    threads = [threading.Thread(target=one, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signins", type=int, default=10, help="sign-ins measured per hasher")
    parser.add_argument("--burst", type=int, default=20, help="SMEs signing in at once")
    args = parser.parse_args()

    from argon2 import PasswordHasher

    from app.services import auth
    from app.services.principal import SYSTEM
    from app.store import Store

    old = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
    with tempfile.TemporaryDirectory(prefix="bench-signin-") as folder:
        store = Store(f"sqlite:///{Path(folder) / 'signin.sqlite'}")
        figures = {}
        for name, hasher in (("library defaults (64 MiB, t=3, p=4)", old), ("current", None)):
            auth.use_hasher(hasher or auth.default_hasher())
            emails = [f"sme{n}-{len(figures)}@bench.example" for n in range(args.burst)]
            for email in emails:
                auth.create_user(store, SYSTEM, email, "department", password=PASSWORD)
            timings = _sign_ins(store, emails[:1], args.signins)
            burst = _burst(store, emails)
            figures[name] = (statistics.median(timings), burst)
            print(f"{name}: {figures[name]}", file=sys.stderr)
        # an account hashed before the change: its first sign-in re-hashes, later ones are cheap
        auth.use_hasher(old)
        auth.create_user(store, SYSTEM, "old@bench.example", "department", password=PASSWORD)
        auth.use_hasher(auth.default_hasher())
        first = _sign_ins(store, ["old@bench.example"], 1)[0]
        later = statistics.median(_sign_ins(store, ["old@bench.example"], args.signins))
        store.dispose()
    for name, (median, burst) in figures.items():
        emit(f"sign-in password check, median ({name})", median * 1000, "ms")
        emit(f"{args.burst} SMEs signing in at once, last one done ({name})", burst, "s")
    emit("sign-in of an account hashed with the old parameters (rehashed)", first * 1000, "ms")
    emit("next sign-ins of that account (rehashed), median", later * 1000, "ms")
    old_median, current_median = (figures[name][0] for name in figures)
    emit("sign-in password check, old / current", old_median / current_median, "x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
