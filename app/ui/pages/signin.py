"""Sign in with a local account (or the configured identity provider), or register an SME.

A correct password (or identity) does not sign this page in by itself: ``session.sign_in``
hands a single-use ticket to the browser, which exchanges it for the session cookie."""

from __future__ import annotations

import streamlit as st

from app.services import auth
from app.services.errors import ServiceError
from app.ui import keys, resources, session, shell
from app.ui.i18n import _, render

st.title(_("MVO passport"))
st.caption(_("Self-assessment of corporate social responsibility for Flemish SMEs."))

if session.current_principal() is not None:
    st.switch_page(shell.home_page(session.current_principal().role))

session.clear_cookie_after_sign_out()
if st.session_state.pop(keys.REFUSED_PAGE, False):
    st.info(_("Please sign in to see this page."), icon=":material/lock:")

signin_tab, register_tab = st.tabs([_("Sign in"), _("Register")])

with signin_tab, st.form("signin", border=True):
    email = st.text_input(_("E-mail address"), key="signin:email", autocomplete="username")
    password = st.text_input(
        _("Password"), type="password", key="signin:password", autocomplete="current-password"
    )
    if st.form_submit_button(_("Sign in"), type="primary"):
        try:
            principal = auth.authenticate(resources.store(), email, password)
        except ServiceError as error:
            st.error(render(error), icon=":material/error:")
        else:
            session.sign_in(principal)

with signin_tab:
    if session.oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            try:
                # A missing ``email_verified`` claim is "not verified" (auth.email_is_verified).
                principal = auth.user_for_identity(
                    resources.store(),
                    st.user.get("email"),
                    email_verified=st.user.get("email_verified"),
                )
            except ServiceError as error:
                st.error(render(error))
            else:
                session.sign_in(principal)
        st.button(_("Sign in with your organisation's account"), on_click=st.login)

with register_tab:
    from app.ui.registration import registration_form

    registration_form()
