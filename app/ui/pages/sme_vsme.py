"""The SME's VSME report: progress per disclosure (B1-B11, and C1-C9 as the optional second
part), what is still missing with a link to it in the questionnaire, where prefilled values
came from (and "unchanged since last year"), the B3 energy and greenhouse-gas calculator, and
the three downloads (EFRAG's Digital Template, xBRL-JSON, PDF). Completeness, never a score.

Everything shown comes from ``app.services.vsme`` (progress, report, downloads),
``app.services.carry_over`` (sources, confirm) and ``vsme.save_calculation`` (the calculator's
figures saved as B3 answers, its inputs kept); the page decides nothing itself.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app.services import assessments, carry_over, organisations, vsme
from app.services.errors import ServiceError
from app.ui import assessment, keys, resources, session
from app.ui.choices import keep
from app.ui.i18n import _, render, text
from app.ui.questionnaire import answer_text
from app.ui.vsme_calculator import calculator_form, input_key
from exports.vsme.calculator import CONCEPTS

QUESTIONNAIRE = "ui/pages/sme_questionnaire.py"
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
}

principal = session.require("sme")
store = resources.store()
language = session.language()
if principal.organisation_id is None:
    st.info(_("Register your organisation on your start page first."))
    st.stop()
try:
    organisation = organisations.get_organisation(store, principal, principal.organisation_id)
except ServiceError as error:
    st.error(render(error))
    st.stop()
framework = store.catalogue.frameworks[vsme.FRAMEWORK]
questions = framework.questions
section_of = {q.id: s.id for s in framework.sections for t in s.topics for q in t.questions}

st.title(_("VSME report"))
st.caption(
    _(
        "The EU voluntary sustainability standard for SMEs (EFRAG VSME): what customers and "
        "banks may ask you. This is a disclosure, not a score: it shows how complete your "
        "report is and never counts towards your CSR passport."
    )
)

this_year = dt.date.today().year
started = {
    a.year
    for a in assessments.list_assessments(
        store, principal, organisation_id=principal.organisation_id
    )
    if a.framework == vsme.FRAMEWORK
}
years = sorted(started | {this_year, this_year - 1}, reverse=True)
keep("vsme:year", years)
year = st.selectbox(_("Reporting year"), years, key="vsme:year")

try:
    assessment_id = vsme.vsme_assessment_id(store, principal, principal.organisation_id, year)
except ServiceError as error:
    st.error(render(error))
    st.stop()
if assessment_id is None:
    st.info(_("You have not started the VSME report of {year} yet.").format(year=year))
    if st.button(
        _("Start the VSME report of {year}").format(year=year),
        key="vsme:start",
        type="primary",
        icon=":material/add:",
    ):
        try:
            assessments.start_assessment(
                store, principal, principal.organisation_id, year, framework=vsme.FRAMEWORK
            )
        except ServiceError as error:
            st.error(render(error))
        else:
            st.rerun()
    st.stop()

view = assessments.get_assessment(store, principal, assessment_id)
read_only = view.status != "draft"
if read_only:
    st.info(
        _("This VSME report is submitted and can no longer be changed."), icon=":material/lock:"
    )


def open_in_questionnaire(question_id: str | None, section_id: str) -> None:
    """Open this VSME report in the questionnaire at ``section_id`` (and ``question_id``)."""
    assessment.open_assessment(assessment_id)
    st.session_state[keys.CURRENT_SECTION] = section_id
    st.session_state[keys.FOCUS_QUESTION] = question_id
    st.switch_page(QUESTIONNAIRE, query_params={keys.QP_SECTION: section_id})


# --------------------------------------------------------------------------- progress
progress = vsme.vsme_progress(store, principal, principal.organisation_id, year)
basic = [p for p in progress if p.module == "basic"]
comprehensive = [p for p in progress if p.module == "comprehensive"]


def progress_frame(items) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                _("Disclosure"): p.title(language),
                _("Answered"): f"{p.answered} / {p.required}",
                _("Missing"): len(p.missing),
                _("Complete"): "✓" if p.complete else "",
            }
            for p in items
        ],
        columns=[_("Disclosure"), _("Answered"), _("Missing"), _("Complete")],
    )


answered = sum(p.answered for p in basic)
required = sum(p.required for p in basic)
st.subheader(_("Basic module (B1-B11)"))
st.progress(
    answered / required if required else 1.0,
    text=_("{answered} of {total} datapoints answered").format(answered=answered, total=required),
)
if all(p.complete for p in basic):
    st.success(_("Every datapoint the Basic module asks is answered."), icon=":material/task_alt:")
st.dataframe(progress_frame(basic), hide_index=True, key="vsme:basic")
with st.expander(_("Comprehensive module (C1-C9, optional)")):
    st.caption(
        _(
            "The Comprehensive module is a second, optional part: report it when a customer "
            "or bank asks for it."
        )
    )
    st.dataframe(progress_frame(comprehensive), hide_index=True, key="vsme:comprehensive")

# --------------------------------------------------------------------------- missing
missing = [(p, qid) for p in basic for qid in p.missing]
st.subheader(_("What is still missing"))
if not missing:
    st.caption(_("Nothing is missing in the Basic module."))
for disclosure in [p for p in basic if p.missing]:
    with st.expander(
        _("{disclosure}: {n} missing").format(
            disclosure=disclosure.title(language), n=len(disclosure.missing)
        )
    ):
        for question_id in disclosure.missing:
            left, right = st.columns([4, 1])
            left.markdown(text(questions[question_id].text))
            if right.button(
                _("Answer"),
                key=f"vsme:goto:{question_id}",
                icon=":material/edit:",
                disabled=read_only,
            ):
                open_in_questionnaire(question_id, section_of[question_id])
if comprehensive and st.button(
    _("Open the whole VSME questionnaire"), key="vsme:questionnaire", icon=":material/checklist:"
):
    open_in_questionnaire(None, framework.sections[0].id)

# --------------------------------------------------------------------------- sources
sources = carry_over.answer_sources(store, principal, assessment_id)


def source_label(source) -> str:
    if source.kind == "last_year":
        said = _("Last year ({year})").format(year=source.year)
        return said + (" · " + _("confirmed unchanged") if source.confirmed else "")
    if source.kind == "framework":
        other = store.catalogue.frameworks.get(source.framework)
        other_question = other.questions.get(source.question) if other is not None else None
        said = _("Your answer in {framework}").format(
            framework=text(other.title) if other is not None else source.framework
        )
        if other_question is not None:
            said += f": {text(other_question.text)}"
        return said + (f" ({source.conversion})" if source.conversion else "")
    if source.kind == "organisation":
        return _("Your company details ({field})").format(field=source.field)
    if source.kind == carry_over.CALCULATOR:
        return _("The calculator (B3), from your invoices")
    if source.kind == "user":
        return _("Entered by you")
    return _("Stored earlier")


prefilled = {
    q: s
    for q, s in sources.items()
    if s.kind in ("last_year", "framework", "organisation", carry_over.CALCULATOR)
}
st.subheader(_("Where the values came from"))
if not prefilled:
    st.caption(_("No value of this report was taken over from elsewhere."))
else:
    values = view.answer_values()
    st.dataframe(
        pd.DataFrame(
            [
                {
                    _("Datapoint"): text(questions[q].text) if q in questions else q,
                    _("Value"): (
                        answer_text(questions[q], framework, values.get(q))
                        if q in questions
                        else str(values.get(q, ""))
                    ),
                    _("Source"): source_label(s),
                }
                for q, s in prefilled.items()
            ]
        ),
        hide_index=True,
        key="vsme:sources",
    )
    unconfirmed = [q for q, s in prefilled.items() if s.kind == "last_year" and not s.confirmed]
    if unconfirmed and not read_only:
        chosen = st.multiselect(
            _("Values taken over from last year that you checked"),
            unconfirmed,
            default=unconfirmed,
            format_func=lambda q: text(questions[q].text) if q in questions else q,
            key="vsme:confirm_choice",
        )
        if st.button(
            _("Confirm: unchanged since last year"),
            key="vsme:confirm",
            icon=":material/done_all:",
            disabled=not chosen,
        ):
            try:
                carry_over.confirm_unchanged(store, principal, assessment_id, chosen)
            except ServiceError as error:
                st.error(render(error))
            else:
                st.rerun()

# --------------------------------------------------------------------------- calculator
st.subheader(_("Energy and greenhouse-gas calculator (B3)"))
st.caption(
    _(
        "Enter what is on your invoices and fuel cards; the calculator works out the energy "
        "in MWh and Scope 1 and 2 emissions, and saves them as your B3 answers."
    )
)
stored = vsme.stored_calculation(store, principal, principal.organisation_id, year)
initial = stored.model_dump() if stored is not None else {}
with st.expander(_("Open the calculator"), expanded=False):
    result = calculator_form(str(assessment_id), initial)
    if result is not None:
        labels = {q.vsme.datapoint: text(q.text) for q in questions.values() if q.vsme is not None}
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        _("Datapoint"): labels.get(CONCEPTS[key], CONCEPTS[key]),
                        _("Value"): round(figure.value, 6),
                        _("Unit"): figure.unit,
                        _("How it was computed"): "; ".join(
                            f"{s.label}: {s.quantity:g} {s.quantity_unit} × {s.factor_value:g} "
                            f"{s.factor_unit} ({s.source})"
                            for s in figure.steps
                        ),
                    }
                    for key, figure in result.figures.items()
                ]
            ),
            hide_index=True,
            key="vsme:calculation",
        )
        st.caption(_("Emission factors: version {version}").format(version=result.factors_version))
        if st.button(
            _("Save as my B3 answers"),
            key="vsme:save_b3",
            type="primary",
            icon=":material/save:",
            disabled=read_only,
        ):
            try:
                saved = vsme.save_calculation(
                    store,
                    principal,
                    principal.organisation_id,
                    year,
                    st.session_state[input_key(str(assessment_id))],
                )
            except ServiceError as error:
                st.error(render(error))
            else:
                st.success(_("{n} B3 answers saved.").format(n=len(saved.as_datapoints())))

# --------------------------------------------------------------------------- downloads
st.subheader(_("Download the VSME report"))
try:
    vsme.vsme_report(store, principal, principal.organisation_id, year)
except ServiceError as error:
    st.error(render(error))
    ready = False
else:
    ready = True
DOWNLOADS = (
    ("xlsx", _("EFRAG Digital Template (XLSX)"), ":material/table:"),
    ("json", _("xBRL-JSON"), ":material/data_object:"),
    ("pdf", _("Report (PDF)"), ":material/picture_as_pdf:"),
)


def download(format: str) -> bytes:
    """What ``mvo export vsme --org`` writes for this organisation and year."""
    return vsme.vsme_download(
        store, principal, principal.organisation_id, year, format, language=language
    )[1]


columns = st.columns(len(DOWNLOADS))
for column, (format, caption, icon) in zip(columns, DOWNLOADS, strict=True):
    column.download_button(
        caption,
        data=lambda format=format: download(format),
        file_name=vsme.download_name(organisation.kbo or "report", year, format),
        mime=MIME[format],
        key=f"vsme:download:{format}",
        on_click="ignore",
        icon=icon,
        disabled=not ready,
    )
st.caption(_("VSME Digital Template © EFRAG, MIT licence"))
