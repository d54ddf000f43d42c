"""The SME's start page: the organisation's details, then choose the sector passport or the
Start-to-MVO scan and the year, and open it (or an earlier assessment)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app.kbo import display as kbo_display
from app.services import assessments, claims, organisations
from app.services.errors import ServiceError
from app.ui import assessment, resources, session
from app.ui.choices import keep
from app.ui.i18n import _, render, text
from app.ui.markup import literal
from app.ui.registration import organisation_form

START_TO_MVO = "start_to_mvo"

principal = session.require("sme")
store = resources.store()
cat = store.catalogue

organisation = organisations.my_organisation(store, principal)
if organisation is None:
    st.title(_("Register your organisation"))
    waiting = [c for c in claims.my_claims(store, principal) if c.status == claims.PENDING]
    if waiting:
        st.info(
            _(
                "KBO number {number} is already registered. Your request to join it waits for "
                "approval by your federation or the administrator; until then you see none of "
                "its data."
            ).format(number=kbo_display(waiting[0].kbo)),
            icon=":material/hourglass_top:",
        )
        st.stop()
    organisation_form(principal)
    st.stop()

st.title(literal(organisation.name) if organisation.name else _("My organisation"))
profile = cat.profiles.get(organisation.profile) if organisation.profile else None
# two by two: a KBO number in a quarter of the page is cut off ("0765.432.…")
cols = [*st.columns(2), *st.columns(2)]
cols[0].metric(_("KBO number"), kbo_display(organisation.kbo) if organisation.kbo else "-")
cols[1].metric(_("Sector"), text(profile.name) if profile else "-")
cols[2].metric(_("Employees (FTE)"), f"{organisation.fte:g}" if organisation.fte else "-")
cols[3].metric(_("Municipality"), organisation.municipality or "-")

with st.expander(_("Change details and consent")):
    with st.form("org:details"):
        fte = st.number_input(
            _("Employees (FTE)"),
            min_value=0.0,
            max_value=100000.0,
            value=organisation.fte,
            step=1.0,
        )
        municipality = st.text_input(_("Municipality"), value=organisation.municipality or "")
        consent = st.checkbox(
            _("My federation may show our name beside our results in its benchmark"),
            value=organisation.consent_named,
        )
        if st.form_submit_button(_("Save")):
            try:
                organisations.update_organisation(
                    store,
                    principal,
                    organisation.id,
                    fte=fte,
                    municipality=municipality or None,
                    consent_named=consent,
                )
            except ServiceError as error:
                st.error(render(error))
            else:
                st.rerun()

st.header(_("Start or continue an assessment"))
choices: dict[str, tuple[str | None, str]] = {}
if profile is not None:
    for included in profile.frameworks:
        framework = cat.frameworks.get(included.id)
        if framework is not None:
            choices[f"{profile.id}:{included.id}"] = (profile.id, included.id)
if START_TO_MVO in cat.frameworks:
    choices[f":{START_TO_MVO}"] = (None, START_TO_MVO)


def _choice_label(choice: str) -> str:
    profile_id, framework_id = choices[choice]
    framework = cat.frameworks[framework_id]
    if profile_id is None:
        return _("Start-to-MVO scan (short introduction)")
    return _("Sector passport {sector}: {framework}").format(
        sector=text(cat.profiles[profile_id].name), framework=text(framework.title)
    )


if not choices:
    st.warning(_("No questionnaire is available for your sector yet."))
    st.stop()

this_year = date.today().year
left, right = st.columns([3, 1])
keep("home:choice", list(choices))
choice = left.radio(_("Questionnaire"), list(choices), format_func=_choice_label, key="home:choice")
year = right.selectbox(_("Year"), list(range(this_year, this_year - 6, -1)), key="home:year")
if st.button(_("Open questionnaire"), type="primary", key="home:open", icon=":material/edit_note:"):
    profile_id, framework_id = choices[choice]
    try:
        view = assessments.start_assessment(
            store, principal, organisation.id, year, profile=profile_id, framework=framework_id
        )
    except ServiceError as error:
        st.error(render(error))
    else:
        assessment.open_assessment(view.id)
        st.switch_page("ui/pages/sme_questionnaire.py")

existing = assessments.list_assessments(store, principal)
if existing:
    st.subheader(_("Your assessments"))
    for item in existing:
        framework = cat.frameworks.get(item.framework)
        name = text(framework.title) if framework else item.framework
        row = st.columns([4, 1, 1, 1], vertical_alignment="center")
        row[0].write(f"**{literal(name)}** · {item.year}")
        row[1].write(assessment.status_label(item.status))
        if row[2].button(_("Open"), key=f"home:open:{item.id}"):
            assessment.open_assessment(item.id)
            st.switch_page("ui/pages/sme_questionnaire.py")
        if row[3].button(_("Results"), key=f"home:results:{item.id}"):
            assessment.open_assessment(item.id)
            st.switch_page("ui/pages/sme_results.py")
