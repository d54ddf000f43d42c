"""Administration: the accounts and their roles, and the loaded frameworks and sector profiles
with their versions and any validation problems."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.services import auth
from app.services.errors import ServiceError
from app.ui import resources, session
from app.ui.i18n import _, text

principal = session.require("admin")
store = resources.store()
st.title(_("Administration"))

users_tab, catalogue_tab = st.tabs([_("Users and roles"), _("Frameworks and profiles")])

with users_tab:
    try:
        users = auth.list_users(store, principal)
    except ServiceError as error:
        st.error(str(error))
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
                    st.error(str(error))
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
