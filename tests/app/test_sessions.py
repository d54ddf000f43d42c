"""AppTest of the server-side session: the ``session`` query parameter signs a reload in, signing
out makes that token useless, an unknown token signs nobody in, a deactivated user is signed
out at the next run, and the language chosen while signed in is applied at the next sign-in."""

from __future__ import annotations

import pytest
from app_support import MAIN, signed_in_app
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow


def _token(at) -> str:
    value = at.query_params["session"]
    return value[0] if isinstance(value, list) else value


def _reload(token: str, **params: str):
    """A new browser session (a reload) opening the app with ``?session=<token>``."""
    at = AppTest.from_file(str(MAIN), default_timeout=30)
    at.query_params["session"] = token
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


def _signed_in_email(at) -> str | None:
    user = at.session_state["ui:user"] if "ui:user" in at.session_state else None
    return user.email if user is not None else None


def test_a_reload_with_the_session_token_keeps_the_user_signed_in(seeded):
    at = signed_in_app("kmo@demo.be")
    again = _reload(_token(at))
    assert _signed_in_email(again) == "kmo@demo.be"
    assert again.button(key="home:open")  # the SME's start page, not the sign-in form


def test_signing_out_makes_the_token_useless(seeded):
    at = signed_in_app("kmo@demo.be")
    token = _token(at)
    assert _signed_in_email(_reload(token)) == "kmo@demo.be"  # valid before
    at.button(key="ui:signout").click().run()
    assert not at.exception
    assert "session" not in at.query_params
    reload = _reload(token)
    assert _signed_in_email(reload) is None
    assert reload.text_input(key="signin:email")  # the sign-in form
    assert "session" not in reload.query_params  # the dead token is dropped from the URL


def test_an_unknown_token_signs_nobody_in(seeded):
    at = _reload("bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtYnV0LWxvbmctZW5vdWdo")
    assert _signed_in_email(at) is None
    assert at.text_input(key="signin:email")


def test_an_old_style_signed_token_signs_nobody_in(seeded):
    at = _reload("1.1800000000.0123456789abcdef0123456789abcdef")
    assert _signed_in_email(at) is None


def test_a_deactivated_user_is_signed_out_at_the_next_run(seeded):
    from app.services import auth
    from app.services.principal import SYSTEM

    at = signed_in_app("kmo@demo.be")
    token = _token(at)
    [user] = [u for u in auth.list_users(seeded.store, SYSTEM) if u.email == "kmo@demo.be"]
    auth.set_active(seeded.store, SYSTEM, user.id, False)
    at.run()
    assert not at.exception
    assert _signed_in_email(at) is None
    assert _signed_in_email(_reload(token)) is None


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
    dutch = AppTest.from_file(str(MAIN), default_timeout=30).run()
    assert dutch.text_input(key="signin:email").label == "E-mailadres"  # before sign-in: nl
    dutch.text_input(key="signin:email").set_value("admin@demo.be")
    dutch.text_input(key="signin:password").set_value("demo")
    dutch.button[0].click().run()
    assert not dutch.exception
    assert dutch.query_params["lang"] in ("en", ["en"])  # the profile's language applied
