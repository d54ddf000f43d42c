"""The session credential in a real browser (Chromium through Playwright, the app served by
``streamlit run app/server.py`` on a fresh demo database).

A copied URL signs nobody in; no URL (address bar, history, any request) ever carries a
credential; a sign-in ticket taken from another browser, or posted from another site, does
not sign the victim in (login CSRF); the session cookie is HttpOnly and SameSite=Strict;
sign-out clears it and revokes it on the server; the security headers are set.
"""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import parse_qs

import pytest
from test_e2e_browser import CHROMIUM, TIMEOUT_MS, _require_chromium, _settle

from app.devserver import demo_environment, serve
from app.web import BROWSER_COOKIE, SESSION_COOKIE

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

SIGNED_IN = re.compile("Aangemeld als")


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    _require_chromium()
    env = demo_environment(tmp_path_factory.mktemp("e2e-sessions"))
    with serve(env) as app:
        yield app.base


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def _page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def _fill_sign_in(page, base: str, email: str = "kmo@demo.be") -> None:
    page.goto(base)
    _settle(page)
    page.get_by_label("E-mailadres").first.fill(email)
    page.get_by_label("Wachtwoord", exact=True).first.fill("demo")
    page.get_by_role("button", name="Aanmelden").first.click()


def _sign_in(page, base: str, email: str = "kmo@demo.be") -> None:
    _fill_sign_in(page, base, email)
    page.get_by_text(SIGNED_IN).first.wait_for()
    _settle(page)


def _shows_sign_in_form(page) -> bool:
    """Signed out: the sign-in form, or a page's "please sign in" (and nobody named)."""
    page.locator(
        'input[aria-label="E-mailadres"], :text("Meld u aan om deze pagina te zien.")'
    ).first.wait_for()
    return page.get_by_text(SIGNED_IN).count() == 0


def _cookie(context, name: str) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == name), None)


def test_a_copied_url_should_sign_nobody_in(served_app, browser):
    context, page = _page(browser)
    _sign_in(page, served_app)
    page.get_by_role("button", name="Vragenlijst openen").click()
    page.wait_for_url(re.compile("vragenlijst"))
    _settle(page)
    copied = page.url
    other, fresh = _page(browser)
    fresh.goto(copied)
    _settle(fresh)
    assert _shows_sign_in_form(fresh), f"{copied} signed a fresh browser in"
    context.close()
    other.close()


def test_no_url_should_ever_carry_a_credential(served_app, browser):
    context, page = _page(browser)
    requested: list[str] = []
    posted: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "request",
        lambda request: (
            posted.append(request.post_data or "")
            if request.url.endswith("/session/signin")
            else None
        ),
    )
    _sign_in(page, served_app)
    page.get_by_role("button", name="Vragenlijst openen").click()
    page.wait_for_url(re.compile("vragenlijst"))
    _settle(page)
    session = _cookie(context, SESSION_COOKIE)["value"]
    [body] = posted
    ticket = parse_qs(body)["ticket"][0]
    history = page.evaluate("history.length")
    page.go_back()
    _settle(page)
    visited = [page.url, *requested]
    for url in visited:
        assert session not in url and ticket not in url, url
        assert not re.search(r"[?&](session|ticket|token)=", url), url
    assert history >= 2
    context.close()


def test_a_ticket_from_another_browser_should_not_sign_the_victim_in(served_app, browser):
    """Login CSRF: the attacker signs in to its own account, keeps the ticket instead of
    using it, and makes the victim's browser post it. Bound to the attacker's browser, it is
    refused; posted from another site it is refused before that."""
    attacker, attacker_page = _page(browser)
    stolen: list[str] = []

    def keep_ticket(route):
        stolen.append(parse_qs(route.request.post_data or "")["ticket"][0])
        route.abort()

    attacker_page.route("**/session/signin", keep_ticket)
    _fill_sign_in(attacker_page, served_app, "federatie@demo.be")
    attacker_page.wait_for_timeout(500)
    for _ in range(60):
        if stolen:
            break
        attacker_page.wait_for_timeout(250)
    [ticket] = stolen

    victim, victim_page = _page(browser)
    victim_page.goto(served_app)  # the victim uses the app: it has its own pre-session cookie
    _settle(victim_page)
    assert _cookie(victim, BROWSER_COOKIE) is not None
    # 1. a page on another site posts the ticket to the app
    victim_page.goto("about:blank")
    victim_page.set_content(
        f'<form id="f" method="post" action="{served_app}/session/signin">'
        f'<input name="ticket" value="{ticket}"></form>'
    )
    with victim_page.expect_navigation():
        victim_page.evaluate("document.getElementById('f').submit()")
    assert _cookie(victim, SESSION_COOKIE) is None
    # 2. even from the app's own origin, the ticket belongs to the attacker's browser
    victim_page.goto(served_app)
    _settle(victim_page)
    with victim_page.expect_navigation():
        victim_page.evaluate(
            """ticket => { const f = document.createElement('form'); f.method = 'post';
            f.action = '/session/signin'; const i = document.createElement('input');
            i.name = 'ticket'; i.value = ticket; f.appendChild(i); document.body.appendChild(f);
            f.submit(); }""",
            ticket,
        )
    _settle(victim_page)
    assert _cookie(victim, SESSION_COOKIE) is None
    assert _shows_sign_in_form(victim_page)
    attacker.close()
    victim.close()


def test_the_session_cookie_should_be_httponly_and_samesite_strict(served_app, browser):
    context, page = _page(browser)
    _sign_in(page, served_app)
    cookie = _cookie(context, SESSION_COOKIE)
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    assert SESSION_COOKIE not in page.evaluate("document.cookie")  # no script can read it
    browser_cookie = _cookie(context, BROWSER_COOKIE)
    assert browser_cookie["httpOnly"] is True and browser_cookie["sameSite"] == "Strict"
    context.close()


def test_sign_out_should_clear_the_cookie_and_revoke_the_session(served_app, browser):
    context, page = _page(browser)
    _sign_in(page, served_app)
    token = _cookie(context, SESSION_COOKIE)["value"]
    page.get_by_role("button", name="Afmelden").click()
    page.get_by_label("E-mailadres").first.wait_for()
    _settle(page)
    assert _cookie(context, SESSION_COOKIE) is None
    # a copy of the old cookie (stolen before sign-out) is dead on the server too
    thief, thief_page = _page(browser)
    host = served_app.split("//", 1)[1].split(":")[0]
    thief.add_cookies([{"name": SESSION_COOKIE, "value": token, "domain": host, "path": "/"}])
    thief_page.goto(served_app)
    _settle(thief_page)
    assert _shows_sign_in_form(thief_page)
    context.close()
    thief.close()


@pytest.mark.parametrize("path", ["/", "/vragenlijst", "/_stcore/health"])
def test_every_response_should_carry_the_security_headers(served_app, path):
    with urllib.request.urlopen(served_app + path, timeout=10) as response:
        headers = {name.lower(): value for name, value in response.headers.items()}
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_the_session_routes_should_refuse_a_cross_site_post(served_app):
    for route in ("/session/signin", "/session/signout"):
        request = urllib.request.Request(
            served_app + route,
            data=b"ticket=x",
            method="POST",
            headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403
