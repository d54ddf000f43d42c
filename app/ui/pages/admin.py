"""Administration: the accounts and their roles, the claims on organisations that wait for
approval, and the loaded frameworks and sector profiles with their versions and any
validation problems."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.services import auth, claims
from app.services.errors import ServiceError
from app.ui import resources, session
from app.ui.i18n import _, render, text

principal = session.require("admin")
store = resources.store()
st.title(_("Administration"))

users_tab, claims_tab, catalogue_tab = st.tabs(
    [_("Users and roles"), _("Claims to approve"), _("Frameworks and profiles")]
)

with users_tab:
    try:
        users = auth.list_users(store, principal)
    except ServiceError as error:
        st.error(render(error))
        users = []
    st.dataframe(
        pd.DataFrame(
            [
                {
                    _("E-mail address"): u.email,
                    _("Role"): _(session.ROLE_NAMES.get(u.role, u.role)),
                    _("KBO number"): u.organisation_kbo or "",
                    _("Sectors"): ", ".join(u.sectors),
                    _("Active"): u.active,
                    _("Last sign-in"): u.last_login_at,
                }
                for u in users
            ]
        ),
        hide_index=True,
        key="admin:users",
    )
    st.caption(_("{n} accounts").format(n=len(users)))
    with st.expander(_("Activate or deactivate an account")):
        by_email = {u.email: u for u in users}
        chosen = st.selectbox(_("Account"), sorted(by_email), index=None, key="admin:user")
        if chosen is not None:
            user = by_email[chosen]
            label = _("Deactivate") if user.active else _("Activate")
            if st.button(label, key="admin:toggle_active"):
                try:
                    auth.set_active(store, principal, user.id, not user.active)
                except ServiceError as error:
                    st.error(render(error))
                else:
                    st.rerun()

with claims_tab:
    st.caption(
        _(
            "A new account registered a KBO number that already holds data. It sees nothing of "
            "that organisation until you approve."
        )
    )
    try:
        waiting = claims.pending_claims(store, principal)
    except ServiceError as error:
        st.error(render(error))
        waiting = []
    if not waiting:
        st.info(_("No claims wait for approval."), icon=":material/task_alt:")
    for claim in waiting:
        with st.container(border=True, key=f"admin:claim:{claim.id}"):
            st.text(  # plain text: names and e-mails are user input, never Markdown
                _("{email} asks to join {name} (KBO {kbo}, sector {sector})").format(
                    email=claim.claimant_email,
                    name=claim.organisation_name,
                    kbo=claim.kbo,
                    sector=claim.profile or "-",
                )
            )
            if claim.has_own_account:
                st.caption(_("This organisation already has its own account: check with it."))
            approve, reject = st.columns(2)
            decision = None
            if approve.button(_("Approve"), key=f"admin:claim:{claim.id}:approve", type="primary"):
                decision = True
            if reject.button(_("Reject"), key=f"admin:claim:{claim.id}:reject"):
                decision = False
            if decision is not None:
                try:
                    claims.decide_claim(store, principal, claim.id, decision)
                except ServiceError as error:
                    st.error(render(error))
                else:
                    st.rerun()

with catalogue_tab:
    catalogue = store.catalogue
    st.subheader(_("Frameworks"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": fw.id,
                    _("Title"): text(fw.title),
                    _("Version"): fw.version,
                    _("Sections"): len(fw.sections),
                    _("Questions"): len(fw.questions),
                }
                for fw in catalogue.frameworks.values()
            ]
        ),
        hide_index=True,
        key="admin:frameworks",
    )
    st.subheader(_("Sector profiles"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": p.id,
                    _("Name"): text(p.name),
                    _("Version"): p.version,
                    _("Federation"): p.federation,
                    _("Frameworks"): ", ".join(f.id for f in p.frameworks),
                    "NACE": ", ".join(p.nace.codes),
                    "k": p.k,
                }
                for p in catalogue.profiles.values()
            ]
        ),
        hide_index=True,
        key="admin:profiles",
    )
    st.subheader(_("Validation problems"))
    problems = list(getattr(catalogue.report, "problems", []))
    if not problems:
        st.success(_("All frameworks and profiles are valid."))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        _("Severity"): p.severity,
                        _("Code"): str(p.code),
                        _("Where"): f"{p.file}:{p.line}" if p.line else (p.file or ""),
                        _("Problem"): p.message,
                    }
                    for p in problems
                ]
            ),
            hide_index=True,
            key="admin:problems",
        )
