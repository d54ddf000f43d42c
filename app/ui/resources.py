"""Process-wide resources of the app, created once per server process (``st.cache_resource``).

The ``Store`` (engine + session factory + catalogue of frameworks and sector profiles) is shared
by every browser session; all state lives in the database, so several app replicas can share
one PostgreSQL. ``MVO_DATABASE_URL`` selects the database, as for the CLI.
"""

from __future__ import annotations

import gc
import os
import threading

import streamlit as st

from app.store.db import Store, database_url


def _prepare_vsme_template() -> None:
    from exports.vsme import template  # noqa: PLC0415 - imported in the thread, off the start

    template.prepare()


@st.cache_resource(show_spinner=False)
def _store(url: str):
    store = Store(url)
    store.catalogue  # noqa: B018 - load the frameworks once per process, before the first user
    # The catalogue (frozen pydantic models) lives as long as the process: move it and the
    # imported modules out of the collector's sight, so no collection walks them again.
    gc.freeze()
    # The VSME template's formulas take seconds to parse: do it beside the first users, not
    # in the first SME's download (exports.vsme.template caches it for the process).
    threading.Thread(target=_prepare_vsme_template, name="vsme-prepare", daemon=True).start()
    return store


def store() -> Store:
    """The store of this process for the configured database."""
    return _store(os.environ.get("MVO_DATABASE_URL") or database_url())


def catalogue():
    """The loaded frameworks and sector profiles (``.frameworks``, ``.profiles``, ``.report``)."""
    return store().catalogue
