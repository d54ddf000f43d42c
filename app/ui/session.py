"""The browser session: who is signed in, in which language, and the page guard.

A signed-in session carries the services' ``Principal`` in ``st.session_state``. So that a
reload (or a link opened in a new tab) keeps the user signed in, the session is mirrored into
the ``session`` query parameter as a signed token ``<user id>.<issued>.<hmac>``; the secret is
``MVO_SESSION_SECRET`` (or ``session_secret`` in ``.streamlit/secrets.toml``), else a random one
per server process (tokens then end with the process). A token is only a pointer: the user is
reloaded from the store on restore, so a deactivated user or a changed role takes effect.

OpenID Connect sign-in through ``st.login`` is offered only where ``.streamlit/secrets.toml``
configures an ``[auth]`` section; local accounts always work.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time

import streamlit as st

from app.ui import keys
from app.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _

TOKEN_LIFETIME_S = 12 * 3600
ROLE_NAMES = {
    "sme": N_("SME"),
    "federation": N_("Federation"),
    "department": N_("Department"),
    "admin": N_("Administrator"),
}


# --------------------------------------------------------------------------- token
@st.cache_resource(show_spinner=False)
def _process_secret() -> bytes:
    return secrets.token_bytes(32)


def _secret() -> bytes:
    configured = os.environ.get("MVO_SESSION_SECRET")
    if not configured:
        try:
            configured = st.secrets.get("session_secret")
        except Exception:  # no secrets.toml: that is fine
            configured = None
    return configured.encode() if configured else _process_secret()


def _sign(payload: str) -> str:
    return hmac.new(_secret(), payload.encode(), hashlib.sha256).hexdigest()[:32]


def make_token(user_id: int, issued: int | None = None) -> str:
    """A signed token naming the user (no password, no role: those are reloaded)."""
    payload = f"{user_id}.{issued if issued is not None else int(time.time())}"
    return f"{payload}.{_sign(payload)}"


def read_token(token: str) -> int | None:
    """The user id of a valid, unexpired token, else None."""
    try:
        user_id, issued, signature = token.split(".")
        payload = f"{user_id}.{issued}"
        if not hmac.compare_digest(signature, _sign(payload)):
            return None
        if time.time() - int(issued) > TOKEN_LIFETIME_S:
            return None
        return int(user_id)
    except (ValueError, AttributeError):
        return None


# --------------------------------------------------------------------------- principal
def current_principal():
    """The signed-in ``Principal``, or None."""
    return st.session_state.get(keys.USER)


def sign_in(principal) -> None:
    """Remember ``principal`` in this session (the language chosen before signing in stays)."""
    st.session_state[keys.USER] = principal
    st.session_state[keys.SESSION_TOKEN] = make_token(principal.user_id)
    for key in (
        keys.ASSESSMENT_ID,
        keys.ANSWERS,
        keys.ASSESSMENT_VERSION,
        keys.CURRENT_SECTION,
        keys.SAVE_STATUS,
        keys.INVALID,
        keys.CONFIRM_SUBMIT,
        keys.BATCH_RESULT,
    ):
        st.session_state.pop(key, None)


def sign_out() -> None:
    """Forget the user (and everything of theirs) in this session."""
    chosen = language()
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[keys.LANGUAGE] = chosen
    for name in (keys.QP_SESSION, keys.QP_ASSESSMENT):
        if name in st.query_params:
            del st.query_params[name]


def restore() -> None:
    """At the start of a run: language from the URL, the user from the session token."""
    if keys.LANGUAGE not in st.session_state:
        wanted = st.query_params.get(keys.QP_LANGUAGE)
        st.session_state[keys.LANGUAGE] = wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE
    if current_principal() is None:
        token = st.query_params.get(keys.QP_SESSION)
        user_id = read_token(token) if token else None
        if user_id is not None:
            from app.ui import backend

            principal = backend.principal_for_user(user_id)
            if principal is not None:
                st.session_state[keys.USER] = principal
                st.session_state[keys.SESSION_TOKEN] = token
                # the services check on every read that the assessment is the user's own
                wanted = str(st.query_params.get(keys.QP_ASSESSMENT, ""))
                if wanted.isdigit() and keys.ASSESSMENT_ID not in st.session_state:
                    st.session_state[keys.ASSESSMENT_ID] = int(wanted)


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
    """Switch the interface language; remembered in the session and the ``lang`` query
    parameter (the store has no language field in the user's profile yet)."""
    st.session_state[keys.LANGUAGE] = value


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
