"""The questionnaire of the open assessment: sections in the sidebar with their progress, one
section at a time (an ``st.fragment``, so that answering reruns only that section), autosave
on every change, and a jump to the next unanswered question."""

from __future__ import annotations

import streamlit as st

from app.services import actions, carry_over, catalogue
from app.services.errors import ServiceError
from app.ui import assessment, keys, resources, session
from app.ui.actions import tackle_checkbox
from app.ui.i18n import _, render, text
from app.ui.questionnaire import (
    next_unanswered,
    render_section,
    save_status_line,
    section_progress,
)

principal = session.require("sme")
try:
    view = assessment.load(principal)
except ServiceError as error:
    st.error(render(error))
    st.stop()
if view is None:
    st.info(_("Choose a questionnaire and a year on your start page first."))
    st.page_link("ui/pages/sme_home.py", label=_("My organisation"), icon=":material/home:")
    st.stop()

framework = assessment.questionnaire_of(view)
answers = st.session_state[keys.ANSWERS]
read_only = view.status != "draft"
sections = {s.id: s for s in framework.sections}
if st.session_state.get(keys.CURRENT_SECTION) not in sections:
    # a reload starts a new session: the section comes back from the URL
    wanted = str(st.query_params.get(keys.QP_SECTION, ""))
    st.session_state[keys.CURRENT_SECTION] = (
        wanted if wanted in sections else framework.sections[0].id
    )
if st.query_params.get(keys.QP_SECTION) != st.session_state[keys.CURRENT_SECTION]:
    st.query_params[keys.QP_SECTION] = st.session_state[keys.CURRENT_SECTION]


def _go_to(section_id: str) -> None:
    st.session_state[keys.CURRENT_SECTION] = section_id
    st.session_state.pop(keys.FOCUS_QUESTION, None)


def _jump_to_next() -> None:
    found = next_unanswered(
        framework,
        st.session_state[keys.ANSWERS],
        after=st.session_state.get(keys.FOCUS_QUESTION),
        employees=view.employees,
    )
    if found is None:
        st.session_state[keys.FOCUS_QUESTION] = None
        st.toast(_("Every question is answered."), icon=":material/celebration:")
        return
    st.session_state[keys.CURRENT_SECTION], st.session_state[keys.FOCUS_QUESTION] = found


def _on_section_pick() -> None:
    picked = st.session_state.get("nav:section")
    if picked in sections:
        _go_to(picked)


# --------------------------------------------------------------------------- sidebar
def _progress_of(stored) -> dict[str, tuple[int, int]]:
    return {
        s.id: section_progress(framework, s, stored, view.employees) for s in framework.sections
    }


progress = _progress_of(answers)
with st.sidebar:
    st.subheader(_("Sections"))
    total_answered = total_visible = 0
    for section in framework.sections:
        answered, visible = progress[section.id]
        total_answered += answered
        total_visible += visible
        current = section.id == st.session_state[keys.CURRENT_SECTION]
        st.button(
            f"{text(section.title)} · {answered}/{visible}",
            key=f"section:{section.id}",
            type="primary" if current else "secondary",
            on_click=_go_to,
            args=(section.id,),
            width="stretch",
        )
        st.progress(answered / visible if visible else 1.0)
    st.button(
        _("Next unanswered question"),
        key="nav:next",
        on_click=_jump_to_next,
        icon=":material/skip_next:",
        disabled=read_only,
    )

# --------------------------------------------------------------------------- main
st.title(assessment.title_of(view, framework))
st.caption(
    _("Status: {status} · {answered} of {total} questions answered").format(
        status=assessment.status_label(view.status),
        answered=total_answered,
        total=total_visible,
    )
)
# In-page section navigation (on a phone the sidebar is hidden): the section ids are the
# options, the state is set from the current section on every run (a label of another language
# or with other counts is never kept).
section_labels = {
    sid: f"{text(sections[sid].title)} · {progress[sid][0]}/{progress[sid][1]}" for sid in sections
}
st.session_state["nav:section"] = st.session_state[keys.CURRENT_SECTION]
st.selectbox(
    _("Sections"),
    list(sections),
    key="nav:section",
    format_func=section_labels.get,
    on_change=_on_section_pick,
)
if read_only:
    st.info(_("This assessment is submitted and can no longer be changed."), icon=":material/lock:")
