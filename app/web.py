"""The HTTP side of the app: the routes that set and clear the session cookie, and the
middleware that adds the security headers (served by ``st.App`` in ``app/server.py``).

The session credential lives only in the ``mvo_session`` cookie: HttpOnly (no script reads
it), ``SameSite=Strict`` (no other site's page, link or form makes the browser send it), Secure
when the request came over https, ``Path=/``. It never appears in a URL. The Streamlit script
reads it from ``st.context.cookies`` (the cookies of the WebSocket handshake, always a
same-site request) and resolves it against the database on every run.

Sign-in, step by step:

1. every HTML page response gives a browser without one a random pre-session cookie
   (``mvo_browser``, HttpOnly, SameSite=Strict);
2. the Streamlit sign-in form checks the password (or the identity provider's answer) and
   asks ``auth.issue_signin_ticket`` for a single-use ticket bound to the sha256 of this
   browser's ``mvo_browser`` cookie, valid ``auth.TICKET_TTL``;
3. the page posts the ticket in a form body (never a URL) to ``POST /session/signin``;
4. the route accepts only a same-origin POST, exchanges ticket + the request's ``mvo_browser``
   for a new server-side session (``auth.redeem_signin_ticket``), sets ``mvo_session`` and
   redirects (303) to the app, whose new WebSocket carries the cookie.

A ticket crafted in the attacker's browser is bound to the attacker's ``mvo_browser``: posted
from the victim's browser it is refused (and a cross-site post carries no Strict cookie at all,
and fails the Origin check). So a copied URL signs nobody in and login CSRF is refused.

``POST /session/signout`` revokes the session and clears the cookie; Streamlit's own
``/auth/logout`` (``st.logout()``, OIDC) clears it too.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlparse

from starlette.datastructures import MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from app.services import auth
from app.services.errors import ServiceError

SESSION_COOKIE = "mvo_session"
BROWSER_COOKIE = "mvo_browser"
SIGNIN_PATH = "session/signin"
SIGNOUT_PATH = "session/signout"
#: Streamlit's OIDC logout route (``st.logout()`` sends the browser there).
OIDC_LOGOUT_PATH = "auth/logout"
_MAX_BODY = 4096

SECURITY_HEADERS = {
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": (
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    ),
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000"


def base_path() -> str:
    """The app's URL path prefix ("" or "/prefix"), from ``server.baseUrlPath``."""
    from streamlit import config

    value = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{value}" if value else ""


def url(path: str) -> str:
    """An absolute path of the app (``path`` without leading slash)."""
    return f"{base_path()}/{path}"


@lru_cache(maxsize=1)
def _store():
    from app.store.db import Store

    return Store()


def _is_https(scheme: str) -> bool:
    from streamlit import config

    return scheme in ("https", "wss") or bool(config.get_option("server.sslCertFile"))


def cookie_header(name: str, value: str, *, https: bool, max_age: int | None = None) -> str:
    """A ``Set-Cookie`` value: HttpOnly, SameSite=Strict, Path=/, Secure over https."""
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if https:
        parts.append("Secure")
    return "; ".join(parts)


def _clear_cookie(name: str, *, https: bool) -> str:
    return cookie_header(name, "", https=https, max_age=0)


def same_origin(request: Request) -> bool:
    """A state-changing request must come from a page of this app. Browsers say so in
    ``Sec-Fetch-Site`` (which must then be ``same-origin``); a client without it must name
    this host in ``Origin``. (With ``Referrer-Policy: no-referrer`` a browser's form post sends
    ``Origin: null``, so the fetch metadata is what a browser is judged by.)"""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return False
    return urlparse(origin).netloc == request.headers.get("host")


async def _form_fields(request: Request) -> dict[str, str]:
    """The fields of a small url-encoded form body (first value of each)."""
    body = await request.body()
    if len(body) > _MAX_BODY:
        return {}
    try:
        parsed = parse_qs(body.decode("latin-1"), max_num_fields=4)
    except ValueError:
        return {}
    return {name: values[0] for name, values in parsed.items() if values}


def _back_to_app(language: str | None = None) -> RedirectResponse:
    target = url("") + (f"?lang={language}" if language in auth.LANGUAGES else "")
    return RedirectResponse(target, status_code=303)


async def sign_in(request: Request) -> Response:
    """``POST /session/signin``: exchange a ticket for the session cookie, then to the app."""
    if not same_origin(request):
        return PlainTextResponse("Cross-origin sign-in refused.", status_code=403)
    fields = await _form_fields(request)
    browser = request.cookies.get(BROWSER_COOKIE)
    language = fields.get("lang")
    try:
        token = auth.redeem_signin_ticket(_store(), fields.get("ticket"), browser)
    except ServiceError:
        return _back_to_app(language)  # the sign-in form again
    response = _back_to_app(language)
    https = _is_https(request.url.scheme)
    max_age = int(auth.SESSION_MAX_AGE.total_seconds())
    response.headers.append(
        "set-cookie", cookie_header(SESSION_COOKIE, token, https=https, max_age=max_age)
    )
    return response


async def sign_out(request: Request) -> Response:
    """``POST /session/signout``: revoke the session (on every replica) and clear the cookie."""
    if not same_origin(request):
        return PlainTextResponse("Cross-origin sign-out refused.", status_code=403)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            auth.revoke_session(_store(), token)
        except ServiceError:
            pass  # the cookie is cleared all the same
    response = _back_to_app()
    response.headers.append(
        "set-cookie", _clear_cookie(SESSION_COOKIE, https=_is_https(request.url.scheme))
    )
    return response


def routes() -> list[Route]:
    """The session routes (under ``server.baseUrlPath``)."""
    return [
        Route(url(SIGNIN_PATH), sign_in, methods=["POST"]),
        Route(url(SIGNOUT_PATH), sign_out, methods=["POST"]),
    ]


class SecurityHeadersMiddleware:
    """Pure ASGI middleware: security headers on every HTTP response, the pre-session cookie on
    HTML pages for a browser without one, and the session cookie cleared on Streamlit's OIDC
    logout. WebSocket and lifespan traffic passes untouched."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = {}
        for name, value in scope.get("headers", ()):
            if name == b"cookie":
                cookies.update(cookie_parser(value.decode("latin-1")))
        https = _is_https(scope.get("scheme", "http"))
        logout = scope.get("path", "") == url(OIDC_LOGOUT_PATH)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("strict-transport-security", HSTS)
                html = headers.get("content-type", "").startswith("text/html")
                if html and scope.get("method") == "GET" and not cookies.get(BROWSER_COOKIE):
                    value = secrets.token_urlsafe(32)
                    headers.append("set-cookie", cookie_header(BROWSER_COOKIE, value, https=https))
                if logout:
                    headers.append("set-cookie", _clear_cookie(SESSION_COOKIE, https=https))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def parse_set_cookie(value: str) -> SimpleCookie:
    """A ``Set-Cookie`` header parsed (for tests and diagnostics)."""
    cookie = SimpleCookie()
    cookie.load(value)
    return cookie
