"""The web server entry point: ``streamlit run app/server.py`` (what ``make run`` starts).

Streamlit's ``st.App`` serves the app script ``app/main.py`` together with the session routes
(``POST /session/signin``, ``POST /session/signout``), the security-headers middleware of
``app.web`` and ``UnknownPageMiddleware`` below. ``streamlit run`` finds the ``app`` object
below and serves it with uvicorn.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import quote, urlencode

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse

from app.ui import keys, resources
from app.ui.shell import page_addresses
from app.web import SecurityHeadersMiddleware, base_path, routes

#: The server runs each browser session's script in a thread of its own beside the event loop
#: that sends the sessions' messages, and every message a script enqueues hands the GIL over
#: (it wakes the loop). With Python's default switch interval (5 ms) such a hand-over can wait
#: 5 ms while another thread runs, and an answer's rerun sends dozens of messages: with 100
#: SMEs answering, "opgeslagen" took p95 0.23-1.1 s at 5 ms and 0.08-0.31 s at 1 ms on the same
#: machine (bench/bench_load.py --sessions 100, alternated). A documented interpreter setting,
#: set where the server process starts (every replica serves this module).
SWITCH_INTERVAL_S = 0.001
sys.setswitchinterval(SWITCH_INTERVAL_S)

#: First path segments that are Streamlit's or ours, never a page.
RESERVED = frozenset({"_stcore", "static", "media", "component", "app", "auth", "session"})
_PAGE_LIKE = re.compile(r"^[\w-]+(/[\w-]+)*$")


class UnknownPageMiddleware:
    """A browser opening an address that is no page of the app (``/bestaat-niet``, an old
    bookmark) is sent to the app's root with ``?missing=<address>`` (its other query
    parameters, such as ``lang``, kept): the visitor lands on the sign-in form or their own
    start page with a notice in their language, never on Streamlit's English "Page not
    found" popup. Files, Streamlit's own routes and every other request pass untouched."""

    def __init__(self, app) -> None:
        self.app = app
        self.known = page_addresses()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("method") == "GET":
            target = self._redirect(scope)
            if target is not None:
                await RedirectResponse(target, status_code=302)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _redirect(self, scope) -> str | None:
        prefix = base_path()
        path = scope.get("path", "")
        if prefix and not path.startswith(prefix + "/"):
            return None
        address = path[len(prefix) :].strip("/")
        if not address or address in self.known or not _PAGE_LIKE.match(address):
            return None
        if address.split("/", 1)[0] in RESERVED:
            return None
        headers = dict(scope.get("headers", ()))
        if b"text/html" not in headers.get(b"accept", b""):
            return None  # not a browser asking for a page
        query = scope.get("query_string", b"").decode("latin-1")
        kept = "&".join(p for p in query.split("&") if p and not p.startswith("missing="))
        missing = urlencode({keys.QP_MISSING: address}, quote_via=quote)
        return f"{prefix}/?{kept + '&' if kept else ''}{missing}"


app = st.App(
    "main.py",
    routes=routes(),
    middleware=[Middleware(SecurityHeadersMiddleware), Middleware(UnknownPageMiddleware)],
)

# The catalogue and the pages' imports are made ready before the server listens, not in its
# first users' runs; the VSME template follows in a thread (app.ui.resources).
resources.prepare_at_start()
