"""The SME registration form: account, organisation (KBO checked on entry), NACE -> proposed
sector profile, FTE, municipality and the consent to be named to the federation.

The KBO number of an organisation a federation imported becomes a pending claim (the form
says so as soon as the number is typed): the account is created and signed in, but sees
nothing of that organisation until a federation or an admin approves. The KBO number of an
organisation with an account of its own is refused before anything is created: a colleague
registered it, and that colleague or the admin gives access.

One service call (``organisations.sign_up_with_organisation``) checks every field before it
writes anything; a refusal leaves nothing behind, and the widgets keep what was typed (their
keys live in the session state), so the user corrects one field and sends again."""

from __future__ import annotations

import streamlit as st

from app.kbo import display as kbo_display
from app.services import organisations
from app.services.errors import ServiceError
from app.ui import resources, session
from app.ui.choices import keep
from app.ui.i18n import _, render, text

PREFIX = "register:"


def proposed_profile(nace: str) -> str | None:
    """The sector profile proposed for ``nace`` (the rule is ``organisations.propose_profile``)."""
    return organisations.propose_profile(resources.store().catalogue, nace)


def _organisation_fields() -> dict:
    """The organisation part of the form (checked by the service when it is sent)."""
    profiles = resources.store().catalogue.profiles
    name = st.text_input(_("Organisation name"), key=PREFIX + "name")
    kbo = st.text_input(
        _("KBO number (enterprise number)"), key=PREFIX + "kbo", placeholder="0403.019.261"
    )
    if kbo:
        try:
            checked = organisations.check_registration_kbo(resources.store(), kbo)
        except ServiceError as error:
            st.error(render(error), icon=":material/error:")
        else:
            if checked.claim:
                st.info(
                    _(
                        "KBO number {number} is known: your federation entered data for this "
                        "organisation. You can register, but you get access to that data only "
                        "after your federation or the administrator approves your request."
                    ).format(number=kbo_display(checked.number)),
                    icon=":material/hourglass_top:",
                )
            else:
                st.success(
                    _("KBO number {number} is valid.").format(number=kbo_display(checked.number)),
                    icon=":material/check:",
                )
    nace = st.text_input(
        _("NACE-BEL code of your main activity"), key=PREFIX + "nace", placeholder="41.001"
    ).strip()
    proposal = proposed_profile(nace)
    ids = sorted(profiles)
    if proposal is not None:
        st.info(_("Proposed sector passport: {name}").format(name=text(profiles[proposal].name)))
    if st.session_state.get(PREFIX + "nace_seen") != nace:
        st.session_state[PREFIX + "nace_seen"] = nace
        if proposal in ids:
            st.session_state[PREFIX + "profile"] = proposal
    keep(PREFIX + "profile", ids)
    profile = st.selectbox(
        _("Sector passport"),
        ids,
        index=None,
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
    return {
        "kbo": kbo,
        "name": name,
        "profile": profile,
        "nace": nace or None,
        "fte": fte,
        "municipality": municipality or None,
        "consent_named": consent,
    }


def organisation_form(principal) -> None:
    """Register the organisation of a signed-in SME user who has none yet."""
    details = _organisation_fields()
    if st.button(_("Register"), type="primary", key=PREFIX + "submit"):
        try:
            organisations.register_or_claim(resources.store(), principal, **details)
        except ServiceError as error:
            st.error(render(error), icon=":material/error:")
        else:
            # The session reads the user afresh: linked at once, or the claim waits.
            st.rerun()


def registration_form() -> None:
    """A new account and its organisation; on success the new user is signed in."""
    email = st.text_input(_("E-mail address"), key=PREFIX + "email", autocomplete="email")
    password = st.text_input(
        _("Password (at least 8 characters)"),
        type="password",
        key=PREFIX + "password",
        autocomplete="new-password",
    )
    repeat = st.text_input(
        _("Repeat the password"),
        type="password",
        key=PREFIX + "password_repeat",
        autocomplete="new-password",
    )
    details = _organisation_fields()
    if st.button(_("Register"), type="primary", key=PREFIX + "submit"):
        try:
            principal, _registration = organisations.sign_up_with_organisation(
                resources.store(), email, password, password_repeat=repeat, **details
            )
        except ServiceError as error:
            st.error(render(error), icon=":material/error:")
            return
        session.sign_in(principal)
