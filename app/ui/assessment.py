"""The open assessment of an SME session: which one, its answers, and saving a change.

The page keeps the answers as the store last returned them (``keys.ANSWERS``: question id ->
``AnswerView``), so that every save can name the answer's version it was based on (optimistic
locking in the services). A conflict (a colleague saved the same question meanwhile) reloads
the answers and shows the colleague's value instead of overwriting it. A save or upload
callback asks the database again who is signed in (``session.verified_principal``): a user
deactivated or signed out since the page was drawn writes nothing.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from app.services import assessments, catalogue
from app.services.errors import AccessDenied, ConflictError, ServiceError
from app.services.messages import message as service_message
from app.ui import keys, resources, session
from app.ui.evidence import EvidenceShelf
from app.ui.i18n import _, render
from app.ui.questionnaire import Change

#: Why a callback wrote nothing: the session ended (or the user was deactivated) meanwhile.
_SIGNED_OUT = service_message("signed-out-nothing-saved")


def questionnaire_of(view):
    """The effective framework (framework + the profile's sector section) of an assessment, at
    the versions it was started on (remembered on the catalogue's framework object, not in an
    ``id()``-keyed cache)."""
    return catalogue.of_assessment(resources.store().catalogue, view)


def open_assessment(assessment_id: int) -> None:
    """Make ``assessment_id`` the session's open assessment (answers read on the next load)."""
    if st.session_state.get(keys.ASSESSMENT_ID) != assessment_id:
        for key in list(st.session_state.keys()):
            if str(key).startswith(keys.WIDGET_PREFIX):
                del st.session_state[key]
        st.session_state.pop(keys.CURRENT_SECTION, None)
        st.session_state.pop(keys.SAVE_STATUS, None)
        st.session_state.pop(keys.INVALID, None)
        st.session_state.pop(keys.LAST_CHANGE, None)
        st.session_state.pop(keys.CONFIRM_SUBMIT, None)
    st.session_state[keys.ASSESSMENT_ID] = assessment_id
    st.session_state.pop(keys.ANSWERS, None)


def load(principal):
    """The open assessment, freshly read from the store (None when none is open)."""
    assessment_id = st.session_state.get(keys.ASSESSMENT_ID)
    if assessment_id is None:
        return None
    view = assessments.get_assessment(resources.store(), principal, assessment_id)
    st.session_state[keys.ANSWERS] = dict(view.answers)
    st.session_state[keys.ASSESSMENT_VERSION] = view.version
    return view


def _forget_widgets(framework_id: str, question_id: str) -> None:
    prefix = keys.answer_key(framework_id, question_id)
    for key in (
        prefix,
        keys.na_key(framework_id, question_id),
        keys.note_key(framework_id, question_id),
    ):
        st.session_state.pop(key, None)


def saver(principal, view):
    """The save function for the questionnaire renderer: one ``save_answer`` per change."""
    store = resources.store()

    def save(change: Change) -> None:
        current = session.verified_principal()
        if current is None or current.user_id != principal.user_id:
            st.session_state[keys.SAVE_STATUS] = ("error", render(_SIGNED_OUT), datetime.now())
            return  # signed out, revoked or deactivated since the page was drawn: no write
        answers = st.session_state.setdefault(keys.ANSWERS, {})
        previous = answers.get(change.question)
        expected = previous.version if previous is not None else 0
        try:
            saved = assessments.save_answer(
                store,
                current,
                view.id,
                change.question,
                change.value,
                expected_version=expected,
                note=change.note,
            )
        except ConflictError as error:
            fresh = assessments.get_assessment(store, principal, view.id)
            st.session_state[keys.ANSWERS] = dict(fresh.answers)
            _forget_widgets(view.framework, change.question)
            st.session_state[keys.SAVE_STATUS] = ("conflict", render(error), datetime.now())
        except ServiceError as error:
            st.session_state[keys.SAVE_STATUS] = ("error", render(error), datetime.now())
        else:
            answers[change.question] = saved
            st.session_state[keys.SAVE_STATUS] = ("saved", "", datetime.now())

    return save


def attacher(principal, view):
    """The evidence of the open assessment for the questionnaire renderer: called per
    uploaded file (``add_evidence``), and it lists, serves and removes the files. Every write
    asks the database again who is signed in."""

    def still_signed_in():
        current = session.verified_principal()
        if current is None or current.user_id != principal.user_id:
            raise AccessDenied(_SIGNED_OUT)
        return current

    return EvidenceShelf(resources.store(), principal, view.id, verify=still_signed_in)


def title_of(view, framework) -> str:
    """ "<framework title> <year>" for headings."""
    from app.ui.i18n import text

    return f"{text(framework.title)} · {view.year}"


def status_label(status: str) -> str:
    return _("submitted") if status == "submitted" else _("draft")
