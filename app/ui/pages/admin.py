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
from exports.text import format_kbo

principal = session.require("admin")
store = resources.store()
st.title(_("Administration"))


def _profile_name(profile_id: str | None) -> str:
    """A sector profile's name (its id where it is no longer loaded; "-" for none)."""
    profile = store.catalogue.profiles.get(profile_id) if profile_id else None
    return text(profile.name) if profile else (profile_id or "-")


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
                    _("KBO number"): format_kbo(u.organisation_kbo) if u.organisation_kbo else "",
                    _("Sectors"): ", ".join(_profile_name(s) for s in u.sectors),
                    _("Active"): u.active,
                    _("Last sign-in"): (
                        u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "—"
                    ),
                }
                for u in users
            ]
        ),
        hide_index=True,
        key="admin:users",
    )
    st.caption(_("{n} accounts").format(n=len(users)))
    by_email = {u.email: u for u in users}
    roles = list(session.ROLE_NAMES)
    profile_ids = sorted(store.catalogue.profiles)

    def _role_name(role: str) -> str:
        return _(session.ROLE_NAMES.get(role, role))

    with st.expander(_("Add an account")):
        new_email = st.text_input(_("E-mail address"), key="admin:new:email")
        new_role = st.selectbox(_("Role"), roles, format_func=_role_name, key="admin:new:role")
        new_kbo = new_sectors = None
        if new_role == "sme":
            new_kbo = st.text_input(_("KBO number of the organisation"), key="admin:new:kbo")
        if new_role == "federation":
            new_sectors = st.multiselect(
                _("Sectors"), profile_ids, format_func=_profile_name, key="admin:new:sectors"
            )
        if st.button(_("Add account"), key="admin:new:submit", type="primary"):
            try:
                created = auth.create_user(
                    store,
                    principal,
                    new_email,
                    new_role,
                    organisation_kbo=new_kbo or None,
                    sectors=new_sectors or (),
                )
                temporary = auth.reset_password(store, principal, created.id)
            except ServiceError as error:
                st.error(render(error))
            else:
                st.session_state["admin:one_time"] = (created.email, temporary)
                st.rerun()

    with st.expander(_("Change an account"), expanded="admin:user" in st.session_state):
        chosen = st.selectbox(_("Account"), sorted(by_email), index=None, key="admin:user")
        if chosen is not None:
            user = by_email[chosen]
            role = st.selectbox(
                _("Role"),
                roles,
                index=roles.index(user.role) if user.role in roles else 0,
                format_func=_role_name,
                key=f"admin:role:{user.id}",
            )
            kbo = sectors = None
            if role == "sme":
                kbo = st.text_input(
                    _("KBO number of the organisation"),
                    value=format_kbo(user.organisation_kbo) if user.organisation_kbo else "",
                    key=f"admin:kbo:{user.id}",
                )
            if role == "federation":
                sectors = st.multiselect(
                    _("Sectors"),
                    profile_ids,
                    default=[s for s in user.sectors if s in profile_ids],
                    format_func=_profile_name,
                    key=f"admin:sectors:{user.id}",
                )
            save, reset, toggle = st.columns(3)
            if save.button(_("Save role"), key="admin:save_role", type="primary"):
                try:
                    auth.change_role(
                        store,
                        principal,
                        user.id,
                        role,
                        organisation_kbo=kbo or None,
                        sectors=sectors or (),
                    )
                except ServiceError as error:
                    st.error(render(error))
                else:
                    st.rerun()
            if reset.button(_("Reset password"), key="admin:reset_password"):
                try:
                    temporary = auth.reset_password(store, principal, user.id)
                except ServiceError as error:
                    st.error(render(error))
                else:
                    st.session_state["admin:one_time"] = (user.email, temporary)
                    st.rerun()
            label = _("Deactivate") if user.active else _("Activate")
            if toggle.button(label, key="admin:toggle_active"):
                try:
                    auth.set_active(store, principal, user.id, not user.active)
                except ServiceError as error:
                    st.error(render(error))
                else:
                    st.rerun()

    one_time = st.session_state.pop("admin:one_time", None)
    if one_time is not None:
        st.success(
            _("One-time password for {email} (shown once; hand it over safely):").format(
                email=one_time[0]
            ),
            icon=":material/key:",
        )
        st.code(one_time[1], language=None)

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
                    kbo=format_kbo(claim.kbo),
                    sector=_profile_name(claim.profile),
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
