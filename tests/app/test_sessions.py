"""AppTest of the browser session: the session cookie signs a reload in, a token in the URL
signs nobody in (and is dropped), signing out revokes the cookie (and calls ``st.logout()``
where an identity provider is configured), an unknown cookie or another browser's ticket signs
nobody in, a deactivated user is signed out at the next run and their pending widget callback
writes nothing, and the language chosen while signed in is applied at the next sign-in.

The browser's cookies are the ``JAR`` of ``app_support`` (AppTest has no browser)."""

from __future__ import annotations

import pytest
from app_support import JAR, MAIN, complete_sign_in, open_app, posted_form, signed_in_app
from streamlit.testing.v1 import AppTest

from app.services import auth
from app.services.errors import AuthenticationFailed
from app.services.principal import SYSTEM
from app.web import BROWSER_COOKIE, SESSION_COOKIE, SIGNOUT_PATH

pytestmark = pytest.mark.slow


def _signed_in_email(at) -> str | None:
    user = at.session_state["ui:user"] if "ui:user" in at.session_state else None
    return user.email if user is not None else None


def _user_id(store, email: str) -> int:
    [user] = [u for u in auth.list_users(store, SYSTEM) if u.email == email]
    return user.id


def test_a_reload_with_the_session_cookie_keeps_the_user_signed_in(seeded):
    signed_in_app("kmo@demo.be")
    again = open_app()  # a reload: a new session, the cookie goes along
    assert _signed_in_email(again) == "kmo@demo.be"
    assert again.button(key="home:open")  # the SME's start page, not the sign-in form


def test_a_session_token_in_the_url_signs_nobody_in_and_is_dropped(seeded):
    """The old ``?session=`` link (a copied URL, or an attacker's link for login CSRF)."""
    token = auth.create_session(seeded.store, _user_id(seeded.store, "kmo@demo.be"))
    at = open_app(session=token)
    assert _signed_in_email(at) is None
    assert at.text_input(key="signin:email")
    assert "session" not in at.query_params


def test_the_url_never_carries_the_session(seeded):
    at = signed_in_app("kmo@demo.be")
    at.button(key="home:open").click().run()
    assert not at.exception
    # The section the user is in may be in the URL; a credential never is.
    assert set(at.query_params) <= {"lang", "beoordeling", "section"}
    values = [str(v) for v in at.query_params.values()]
    assert not any(JAR[SESSION_COOKIE] in value for value in values)


def test_signing_out_revokes_the_cookie_and_clears_it_through_the_route(seeded):
    at = signed_in_app("kmo@demo.be")
    token = JAR[SESSION_COOKIE]
    at.button(key="ui:signout").click().run()
    assert not at.exception
    assert "ui:user" not in at.session_state
    action, _fields = posted_form(at)
    assert action.endswith(SIGNOUT_PATH)  # the route that clears the cookie
    assert auth.resolve_session(seeded.store, token) is None  # revoked before that
    reload = open_app()  # even if the browser kept the cookie
    assert _signed_in_email(reload) is None
    assert reload.text_input(key="signin:email")


def test_sign_out_calls_st_logout_where_an_identity_provider_is_configured(seeded, monkeypatch):
    import streamlit as st

    from app.ui import session

    at = signed_in_app("kmo@demo.be")
    calls = []
    monkeypatch.setattr(session, "oidc_configured", lambda: True)
    monkeypatch.setattr(st, "logout", lambda: calls.append("logout"))
    at.button(key="ui:signout").click().run()
    assert not at.exception
    assert calls == ["logout"]
    assert auth.resolve_session(seeded.store, JAR[SESSION_COOKIE]) is None


def test_an_unknown_cookie_signs_nobody_in(seeded):
    JAR[SESSION_COOKIE] = "bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtYnV0LWxvbmctZW5vdWdo"
    at = open_app()
    assert _signed_in_email(at) is None
    assert at.text_input(key="signin:email")


def test_a_ticket_from_another_browser_signs_nobody_in(seeded):
    """Login CSRF: the attacker's ticket, posted from the victim's browser, is refused."""
    attacker = AppTest.from_file(str(MAIN), default_timeout=30).run()
    attacker.text_input(key="signin:email").set_value("federatie@demo.be")
    attacker.text_input(key="signin:password").set_value("demo")
    attacker.button[0].click().run()
    _action, fields = posted_form(attacker)
    JAR[BROWSER_COOKIE] = "the-victims-own-browser"
    with pytest.raises(AuthenticationFailed):
        complete_sign_in(attacker)
    assert SESSION_COOKIE not in JAR
    assert _signed_in_email(open_app()) is None
    assert fields["ticket"]


def test_a_deactivated_user_is_signed_out_at_the_next_run(seeded):
    at = signed_in_app("kmo@demo.be")
    token = JAR[SESSION_COOKIE]
    auth.set_active(seeded.store, SYSTEM, _user_id(seeded.store, "kmo@demo.be"), False)
    at.run()
    assert not at.exception
    assert _signed_in_email(at) is None
    assert auth.resolve_session(seeded.store, token) is None


def test_a_deactivated_users_pending_widget_callback_writes_nothing(seeded):
    """The callback runs before the script (and its session check): it must check itself."""
    from app.services import assessments

    at = signed_in_app("kmo@demo.be")
    at.button(key="home:open").click().run()
    assert not at.exception
    [summary] = [
        s
        for s in assessments.list_assessments(
            seeded.store, SYSTEM, organisation_id=seeded.sme_org_id
        )
        if s.status == "draft"
    ]
    before = assessments.get_assessment(seeded.store, SYSTEM, summary.id).answers
    auth.set_active(seeded.store, SYSTEM, _user_id(seeded.store, "kmo@demo.be"), False)
    at.radio(key="w:example:safety_policy").set_value(4).run()
    assert not at.exception
    after = assessments.get_assessment(seeded.store, SYSTEM, summary.id).answers
    assert after == before
    assert _signed_in_email(at) is None


def test_the_language_chosen_while_signed_in_is_applied_at_the_next_sign_in(seeded):
    at = signed_in_app("kmo@demo.be")
    at.radio(key="ui:language_toggle").set_value("en").run()
    assert not at.exception
    fresh = signed_in_app("kmo@demo.be")  # a new browser session, no lang in the URL
    assert not fresh.exception
    assert fresh.button(key="home:open").label == "Open questionnaire"
    assert fresh.query_params["lang"] in ("en", ["en"])
    other = signed_in_app("federatie@demo.be")  # another user keeps the default
    assert other.query_params["lang"] in ("nl", ["nl"])


def test_the_language_from_the_profile_survives_sign_out_and_a_new_sign_in(seeded):
    # (the admin page: AppTest cannot rerun a page whose format_func labels changed language)
    at = signed_in_app("admin@demo.be")
    at.radio(key="ui:language_toggle").set_value("en").run()
    assert not at.exception
    at.button(key="ui:signout").click().run()
    assert not at.exception
    assert at.session_state["ui:language"] == "en"  # the choice stays after sign-out
    JAR.pop(SESSION_COOKIE)  # what the sign-out route does
    dutch = AppTest.from_file(str(MAIN), default_timeout=30).run()
    assert dutch.text_input(key="signin:email").label == "E-mailadres"  # before sign-in: nl
    dutch.text_input(key="signin:email").set_value("admin@demo.be")
    dutch.text_input(key="signin:password").set_value("demo")
    dutch.button[0].click().run()
    assert not dutch.exception
    signed_in = complete_sign_in(dutch)
    assert signed_in.query_params["lang"] in ("en", ["en"])  # the profile's language applied
