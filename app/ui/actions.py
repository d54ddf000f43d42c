"""The "Actieplan / Action plan" part of the results page, and the "ik wil dit aanpakken"
checkbox of the questionnaire.

The part lists the organisation's actions for the assessment's year (carried-over ones
included) as cards that stack on a phone: title, owner, deadline, cost and support scheme,
and side by side the status (changed in place) and the topic's score change since last year,
both from the table ``exports.actionplan`` builds for the PDF too. Below, a form adds an
action: a step from the proposals (flagged questions first, then the improvement plan) or an
own action; picking a step fills in its advice as title and its matching support scheme.
Every write goes through ``app.services.actions`` with the principal checked again in the
callback; a refused write keeps what the user typed and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import streamlit as st

from app.services import actions
from app.services.errors import ServiceError
from app.ui import session
from app.ui.i18n import _, render, text
from app.ui.questionnaire import format_number_input, parse_number
from app.ui.widgets import plain
from exports.actionplan import (
    PlannedAction,
    action_plan_table,
    format_cost,
    format_deadline,
    status_label,
)
from exports.documents import effective_frameworks
from exports.text import format_number
from frameworks.loader import passport_models
from frameworks.models import Framework
from scoring.models import Passport

OWN = "__own__"
NO_SCHEME = ""
PROPOSALS_SHOWN = 12
#: Session keys of this part (widgets carry the "actions:" prefix of their part).
ERROR = "actions:error"
ADDED = "actions:added"
NEW_STEP, NEW_TITLE, NEW_OWNER, NEW_DEADLINE = (
    "actions:new:step",
    "actions:new:title",
    "actions:new:owner",
    "actions:new:deadline",
)
NEW_STATUS, NEW_COST, NEW_SCHEME = "actions:new:status", "actions:new:cost", "actions:new:scheme"
DRAWN_LANGUAGE = "actions:drawn_language"
#: The title the form filled in itself (so a title the user did not edit can follow along).
NEW_FILLED = "actions:new:filled"


def planned(views: list[actions.ActionView], year: int) -> list[PlannedAction]:
    """The stored actions as the documents print them (listed for ``year``)."""
    return [
        PlannedAction(
            title=v.title,
            owner=v.owner,
            deadline=v.deadline,
            status=v.status,
            year=v.year,
            listed_year=year,
            cost_cents=v.cost_cents,
            scheme=v.scheme,
            framework=v.framework,
            question=v.question_id,
        )
        for v in views
    ]


def _writer() -> Any:
    """The principal, asked again (a callback: the user may be gone since the page was drawn)."""
    return session.verified_principal()


def _attempt(write: Callable[[Any], object]) -> bool:
    principal = _writer()
    if principal is None:
        st.session_state[ERROR] = _("You are signed out; sign in again to change the plan.")
        return False
    try:
        write(principal)
    except ServiceError as error:
        st.session_state[ERROR] = render(error)
        return False
    st.session_state.pop(ERROR, None)
    return True


def _question_text(frameworks: Mapping[str, Framework], framework_id: str, question_id: str):
    fw = frameworks.get(framework_id)
    return fw.questions.get(question_id) if fw is not None else None


def action_plan_part(
    store: Any,
    principal: Any,
    view: Any,
    passport: Passport,
    profile: Any,
    language: str,
) -> list[PlannedAction]:
    """Draw the action plan part of the results page of ``view`` (an assessment of
    ``profile``, or None) and return the actions as the passport PDF prints them."""
    # the versions the passport was scored on
    frameworks = effective_frameworks(passport_models(store.catalogue, passport)[0], profile)
    _reseed_after_language_switch(language)
    try:
        stored = actions.list_actions(store, principal, view.organisation_id, view.year)
        proposed = actions.proposals(store, principal, view.id, passport)
    except ServiceError as error:
        st.error(render(error))
        return []
    schemes = actions.schemes()
    documents = planned(stored, view.year)
    table = action_plan_table(documents, passport, frameworks, schemes, language)
    with st.container(key="actions:part"):
        st.subheader(table.title)
        if st.session_state.get(ERROR):
            st.error(st.session_state[ERROR], icon=":material/warning:")
        if st.session_state.pop(ADDED, None):
            st.success(_("Action added to the plan."), icon=":material/check_circle:")
        if not stored:
            st.caption(table.note or "")
        for action, row in zip(stored, table.rows, strict=True):
            _action_card(store, view, action, row, table.header, schemes, language)
        _add_form(store, view, proposed, frameworks, schemes, language, open_=not stored)
        if stored:
            st.caption(table.note or "")
    return documents


def _reseed_after_language_switch(language: str) -> None:
    """Streamlit keeps a select's state by its shown label: after a language switch each
    select of this part gets its stored value again (as the questionnaire does)."""
    state = st.session_state
    if state.get(DRAWN_LANGUAGE, language) != language:
        for key in [k for k in state if str(k).startswith("actions:")]:
            if str(key).endswith((":scheme", ":step", ":status")) or str(key).startswith(
                "actions:status:"
            ):
                state[key] = state[key]
    state[DRAWN_LANGUAGE] = language


def _action_card(store, view, action, row, header, schemes, language) -> None:
    with st.container(border=True, key=f"actions:card:{action.id}"):
        st.markdown(f"**{plain(row[0])}**")
        scheme = schemes.get(action.scheme)
        facts = [
            f"{header[1]}: {action.owner}",
            f"{header[2]}: {format_deadline(action.deadline, language)}",
        ]
        if action.cost is not None:
            facts.append(f"{header[3]}: {format_cost(action.cost_cents, language)}")
        if scheme is not None:
            facts.append(f"{header[4]}: {scheme.name.get(language)}")
        st.caption(" · ".join(plain(f) for f in facts))
        status_column, change_column = st.columns(2)
        with status_column:
            key = f"actions:status:{action.id}"
            st.session_state.setdefault(key, action.status)
            st.selectbox(
                header[5],
                list(actions.ACTION_STATUSES),
                key=key,
                format_func=lambda s: status_label(s, language),
                on_change=_change_status,
                args=(store, action.id, key, view.year, action.status),
            )
        with change_column:
            if len(header) > 6:
                st.markdown(f"**{plain(header[6])}**")
                change = plain(row[6])
                st.markdown("\\" + change if change.startswith("-") else change)
        with st.expander(_("Edit or remove"), key=f"actions:edit:{action.id}:open"):
            _edit_fields(store, view, action, schemes, language)


def _change_status(store, action_id: int, key: str, year: int, before: str) -> None:
    status = st.session_state.get(key)
    if not _attempt(
        lambda p: actions.update_action(store, p, action_id, status=status, in_year=year)
    ):
        st.session_state[key] = before  # the select shows what is stored


def _edit_fields(store, view, action, schemes, language) -> None:
    prefix = f"actions:edit:{action.id}"
    st.session_state.setdefault(f"{prefix}:title", action.title)
    st.session_state.setdefault(f"{prefix}:owner", action.owner)
    st.session_state.setdefault(f"{prefix}:deadline", action.deadline)
    cost = "" if action.cost is None else format_number_input(action.cost, language)
    st.session_state.setdefault(f"{prefix}:cost", cost)
    st.session_state.setdefault(f"{prefix}:scheme", action.scheme or NO_SCHEME)
    st.text_area(_("Action"), key=f"{prefix}:title", max_chars=actions.MAX_TITLE, height=68)
    st.text_input(_("Owner (name or role)"), key=f"{prefix}:owner", max_chars=actions.MAX_OWNER)
    st.date_input(_("Deadline"), key=f"{prefix}:deadline", format="DD/MM/YYYY")
    st.text_input(_("Cost in euro (optional)"), key=f"{prefix}:cost")
    _scheme_select(f"{prefix}:scheme", schemes, language)
    save_column, remove_column = st.columns(2)
    save_column.button(
        _("Save changes"),
        key=f"{prefix}:save",
        on_click=_save_edit,
        args=(store, action.id, prefix, view.year, language),
        icon=":material/save:",
    )
    remove_column.button(
        _("Remove action"),
        key=f"{prefix}:remove",
        on_click=_remove,
        args=(store, action.id, prefix),
        icon=":material/delete:",
    )


def _save_edit(store, action_id: int, prefix: str, year: int, language: str) -> None:
    state = st.session_state
    _attempt(
        lambda p: actions.update_action(
            store,
            p,
            action_id,
            in_year=year,
            title=state.get(f"{prefix}:title"),
            owner=state.get(f"{prefix}:owner"),
            deadline=state.get(f"{prefix}:deadline"),
            cost=_typed_cost(state.get(f"{prefix}:cost"), language),
            scheme=state.get(f"{prefix}:scheme") or None,
        )
    )


def _remove(store, action_id: int, prefix: str) -> None:
    if _attempt(lambda p: actions.delete_action(store, p, action_id)):
        for key in [k for k in st.session_state if str(k).startswith(prefix)]:
            del st.session_state[key]


def _scheme_select(key: str, schemes, language: str) -> None:
    options = [NO_SCHEME, *schemes.ids()]
    names = {s.id: s.name.get(language) for s in schemes.schemes}
    none = _("none")
    st.selectbox(
        _("Support scheme"),
        options,
        key=key,
        format_func=lambda s: names.get(s, none),
    )


def _add_form(store, view, proposed, frameworks, schemes, language, *, open_: bool) -> None:
    shown = proposed[:PROPOSALS_SHOWN]
    labels: dict[str, str] = {}
    fill: dict[str, tuple[str, str]] = {OWN: ("", NO_SCHEME)}
    for proposal in shown:
        question = _question_text(frameworks, proposal.framework, proposal.question_id)
        name = text(question.text, language) if question is not None else proposal.question_id
        marker = "★ " if proposal.flagged else ""
        gain = f" (+{format_number(proposal.gain, language)})"
        key = f"{proposal.framework}:{proposal.question_id}"
        labels[key] = f"{marker}{name}{gain if proposal.gain > 0 else ''}"
        advice = question.advice if question is not None and question.advice else None
        title = text(advice, language) if advice is not None else name
        fill[key] = (title[: actions.MAX_TITLE], proposal.schemes[0] if proposal.schemes else "")
    labels[OWN] = _("An action of your own")
    options = list(labels)
    if shown:
        default = f"{shown[0].framework}:{shown[0].question_id}"
    else:
        default = OWN
    state = st.session_state
    if state.get(NEW_STEP) not in options:
        state[NEW_STEP] = default
        state[NEW_TITLE], state[NEW_SCHEME] = fill[default]
        state[NEW_FILLED] = state[NEW_TITLE]
    elif state.get(NEW_TITLE) == state.get(NEW_FILLED):
        # a title the user did not edit follows the language (and the step's advice)
        state[NEW_TITLE] = state[NEW_FILLED] = fill[state[NEW_STEP]][0]
    state.setdefault(NEW_OWNER, "")
    state.setdefault(NEW_DEADLINE, date(view.year + 1, 6, 30))
    state.setdefault(NEW_STATUS, actions.PLANNED)
    state.setdefault(NEW_COST, "")
    with st.expander(_("Add an action"), expanded=open_, key="actions:new:open"):
        if any(p.flagged for p in shown):
            st.caption(_("★ = you marked it “I want to tackle this”; these come first."))
        st.selectbox(
            _("Step from the improvement plan"),
            options,
            key=NEW_STEP,
            format_func=labels.get,
            on_change=_fill_from_step,
            args=(fill,),
        )
        st.text_area(_("Action"), key=NEW_TITLE, max_chars=actions.MAX_TITLE, height=68)
        owner_column, deadline_column = st.columns(2)
        owner_column.text_input(
            _("Owner (name or role)"), key=NEW_OWNER, max_chars=actions.MAX_OWNER
        )
        deadline_column.date_input(_("Deadline"), key=NEW_DEADLINE, format="DD/MM/YYYY")
        status_column, cost_column = st.columns(2)
        status_column.selectbox(
            _("Status"),
            list(actions.ACTION_STATUSES),
            key=NEW_STATUS,
            format_func=lambda s: status_label(s, language),
        )
        cost_column.text_input(_("Cost in euro (optional)"), key=NEW_COST)
        _scheme_select(NEW_SCHEME, schemes, language)
        chosen = schemes.get(state.get(NEW_SCHEME) or None)
        if chosen is not None:
            st.caption(
                f"{plain(chosen.covers.get(language))} ([{plain(chosen.agency)}]({chosen.source}))"
            )
        st.button(
            _("Add to the action plan"),
            key="actions:new:add",
            type="primary",
            icon=":material/add_task:",
            on_click=_add,
            args=(store, view, language),
        )


def _typed_cost(raw: object, language: str) -> object:
    """The typed cost read as the questionnaire reads numbers (Babel, the UI language first:
    "1.250,50" in Dutch); text that is no number goes to the service as typed, which refuses
    it naming what was typed."""
    typed = str(raw or "").strip().removeprefix("€").removeprefix("EUR").strip()
    try:
        return parse_number(typed, language)
    except ValueError:
        return raw


def _fill_from_step(fill: dict[str, tuple[str, str]]) -> None:
    """Picking a step fills in its advice as the title and its matching support scheme."""
    title, scheme = fill.get(st.session_state.get(NEW_STEP), ("", NO_SCHEME))
    st.session_state[NEW_TITLE] = st.session_state[NEW_FILLED] = title
    st.session_state[NEW_SCHEME] = scheme


def _add(store, view, language: str) -> None:
    state = st.session_state
    step = state.get(NEW_STEP) or OWN
    framework, question = (None, None) if step == OWN else step.split(":", 1)
    added = _attempt(
        lambda p: actions.create_action(
            store,
            p,
            view.organisation_id,
            year=view.year,
            title=state.get(NEW_TITLE),
            owner=state.get(NEW_OWNER),
            deadline=state.get(NEW_DEADLINE),
            status=state.get(NEW_STATUS),
            cost=_typed_cost(state.get(NEW_COST), language),
            scheme=state.get(NEW_SCHEME) or None,
            framework=framework,
            question_id=question,
        )
    )
    if added:
        for key in (NEW_STEP, NEW_TITLE, NEW_COST, NEW_SCHEME, NEW_STATUS, NEW_FILLED):
            state.pop(key, None)
        state[ADDED] = True


# --------------------------------------------------------------------------- questionnaire
def tackle_checkbox(store: Any, view: Any, flagged: frozenset[str]) -> Callable[[str], None]:
    """A function that draws the "ik wil dit aanpakken" checkbox of one question of ``view``
    (for ``app.ui.questionnaire.render_question``); ticking it saves the flag at once."""
    framework_id = view.framework

    def draw(question_id: str) -> None:
        key = f"w:{framework_id}:{question_id}:tackle"
        st.session_state.setdefault(key, question_id in flagged)
        refused = st.session_state.pop(f"{key}:error", None)
        if refused:
            st.error(refused, icon=":material/warning:")
        st.checkbox(
            _("I want to tackle this"),
            key=key,
            on_change=_toggle,
            args=(store, view.id, question_id, key),
            help=_("Flagged questions come first among the proposed actions."),
        )

    return draw


def _toggle(store, assessment_id: int, question_id: str, key: str) -> None:
    wanted = bool(st.session_state.get(key))
    if not _attempt(
        lambda p: actions.set_tackle_flag(store, p, assessment_id, question_id, wanted)
    ):
        st.session_state[key] = not wanted
        st.session_state[f"{key}:error"] = st.session_state.pop(ERROR, "")
