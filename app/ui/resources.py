"""Process-wide resources of the app, created once per server process (``st.cache_resource``),
and the preparation that makes them ready before the first user needs them.

The ``Store`` (engine + session factory + catalogue of frameworks and sector profiles) is shared
by every browser session; all state lives in the database, so several app replicas can share
one PostgreSQL. ``MVO_DATABASE_URL`` selects the database, as for the CLI.
"""

from __future__ import annotations

import ast
import gc
import importlib
import os
import threading
import time
from pathlib import Path

import streamlit as st
from sqlalchemy.orm import configure_mappers
from streamlit.logger import get_logger

from app.store.db import Store, database_url

PAGES_DIR = Path(__file__).resolve().parent / "pages"
#: The server's log line when the VSME template is ready (``bench/bench_browser.py`` waits for
#: it: from then on the server is warm).
DOWNLOADS_READY = "mvo: VSME template prepared"

#: Imported by Streamlit itself on a page's first run: the emoji table behind ``page_icon``
#: (``st.set_page_config`` in ``app.ui.shell``), about 0.2 s.
STREAMLIT_MODULES = ("streamlit.emojis",)

_log = get_logger(__name__)
_downloads: threading.Thread | None = None
_downloads_lock = threading.Lock()


def page_modules() -> list[str]:
    """The modules the pages import (read from the page scripts themselves, so that a page
    that starts importing something new is prepared too)."""
    names: list[str] = []
    for script in sorted(PAGES_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.append(node.module)
    return list(dict.fromkeys(name for name in names if name != "__future__"))


def prepare_at_start() -> None:
    """What a fresh server process would otherwise do in its first users' runs, done before
    it serves them (``app/server.py`` calls this when ``streamlit run`` loads it, before the
    server listens): the store and its catalogue (about 1 s), SQLAlchemy's mappers (else set
    up in the first query), what the pages import (pandas, plotly, reportlab: about 1.5 s).
    The VSME template follows in a thread (``store()`` starts it)."""
    started = time.perf_counter()
    store()
    configure_mappers()
    for name in (*STREAMLIT_MODULES, *page_modules()):
        try:
            importlib.import_module(name)
        except ImportError:  # the page itself reports it when it runs
            continue
    # The imported modules live as long as the process, as the catalogue does.
    gc.freeze()
    _log.info("mvo: prepared for the first users in %.1f s", time.perf_counter() - started)


def _prepare_vsme_template() -> None:
    from exports.vsme import template  # noqa: PLC0415 - imported in the thread, off the start

    started = time.perf_counter()
    template.prepare()
    _log.info("%s in %.1f s", DOWNLOADS_READY, time.perf_counter() - started)


def _prepare_downloads() -> None:
    """The VSME template's formulas take seconds to parse (~10 s of CPU): do it beside the
    first users, once per process, not in the first SME's download (exports.vsme.template
    caches it for the process). Until it is done it shares the CPU with the users' runs."""
    global _downloads
    if _downloads is not None:  # store() calls this on every run: no lock once started
        return
    with _downloads_lock:
        if _downloads is None:
            _downloads = threading.Thread(
                target=_prepare_vsme_template, name="vsme-prepare", daemon=True
            )
            _downloads.start()


def wait_for_downloads(timeout: float | None = None) -> bool:
    """Wait until the VSME template is prepared (True) or ``timeout`` seconds passed."""
    thread = _downloads
    if thread is not None:
        thread.join(timeout)
    return thread is not None and not thread.is_alive()


@st.cache_resource(show_spinner=False)
def _store(url: str):
    store = Store(url)
    store.catalogue  # noqa: B018 - load the frameworks once per process, before the first user
    # The catalogue (frozen pydantic models) lives as long as the process: move it and the
    # imported modules out of the collector's sight, so no collection walks them again.
    gc.freeze()
    return store


def store() -> Store:
    """The store of this process for the configured database."""
    _prepare_downloads()
    return _store(os.environ.get("MVO_DATABASE_URL") or database_url())


def catalogue():
    """The loaded frameworks and sector profiles (``.frameworks``, ``.profiles``, ``.report``)."""
    return store().catalogue