else:
    # A draft keeps the version it was started on; the SME may move it to the current one
    # (carry_over.switch_to_current owns the mapping).
    cat = resources.store().catalogue
    if not catalogue.is_current(cat, view):
        current = cat.frameworks[view.framework]
        what, version, newest = text(current.title), view.framework_version, current.version
        if version == newest:  # only the sector profile has a newer version
            profile = cat.profiles[view.profile]
            what, version, newest = text(profile.name), view.profile_version, profile.version
        st.warning(
            _(
                "This draft is on version {version} of {framework}; the current version is "
                "{current}. It is scored on version {version} until you switch."
            ).format(version=version, framework=what, current=newest),
            icon=":material/update:",
        )
        if st.button(_("Switch to the current version"), key="versions:switch"):
            try:
                switched = carry_over.switch_to_current(resources.store(), principal, view.id)
            except ServiceError as error:
                st.error(render(error))
            else:
                st.session_state[keys.SWITCHED] = switched
                assessment.open_assessment(None)
                assessment.open_assessment(view.id)
                st.rerun()
    switched = st.session_state.pop(keys.SWITCHED, None)
    if switched is not None:
        st.success(
            _(
                "Switched to version {version}: {kept} answers kept, {dropped} not taken over."
            ).format(
                version=switched.to_framework_version,
                kept=len(switched.kept),
                dropped=len(switched.not_carried),
            )
        )
        for item in switched.not_carried:
            reason = f" {text(item.explanation)}" if item.explanation else ""
            st.text(f"{item.previous_question}: {render(item.message)}{reason}")
    # Last year's answers this year's version did not take over, and why (issue 13, item 10).
    not_carried = carry_over.not_carried(resources.store(), principal, view.id)
    if not_carried:
        with st.expander(
            _("Not carried over from last year ({count})").format(count=len(not_carried)),
            icon=":material/history:",
        ):
            for item in not_carried:
                reason = f" {text(item.explanation)}" if item.explanation else ""
                st.text(f"{render(item.message)}{reason}")
save = assessment.saver(principal, view)
attach = assessment.attacher(principal, view)


# "ik wil dit aanpakken": flagged questions become the first proposed actions
tackle = tackle_checkbox(
    resources.store(), view, actions.tackle_flags(resources.store(), principal, view.id)
)


@st.fragment
def section_fragment(section_id: str) -> None:
    """One section: answering a question reruns only this. When the answer changed a count
    drawn outside the fragment (the sidebar's and the in-page section counters, the status
    line: a first answer, a cleared one, or a question shown or hidden by ``visible_if``), the
    whole page is drawn again at once, so no counter lags behind; changing an answered value
    keeps the fragment's speed."""
    section = sections[section_id]
    current_answers = st.session_state[keys.ANSWERS]
    if _progress_of(current_answers) != progress:
        st.rerun(scope="app")
    st.header(text(section.title))
    answered, visible = section_progress(framework, section, current_answers, view.employees)
    st.progress(
        answered / visible if visible else 1.0,
        text=_("{answered} of {total} answered").format(answered=answered, total=visible),
    )
    save_status_line(read_only=read_only)
    render_section(
        framework,
        section,
        current_answers,
        save,
        read_only=read_only,
        focus=st.session_state.get(keys.FOCUS_QUESTION),
        attach=attach,
        tackle=tackle,
        employees=view.employees,
    )


section_fragment(st.session_state[keys.CURRENT_SECTION])

order = [s.id for s in framework.sections]
index = order.index(st.session_state[keys.CURRENT_SECTION])
prev_col, _middle, next_col = st.columns([1, 2, 1])
if index > 0:
    prev_col.button(
        _("Previous section"),
        key="nav:prev",
        on_click=_go_to,
        args=(order[index - 1],),
        icon=":material/arrow_back:",
    )
if index < len(order) - 1:
    next_col.button(
        _("Next section"),
        key="nav:following",
        on_click=_go_to,
        args=(order[index + 1],),
        icon=":material/arrow_forward:",
    )
else:
    next_col.page_link(
        "ui/pages/sme_results.py", label=_("See results"), icon=":material/insights:"
    )
