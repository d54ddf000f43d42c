"""The browser session: who is signed in, in which language, and the page guard.

The credential is the HttpOnly ``mvo_session`` cookie, set and cleared only by the server
routes of ``app.web`` (see there for the sign-in flow); no credential ever travels in a URL.
Every run reads the cookie from ``st.context.cookies`` and resolves it against the database
(``auth.resolve_session``): a revoked session or a deactivated user is signed out of an open
browser tab at its next click, and a changed role takes effect at once. Widget callbacks, which
run before the script, ask ``verified_principal`` again before they write.

Signing in hands the principal to the browser through a single-use ticket bound to this
browser's pre-session cookie, posted (in a form body) to ``/session/signin``. Signing out
revokes the server session, calls ``st.logout()`` where OpenID Connect is configured, and
posts to ``/session/signout``, which clears the cookie.

The language chosen while signed in is kept in the user's profile (``auth.set_language``) and
applied at the next sign-in.

OpenID Connect sign-in through ``st.login`` is offered only where ``.streamlit/secrets.toml``
configures an ``[auth]`` section; local accounts always work.
"""

from __future__ import annotations

import html

import streamlit as st

from app import web
from app.services import auth
from app.services.errors import ServiceError
from app.ui import keys, resources
from app.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, render

SIGNIN_PAGE = "ui/pages/signin.py"
ROLE_NAMES = {
    "sme": N_("SME"),
    "federation": N_("Federation"),
    "department": N_("Department"),
    "admin": N_("Administrator"),
}
#: What belongs to the signed-in user (cleared at sign-in).
_USER_STATE = (
    keys.ASSESSMENT_ID,
    keys.ANSWERS,
    keys.ASSESSMENT_VERSION,
    keys.CURRENT_SECTION,
    keys.SAVE_STATUS,
    keys.INVALID,
    keys.CONFIRM_SUBMIT,
    keys.BATCH_RESULT,
)


# --------------------------------------------------------------------------- principal
def _browser_cookies() -> dict[str, str]:
    """The cookies the browser sent with this session's WebSocket handshake.

    Tests replace this one function (AppTest has no browser to send cookies); nothing in
    production can, since the cookies come from the browser's own request."""
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no client (a bare script run): no cookies
        return {}


def _session_token() -> str | None:
    return _browser_cookies().get(web.SESSION_COOKIE) or None


def current_principal():
    """The signed-in ``Principal`` of this run (resolved at its start), or None."""
    return st.session_state.get(keys.USER)


def verified_principal():
    """The principal as the database sees it *now* (session not revoked, user active), or None.

    For widget callbacks: they run before the script's ``restore``, with what the page drew
    earlier, so a write must not trust the principal remembered in the session state."""
    token = _session_token()
    if token is None:
        return None
    try:
        return auth.resolve_session(resources.store(), token)
    except ServiceError:
        return None


def oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` configures an identity provider (``[auth]``)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets.toml: local accounts only
        return False


def _post_to(path: str, fields: dict[str, str], label: str) -> None:
    """Make the browser POST ``fields`` to the app's route ``path`` (a form body, never a
    URL), at once by script, else by the button."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in fields.items()
    )
    st.html(
        f'<form id="mvo-post" method="post" action="{html.escape(web.url(path))}">'
        f'{inputs}<button type="submit">{html.escape(label)}</button></form>'
        '<script>document.getElementById("mvo-post").submit();</script>',
        unsafe_allow_javascript=True,
    )


def sign_in(principal) -> None:
    """Hand ``principal`` (just authenticated) to this browser: a single-use ticket bound to
    the browser's pre-session cookie, posted to ``/session/signin``, which sets the session
    cookie and reloads the app. Stops the run here."""
    try:
        ticket = auth.issue_signin_ticket(
            resources.store(), principal, _browser_cookies().get(web.BROWSER_COOKIE)
        )
    except ServiceError as error:
        st.error(render(error), icon=":material/error:")
        st.stop()
    for key in _USER_STATE:
        st.session_state.pop(key, None)
    kept = auth.get_language(resources.store(), principal)
    if kept in LANGUAGES:
        st.session_state[keys.LANGUAGE] = kept
    st.info(_("Signing in ..."), icon=":material/login:")
    _post_to(web.SIGNIN_PATH, {"ticket": ticket, "lang": language()}, _("Continue"))
    st.stop()


def sign_out() -> None:
    """Revoke the session (it no longer signs anybody in, on any replica), forget the user in
    this browser session and go to the sign-in page, which clears the cookie
    (``clear_cookie_after_sign_out``; at the identity provider too where one is configured).
    Stops the run here.

    Going to the sign-in page first means the visitor sees the sign-in form whatever page
    they signed out on, even before (or without) the browser's post to ``/session/signout``."""
    token = _session_token()
    if token:
        auth.revoke_session(resources.store(), token)
    _forget_user()
    st.session_state[keys.SIGNED_OUT] = True
    st.switch_page(SIGNIN_PAGE)


def clear_cookie_after_sign_out() -> None:
    """On the sign-in page after a sign-out: say so, and have the browser clear the cookie
    (``st.logout()`` where OpenID Connect is configured, else ``POST /session/signout``)."""
    if not st.session_state.pop(keys.SIGNED_OUT, False):
        return
    st.success(_("You are signed out."), icon=":material/logout:")
    if oidc_configured():
        st.logout()  # to Streamlit's /auth/logout, which also clears the session cookie
        st.stop()
    with st.container(height=1, border=False):
        _post_to(web.SIGNOUT_PATH, {}, _("Sign out"))


def _forget_user() -> None:
    chosen = language()
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[keys.LANGUAGE] = chosen
    for name in (keys.QP_SESSION, keys.QP_ASSESSMENT):
        if name in st.query_params:
            del st.query_params[name]


def restore() -> None:
    """At the start of every run: the language from the URL (first run), and the user from the
    session cookie, checked against the database each time."""
    if keys.LANGUAGE not in st.session_state:
        wanted = st.query_params.get(keys.QP_LANGUAGE)
        st.session_state[keys.LANGUAGE] = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE
    if keys.QP_SESSION in st.query_params:
        del st.query_params[keys.QP_SESSION]  # an old link's token: never read, never kept
    signed_in = current_principal()
    principal = verified_principal()
    if principal is None:
        if signed_in is not None:
            _forget_user()  # revoked, expired or deactivated: signed out here too
        return
    st.session_state[keys.USER] = principal
    if signed_in is None:
        # A new browser session (after sign-in, a reload or a new tab): the services check on
        # every read that the assessment is the user's own. The URL's language wins (it is the
        # latest choice), else the profile's.
        wanted = str(st.query_params.get(keys.QP_ASSESSMENT, ""))
        if wanted.isdigit() and keys.ASSESSMENT_ID not in st.session_state:
            st.session_state[keys.ASSESSMENT_ID] = int(wanted)
        if st.query_params.get(keys.QP_LANGUAGE) not in LANGUAGES:
            kept = auth.get_language(resources.store(), principal)
            if kept in LANGUAGES:
                st.session_state[keys.LANGUAGE] = kept


def mirror_to_url() -> None:
    """Keep ``lang`` and the open assessment in the URL, so that a reload (or a bookmark)
    restores them. Never a credential: the session is the cookie."""
    wanted = {keys.QP_LANGUAGE: language()}
    if current_principal() is not None and st.session_state.get(keys.ASSESSMENT_ID) is not None:
        wanted[keys.QP_ASSESSMENT] = str(st.session_state[keys.ASSESSMENT_ID])
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


# --------------------------------------------------------------------------- language
def language() -> str:
    value = st.session_state.get(keys.LANGUAGE, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def set_language(value: str) -> None:
    """Switch the interface language; remembered in the session, the ``lang`` query parameter
    and, when signed in, the user's profile (applied at the next sign-in)."""
    if value not in LANGUAGES:
        return
    st.session_state[keys.LANGUAGE] = value
    principal = verified_principal() if current_principal() is not None else None
    if principal is not None and principal.user_id is not None:
        try:
            auth.set_language(resources.store(), principal, value)
        except ServiceError:
            pass  # the choice still holds for this session and the URL


# --------------------------------------------------------------------------- guard
def require(*roles: str):
    """The page guard: the principal when their role may see this page, else a refusal
    (and the page stops here, before any data is read)."""
    principal = current_principal()
    if principal is None:
        # Never a dead end: the sign-in form, with a word on why.
        st.session_state[keys.REFUSED_PAGE] = True
        st.switch_page(SIGNIN_PAGE)
    if principal.role not in roles:
        st.error(
            _("Access denied: this page is not available for your role ({role}).").format(
                role=_(ROLE_NAMES.get(principal.role, principal.role))
            ),
            icon=":material/block:",
        )
        st.stop()
    return principal
