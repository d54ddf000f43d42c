"""Results of the open assessment: level badge, overall score, radar chart of sections, topic
table beside the sector median and quartiles (or "te weinig deelnemers"), the improvement plan
with the gain of each step, last year's comparison, the PDF passport, and submit.

Everything shown comes from the passport document of ``exports.documents`` that the PDF
renderer lays out too, so the screen and the PDF show the same numbers.
"""

from __future__ import annotations

import streamlit as st

from app.services import assessments, passports
from app.services.errors import NotSubmittable, ServiceError
from app.ui import actions as action_plan
from app.ui import assessment, keys, resources, session, widgets
from app.ui.i18n import _, render, text
from exports.documents import build_passport_document, build_scan_document
from exports.pdf import render_passport, render_scan
from exports.text import label
from frameworks.loader import passport_models

START_TO_MVO = "start_to_mvo"
QUESTIONNAIRE_PAGE = "ui/pages/sme_questionnaire.py"

principal = session.require("sme")
store = resources.store()
cat = store.catalogue
language = session.language()

assessment_id = st.session_state.get(keys.ASSESSMENT_ID)
if assessment_id is None:
    mine = assessments.list_assessments(store, principal)
    if not mine:
        st.info(_("Choose a questionnaire and a year on your start page first."))
        st.stop()
    assessment.open_assessment(mine[0].id)
    assessment_id = mine[0].id

try:
    view = assessment.load(principal)
    passport_view = passports.get_passport(store, principal, assessment_id)
except ServiceError as error:
    st.error(render(error))
    st.stop()
try:
    benchmark = passports.get_benchmark(store, principal, assessment_id)
except ServiceError:
    benchmark = None

passport = passport_view.passport
# the versions the assessment was started on (a 1.0 draft shows 1.0's questions and weights)
frameworks, profile = passport_models(cat, passport)
framework = assessment.questionnaire_of(view)
is_scan = view.framework == START_TO_MVO


def _to_check(items) -> None:
    """ "Te controleren": numbers that do not fit together (a warning, never a block)."""
    if items:
        st.subheader(label("to_check", language))
        for question, why in items:
            st.warning(
                f"**{widgets.plain(question)}**  \n{widgets.plain(why)}",
                icon=":material/fact_check:",
            )


if is_scan:
    document = build_scan_document(passport, framework, language, list(cat.profiles.values()))
else:
    document = build_passport_document(passport, frameworks, profile, benchmark, language)

st.title(document.title)
st.caption(f"{document.organisation} · {view.year} · {assessment.status_label(view.status)}")

left, middle, right = st.columns(3)
with left:
    st.markdown("**" + (_("Result") if is_scan else _("Level")) + "**")
    if is_scan:
        # a scan has no level: its badge names what it is
        widgets.level_badge("concept" if document.concept else "", _("Start-to-MVO scan result"))
    else:
        widgets.level_badge(document.level_id, document.level)
middle.metric(_("Overall score"), document.overall)
if not is_scan:
    right.metric(_("Completeness"), document.completeness)
    st.caption(_("Peer group: {note}").format(note=document.benchmark_note))

if is_scan:
    widgets.document_table(document.results, key="results:scan")
    st.subheader(_("Your next steps"))
    for number, (question, advice) in enumerate(document.steps, start=1):
        with st.container(border=True):
            st.markdown(f"**{number}. {widgets.plain(question)}**")
            st.markdown(widgets.plain(advice))
    st.caption(document.next_text)
    _to_check(document.to_check)
else:
    if document.red_flags:  # S6a: what the law asks, from the same document as the PDF
        st.subheader(label("red_flags", language))
        for question, law, source in document.red_flags:
            st.error(
                f"**{widgets.plain(question)}**  \n{widgets.plain(law)} ({widgets.plain(source)})",
                icon=":material/gavel:",
            )
    _to_check(document.to_check)
    if document.legal:  # the legal thresholds at this size: information, not score
        st.subheader(label("legal_notes", language))
        for law, source in document.legal:
            st.info(f"{widgets.plain(law)} ({widgets.plain(source)})", icon=":material/balance:")
    for number, chart in enumerate(document.radars):
        widgets.radar_chart(chart, key=f"results:radar:{number}")
    for number, table in enumerate(document.topic_tables):
        widgets.document_table(table, key=f"results:topics:{number}")
    widgets.improvement_plan(
        document.plan,
        title=label("improvement_plan", language),
        gain_label=label("gain", language),
        advice_label=label("advice", language),
    )
    st.subheader(_("Compared with last year"))
    if document.comparison is not None:
        widgets.comparison(document.comparison)
    else:
        st.caption(_("No earlier year to compare with."))
    widgets.document_table(document.kpis, key="results:kpis")
