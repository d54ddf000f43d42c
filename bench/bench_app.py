"""Benchmark of the browser app's script runs, server side, through ``streamlit.testing.v1.AppTest``
(no browser, no WebSocket: each interaction reruns the **whole** script, where the browser
reruns only the section's ``st.fragment`` on an answer). What people wait for in the browser is
``bench/bench_browser.py``; these figures say what the runs cost in one process.

On a fresh demo database (``mvo db upgrade`` + ``mvo demo`` in a temporary folder) the SME
``kmo@demo.be`` opens its sector passport (the real ISO 26000 questionnaire of the ``bouw``
profile) and answers questions one at a time. Printed, one JSON object per line:

- ``cold_sign_in_to_questionnaire``: a fresh process that prepared nothing (as ``streamlit run
  app/main.py`` would be), from the sign-in page through the start page (password hash
  checked, the sign-in ticket exchanged for the session cookie) to the questionnaire: it
  loads the catalogue and imports pandas, plotly and reportlab on the way;
- ``warm_sign_in_to_questionnaire``: the same for a second SME (a new AppTest session) once the
  process did what ``app/server.py`` does before it serves (``resources.prepare_at_start``)
  and the VSME template thread is done: what an SME meets on a running server;
- ``questionnaire_first_render``: the questionnaire page's first run (warm process);
- ``rerun_after_answer``: the median full-script rerun after setting one answer widget,
  which includes the autosave through the services; p90 and p95 beside it (30 reruns);
- ``rerun_after_answer_largest_section``: the same in the passport's largest section;
- ``results_page_first_render`` / ``results_page_rerun``: the results page (the draft's live
  passport and benchmark, the charts);
- ``health_check``: seconds until ``streamlit run app/server.py`` answers
  ``/_stcore/health`` (it prepares the catalogue and the pages' imports before it listens).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.devserver import demo_environment, serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RERUNS = 30
JAR: dict[str, str] = {}


def emit(metric: str, value: float, unit: str, target: str | None, action: str = "") -> None:
    """One figure (not a "where people wait" row: AppTest is not the browser's path)."""
    row = {"bench": "app", "metric": metric, "value": round(value, 3), "unit": unit}
    row.update(target=target, load=round(os.getloadavg()[0], 2))
    if action:
        row["action"] = action
    print(json.dumps(row), flush=True)


def health_check_seconds(env: dict[str, str]) -> float:
    with serve(env) as app:
        return app.health_seconds


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        env = demo_environment(Path(tmp))
        os.environ["MVO_DATABASE_URL"] = env["MVO_DATABASE_URL"]
        from app.ui import resources, session
        from app.web import BROWSER_COOKIE

        # AppTest has no browser: the bench's cookie jar stands in for st.context.cookies.
        JAR[BROWSER_COOKIE] = "bench-browser"
        session._browser_cookies = lambda: dict(JAR)

        cold = time.perf_counter()
        at = _signed_in()
        at.button(key="home:open").click().run()
        cold_path = time.perf_counter() - cold
        assert not at.exception, at.exception
        # what app/server.py does before it serves, and the VSME template thread after it
        resources.prepare_at_start()
        assert resources.wait_for_downloads(timeout=300)
        from app.ui.questionnaire import section_questions

        warm = time.perf_counter()
        at = _signed_in()
        started = time.perf_counter()
        at.button(key="home:open").click().run()
        first_render = time.perf_counter() - started
        warm_path = time.perf_counter() - warm
        assert not at.exception, at.exception
        first = _answer_timings(at, "first section")
        # the largest section of the passport (the most widgets in one fragment)
        questionnaire = _questionnaire()
        largest = max(questionnaire.sections, key=lambda s: len(section_questions(s)))
        at.button(key=f"section:{largest.id}").click().run()
        assert not at.exception, at.exception
        biggest = _answer_timings(at, f"largest section {largest.id}")
        started = time.perf_counter()
        at.switch_page("ui/pages/sme_results.py").run()
        results = time.perf_counter() - started
        assert not at.exception, at.exception
        started = time.perf_counter()
        at.run()
        results_again = time.perf_counter() - started
        assert not at.exception, at.exception
        emit(
            "cold_sign_in_to_questionnaire",
            cold_path * 1000,
            "ms",
            None,
            "AppTest: the first SME in a process that prepared nothing (sign-in to questionnaire)",
        )
        emit(
            "warm_sign_in_to_questionnaire",
            warm_path * 1000,
            "ms",
            "<= 0.8 s",
            "AppTest: an SME signs in on a prepared process (sign-in to questionnaire)",
        )
        emit("questionnaire_first_render", first_render * 1000, "ms", "<= 1000 ms")
        emit("rerun_after_answer", statistics.median(first) * 1000, "ms", "<= 100 ms")
        emit("rerun_after_answer_p90", statistics.quantiles(first, n=10)[-1] * 1000, "ms", None)
        emit(
            "rerun_after_answer_p95",
            statistics.quantiles(first, n=20)[-1] * 1000,
            "ms",
            None,
            f"AppTest: the whole script's rerun after one answer, with its autosave "
            f"({len(first)} reruns; the browser reruns the section's fragment only)",
        )
        emit(
            "rerun_after_answer_largest_section",
            statistics.median(biggest) * 1000,
            "ms",
            "<= 100 ms",
        )
        emit("results_page_first_render", results * 1000, "ms", "<= 1 s")
        emit("results_page_rerun", results_again * 1000, "ms", None)
        emit("health_check", health_check_seconds(env), "s", None)


def _signed_in():
    """A new AppTest session of the app, signed in as the demo SME, on its start page."""
    from streamlit.testing.v1 import AppTest

    from app.web import SESSION_COOKIE

    JAR.pop(SESSION_COOKIE, None)  # a new browser: no session cookie yet
    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=60).run()
    at.text_input(key="signin:email").set_value("kmo@demo.be")
    at.text_input(key="signin:password").set_value("demo")
    at.button[0].click().run()
    _complete_sign_in(at)
    return at


