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
from pathlib import Path

import streamlit as st
from sqlalchemy.orm import configure_mappers

from app.store.db import Store, database_url

PAGES_DIR = Path(__file__).resolve().parent / "pages"

#: Imported by Streamlit itself on a page's first run: the emoji table behind ``page_icon``
#: (``st.set_page_config`` in ``app.ui.shell``), about 0.2 s.
STREAMLIT_MODULES = ("streamlit.emojis",)

_preparing: threading.Thread | None = None
_preparing_lock = threading.Lock()


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


def _prepare() -> None:
    """What a fresh server process would otherwise do in its first users' runs: load the
    catalogue (about 1 s), import what the pages import (pandas, plotly, reportlab: about
    1.5 s), then the VSME template's formulas (seconds, wanted only by the first download)."""
    store()
    # SQLAlchemy otherwise sets up its mappers in the first query (the first sign-in's).
    configure_mappers()
    for name in (*STREAMLIT_MODULES, *page_modules()):
        try:
            importlib.import_module(name)
        except ImportError:  # the page itself reports it when it runs
            continue
    # The catalogue (frozen pydantic models) and the imported modules live as long as the
    # process: move them out of the collector's sight, so no collection walks them again.
    gc.freeze()
    from exports.vsme import template  # noqa: PLC0415 - the heaviest, last

    template.prepare()


def prepare_at_start() -> threading.Thread:
    """Start the preparation once per process, in a thread beside the server (``app/server.py``
    calls this when ``streamlit run`` loads it; the first ``store()`` call does otherwise, as
    under ``AppTest``). A user who needs a part before it is ready waits for that part only:
    the store's cache and Python's import lock let one thread build each, the others wait."""
    global _preparing
    with _preparing_lock:
        if _preparing is None:
            _preparing = threading.Thread(target=_prepare, name="mvo-prepare", daemon=True)
            _preparing.start()
    return _preparing


@st.cache_resource(show_spinner=False)
def _store(url: str):
    store = Store(url)
    store.catalogue  # noqa: B018 - load the frameworks once per process, before the first user
    return store


def store() -> Store:
    """The store of this process for the configured database."""
    prepare_at_start()
    return _store(os.environ.get("MVO_DATABASE_URL") or database_url())


def catalogue():
    """The loaded frameworks and sector profiles (``.frameworks``, ``.profiles``, ``.report``)."""
    return store().catalogue