planned_actions = action_plan.action_plan_part(store, principal, view, passport, profile, language)


def _pdf() -> bytes:
    if is_scan:
        return render_scan(
            passport, framework, language, list(cat.profiles.values()), actions=planned_actions
        )
    return render_passport(
        passport, frameworks, profile, benchmark, language, actions=planned_actions
    )


st.divider()
actions = st.columns(2)
actions[0].download_button(
    _("Download the Start-to-MVO scan result (PDF)") if is_scan else _("Download the PDF passport"),
    data=_pdf,
    file_name=(
        f"start-to-mvo-scan-{view.year}.pdf"
        if is_scan
        else f"mvo-paspoort-{view.framework}-{view.year}.pdf"
    ),
    mime="application/pdf",
    icon=":material/download:",
    key="results:pdf",
    on_click="ignore",
)


def _open_required_questions() -> list[tuple[str, str, str]]:
    """(section id, question id, question text in the page's language) of every required
    question still open, in questionnaire order."""
    still_open = set(passport_view.scorecard.required_open)
    return [
        (section.id, question.id, text(question.text, language))
        for section in framework.sections
        for topic in section.topics
        for question in topic.questions
        if question.id in still_open
    ]


def _ask_confirmation() -> None:
    st.session_state[keys.CONFIRM_SUBMIT] = True


def _cancel() -> None:
    st.session_state[keys.CONFIRM_SUBMIT] = False


def _submit(expected_version: int) -> None:
    # A second click arrives after the first submit: the service refuses it (read-only);
    # the flag keeps the page from even trying.
    if st.session_state.get(keys.CONFIRM_SUBMIT) != True:  # noqa: E712
        return
    st.session_state[keys.CONFIRM_SUBMIT] = "done"
    current = session.verified_principal()  # a callback: the user may be gone since the draw
    if current is None or current.user_id != principal.user_id:
        st.session_state[keys.CONFIRM_SUBMIT] = False
        return
    try:
        assessments.submit(store, current, assessment_id, expected_version=expected_version)
    except NotSubmittable as error:
        named = {question_id: label for _s, question_id, label in _open_required_questions()}
        st.session_state[keys.SUBMIT_ERROR] = _(
            "Required questions still open: {questions}."
        ).format(questions="; ".join(named.get(q, q) for q in error.open_questions))
        st.session_state[keys.CONFIRM_SUBMIT] = False
    except ServiceError as error:
        st.session_state[keys.SUBMIT_ERROR] = render(error)
        st.session_state[keys.CONFIRM_SUBMIT] = False
    else:
        st.session_state.pop(keys.SUBMIT_ERROR, None)


with actions[1]:
    if view.status == "submitted":
        final = (
            _("Submitted: this scan is final.")
            if is_scan
            else _("Submitted: this passport is final.")
        )
        st.success(final, icon=":material/verified:")
    elif st.session_state.get(keys.CONFIRM_SUBMIT) is True:
        st.warning(_("After submitting you can no longer change the answers. Submit now?"))
        st.button(
            _("Yes, submit"),
            type="primary",
            key="results:confirm",
            on_click=_submit,
            args=(view.version,),
        )
        st.button(_("Cancel"), key="results:cancel", on_click=_cancel)
    else:
        open_required = _open_required_questions()
        if open_required:
            # Said before any confirmation: submitting would be refused for exactly these.
            st.warning(
                _("Answer these required questions before you submit ({count}):").format(
                    count=len(open_required)
                ),
                icon=":material/assignment_late:",
            )
            for section_id, question_id, question_text in open_required:
                st.page_link(
                    QUESTIONNAIRE_PAGE,
                    label=question_text,
                    icon=":material/edit:",
                    query_params={"section": section_id, "question": question_id},
                )
        st.button(
            _("Submit"),
            type="primary",
            key="results:submit",
            on_click=_ask_confirmation,
            icon=":material/send:",
            disabled=bool(open_required),
        )
    if st.session_state.get(keys.SUBMIT_ERROR):
        st.error(st.session_state[keys.SUBMIT_ERROR])