def _complete_sign_in(at) -> None:
    """What the browser and ``/session/signin`` do with the form's ticket: the session cookie
    in the jar, then the page again."""
    import html
    import re

    from app.services import auth
    from app.ui import resources
    from app.web import BROWSER_COOKIE, SESSION_COOKIE

    body = at.get("html")[0].proto.body
    ticket = html.unescape(re.search(r'name="ticket" value="([^"]+)"', body).group(1))
    JAR[SESSION_COOKIE] = auth.redeem_signin_ticket(resources.store(), ticket, JAR[BROWSER_COOKIE])
    at.run()


def _questionnaire():
    from app.services import catalogue
    from frameworks.loader import shipped_catalogue

    return catalogue.questionnaire(shipped_catalogue(), "iso26000", "bouw")


def _answer_timings(at, where: str) -> list[float]:
    """Seconds of each rerun after setting one radio answer of the shown section."""
    radios = [r.key for r in at.radio if r.key and r.key.startswith("w:")]
    values = _values_of(radios)
    print(f"{at.title[0].value}, {where}: {len(radios)} radio questions", file=sys.stderr)
    timings = []
    for number in range(RERUNS):
        # a gate's answer can disable the questions behind it: a user cannot click those
        enabled = [k for k in radios if not at.radio(key=k).disabled]
        key = enabled[number % len(enabled)]
        options = values[key]
        value = options[(number // len(radios) + 1) % len(options)]
        started = time.perf_counter()
        at.radio(key=key).set_value(value).run()
        timings.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    return timings


def _values_of(widget_keys: list[str]) -> dict[str, list]:
    """The widget values each radio question can take (from the questionnaire itself)."""
    from app.ui.questionnaire import NO, YES

    questionnaire = _questionnaire()
    result = {}
    for key in widget_keys:
        question = questionnaire.questions[key.split(":")[2]]
        if question.type == "maturity":
            result[key] = [0, 1, 2, 3, 4]
        elif question.type == "yes_no":
            result[key] = [YES, NO]
        else:
            result[key] = [o.id for o in question.options]
    return result


if __name__ == "__main__":
    main()
