"""The SME registration form: account, organisation (KBO checked on entry), NACE -> proposed
sector profile, FTE, municipality and the consent to be named to the federation."""

from __future__ import annotations

import streamlit as st

from app.services import auth, organisations
from app.services.errors import ServiceError
from app.ui import resources, session
from app.ui.i18n import _, text

PREFIX = "register:"


def proposed_profile(nace: str) -> str | None:
    """The sector profile the services propose for a NACE-BEL code (None when none fits)."""
    propose = getattr(organisations, "propose_profile", None)
    if propose is None or not nace:
        return None
    try:
        return propose(resources.store(), nace)
    except ServiceError:
        return None


def registration_form() -> None:
    """Draw the registration form; on success the new user is signed in."""
    store = resources.store()
    profiles = store.catalogue.profiles
    email = st.text_input(_("E-mail address"), key=PREFIX + "email")
    password = st.text_input(
        _("Password (at least 8 characters)"), type="password", key=PREFIX + "password"
    )
    name = st.text_input(_("Organisation name"), key=PREFIX + "name")
    kbo = st.text_input(
        _("KBO number (enterprise number)"), key=PREFIX + "kbo", placeholder="0403.019.261"
    )
    kbo_ok = False
    if kbo:
        try:
            normalised = organisations.check_kbo(kbo)
        except ServiceError as error:
            st.error(str(error), icon=":material/error:")
        else:
            kbo_ok = True
            st.success(
                _("KBO number {number} is valid.").format(number=normalised),
                icon=":material/check:",
            )
    nace = st.text_input(
        _("NACE-BEL code of your main activity"), key=PREFIX + "nace", placeholder="41.001"
    )
    proposal = proposed_profile(nace.strip())
    ids = sorted(profiles)
    if proposal is not None:
        st.info(_("Proposed sector passport: {name}").format(name=text(profiles[proposal].name)))
    profile = st.selectbox(
        _("Sector passport"),
        ids,
        index=ids.index(proposal) if proposal in ids else None,
        format_func=lambda pid: text(profiles[pid].name),
        key=PREFIX + "profile",
        placeholder=_("Choose a sector"),
    )
    fte = st.number_input(
        _("Employees (FTE)"),
        min_value=0.0,
        max_value=100000.0,
        value=None,
        step=1.0,
        key=PREFIX + "fte",
    )
    municipality = st.text_input(_("Municipality"), key=PREFIX + "municipality")
    consent = st.checkbox(
        _("My federation may show our name beside our results in its benchmark"),
        key=PREFIX + "consent",
    )
    if st.button(_("Register"), type="primary", disabled=not kbo_ok, key=PREFIX + "submit"):
        try:
            principal = auth.sign_up(store, email, password)
            organisations.register_organisation(
                store,
                principal,
                kbo=kbo,
                name=name,
                profile=profile,
                nace=nace.strip() or None,
                fte=fte,
                municipality=municipality or None,
                consent_named=consent,
            )
            principal = auth.get_principal(store, principal.user_id)
        except ServiceError as error:
            st.error(str(error), icon=":material/error:")
        else:
            session.sign_in(principal)
            st.rerun()
