"""The browser session: who is signed in, in which language, and the page guard.

A signed-in session carries the services' ``Principal`` in ``st.session_state``. So that a
reload (or a link opened in a new tab) keeps the user signed in, the session's token is mirrored
into the ``session`` query parameter. The token is a server-side session in the database
(``auth.create_session``): random, stored only as its sha256, shared by every app replica on
the same database, revoked by signing out, by deactivation and by a new password. It is checked
on every run (``auth.resolve_session``), so a revoked session or a deactivated user is signed
out of an open browser tab at its next click, and a changed role takes effect at once.

The language chosen while signed in is kept in the user's profile (``auth.set_language``) and
applied at the next sign-in.

OpenID Connect sign-in through ``st.login`` is offered only where ``.streamlit/secrets.toml``
configures an ``[auth]`` section; local accounts always work.
"""

from __future__ import annotations

import streamlit as st

from app.services import auth
from app.services.errors import ServiceError
from app.ui import keys, resources
from app.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _

ROLE_NAMES = {
    "sme": N_("SME"),
    "federation": N_("Federation"),
    "department": N_("Department"),
    "admin": N_("Administrator"),
}
#: What belongs to the signed-in user (cleared at sign-in, besides the user and token).
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
def current_principal():
    """The signed-in ``Principal``, or None."""
    return st.session_state.get(keys.USER)


def sign_in(principal) -> None:
    """Remember ``principal`` in this session with a new server-side session token, and apply
    the language kept in the user's profile (else the language chosen before signing in
    stays)."""
    store = resources.store()
    token = auth.create_session(store, principal.user_id)
    st.session_state[keys.USER] = principal
    st.session_state[keys.SESSION_TOKEN] = token
    for key in _USER_STATE:
        st.session_state.pop(key, None)
    kept = auth.get_language(store, principal)
    if kept in LANGUAGES:
        st.session_state[keys.LANGUAGE] = kept


def sign_out() -> None:
    """Revoke the session token (it no longer signs anybody in, on any replica) and forget the
    user (and everything of theirs) in this browser session."""
    token = st.session_state.get(keys.SESSION_TOKEN) or st.query_params.get(keys.QP_SESSION)
    if token:
        auth.revoke_session(resources.store(), token)
    _forget_user()


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
    session token, checked against the database each time."""
    if keys.LANGUAGE not in st.session_state:
        wanted = st.query_params.get(keys.QP_LANGUAGE)
        st.session_state[keys.LANGUAGE] = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE
    signed_in = current_principal()
    token = st.session_state.get(keys.SESSION_TOKEN) or st.query_params.get(keys.QP_SESSION)
    if not token:
        return
    try:
        principal = auth.resolve_session(resources.store(), token)
    except ServiceError:
        principal = None
    if principal is None:
        if signed_in is not None or keys.QP_SESSION in st.query_params:
            _forget_user()  # revoked, expired or deactivated: signed out here too
        return
    st.session_state[keys.USER] = principal
    st.session_state[keys.SESSION_TOKEN] = token
    if signed_in is None:
        # A reload or a new tab: the services check on every read that the assessment is the
        # user's own. The URL's language wins (it is the latest choice), else the profile's.
        wanted = str(st.query_params.get(keys.QP_ASSESSMENT, ""))
        if wanted.isdigit() and keys.ASSESSMENT_ID not in st.session_state:
            st.session_state[keys.ASSESSMENT_ID] = int(wanted)
        if st.query_params.get(keys.QP_LANGUAGE) not in LANGUAGES:
            kept = auth.get_language(resources.store(), principal)
            if kept in LANGUAGES:
                st.session_state[keys.LANGUAGE] = kept


def mirror_to_url() -> None:
    """Keep ``lang``, ``session`` and the open assessment in the URL, so that a reload (or
    a bookmark) restores them."""
    wanted = {keys.QP_LANGUAGE: language()}
    token = st.session_state.get(keys.SESSION_TOKEN)
    if token and current_principal() is not None:
        wanted[keys.QP_SESSION] = token
        if st.session_state.get(keys.ASSESSMENT_ID) is not None:
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
    principal = current_principal()
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
        st.warning(_("Please sign in to see this page."), icon=":material/lock:")
        st.stop()
    if principal.role not in roles:
        st.error(
            _("Access denied: this page is not available for your role ({role}).").format(
                role=_(ROLE_NAMES.get(principal.role, principal.role))
            ),
            icon=":material/block:",
        )
        st.stop()
    return principal
