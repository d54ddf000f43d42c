"""Every ``st.session_state`` key the app uses, in one place.

Widget keys of questionnaire answers are namespaced ``w:{framework}:{question}`` (and
``w:{framework}:{question}:na`` / ``:note`` for the not-applicable box and the note), so that two
frameworks on one page never share a widget. The answers themselves live in the store:
Streamlit forgets the state of widgets that are not rendered, so each change is copied out of
the widget key into the database at once.
"""

from __future__ import annotations

#: The interface language, "nl" (default) or "en".
LANGUAGE = "ui:language"
#: The signed-in user (an object returned by the auth service), or absent.
USER = "ui:user"
#: The assessment being edited: its id.
ASSESSMENT_ID = "ui:assessment_id"
#: The answers of the open assessment as the store last returned them: question id -> Answer.
ANSWERS = "ui:answers"
#: The assessment's optimistic-locking version as the page last saw it.
ASSESSMENT_VERSION = "ui:assessment_version"
#: The section shown in the questionnaire.
CURRENT_SECTION = "ui:current_section"
#: The question to scroll to / highlight after "next unanswered".
FOCUS_QUESTION = "ui:focus_question"
#: Outcome of the last autosave: ("saved" | "error" | "conflict", message, time).
SAVE_STATUS = "ui:save_status"
#: The question whose widget the user changed last (its saved state is shown beside it).
LAST_CHANGE = "ui:last_change"
#: Number fields whose text was not saved (unreadable or out of range): question id -> text.
INVALID = "ui:invalid"
#: A submit confirmation is pending (first click of two).
CONFIRM_SUBMIT = "ui:confirm_submit"
#: What the last "switch to the current version" did (shown once, then dropped).
SWITCHED = "ui:switched_version"
#: Result of the last batch export (zip bytes and manifest) in the department page.
BATCH_RESULT = "ui:batch_result"
#: Why the last submit was refused (shown on the results page).
SUBMIT_ERROR = "ui:submit_error"
#: The language radio in the sidebar (copied into ``LANGUAGE`` on change).
LANGUAGE_TOGGLE = "ui:language_toggle"
#: Set by sign-out: the sign-in page still has to clear the session cookie.
SIGNED_OUT = "ui:signed_out"
#: Set by a refused URL: the page the visitor asked for, shown as a notice on sign-in.
REFUSED_PAGE = "ui:refused_page"
#: An address that is no page of the app, to name in a notice on the page the visitor lands on.
MISSING_PAGE = "ui:missing_page"

# Widgets that belong to one page carry that page's prefix in their key ("signin:",
# "register:", "home:", "section:", "nav:", "results:", "fed:", "dep:", "admin:"), so that a
# key tells where its widget is; their values are read where they are drawn.

#: Query parameter names.
QP_LANGUAGE = "lang"
#: An old link's session token: dropped from the URL, never read (the session is a cookie).
QP_SESSION = "session"
QP_ASSESSMENT = "beoordeling"
#: The questionnaire section shown (a section id; kept over a reload).
QP_SECTION = "section"
#: An address that is no page (set by ``app.server.UnknownPageMiddleware``), shown as a notice.
QP_MISSING = "missing"

WIDGET_PREFIX = "w:"


def answer_key(framework_id: str, question_id: str) -> str:
    """The widget key of a question's answer: ``w:{framework}:{question}``."""
    return f"{WIDGET_PREFIX}{framework_id}:{question_id}"


def na_key(framework_id: str, question_id: str) -> str:
    """The widget key of a question's "niet van toepassing" checkbox."""
    return f"{answer_key(framework_id, question_id)}:na"


def note_key(framework_id: str, question_id: str) -> str:
    """The widget key of a question's optional note."""
    return f"{answer_key(framework_id, question_id)}:note"


def evidence_key(framework_id: str, question_id: str) -> str:
    """The widget key of a question's evidence upload."""
    return f"{answer_key(framework_id, question_id)}:evidence"
