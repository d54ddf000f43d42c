"""The questionnaire renderer: a Framework's questions as Streamlit widgets.

One widget per question type (maturity and choice as radio buttons, yes/no as a horizontal
radio, multi as a multiselect, number as a text field read with the UI locale, text as a text
area),
each under its namespaced key ``w:{framework}:{question}``. Help sits in a popover, "niet van
toepassing" only appears where the question allows it, a note is optional. Every change is
saved at once through the ``save`` callable the page passes in (which calls the services): the
renderer holds no business logic, it only turns widget values into answer values and back.

The widgets' options are the answer ids (levels 0..4, True/False, option ids) with labels from
``format_func``. Streamlit keeps a choice widget's state by its *label*, so after a language
switch the browser sends a label of the other language: every widget is given its stored value
again when it is drawn in another language than before, a callback that receives something that
is no option writes nothing, and a callback writes only a value that differs from the stored one.

Numbers are typed as text and read with Babel in the UI language ("12,5" and "12.5" are both
12.5, "1.234,5" in Dutch); an emptied field clears the answer. A value that cannot be read or is
out of range is shown as "not saved" beside the field and the stored value stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

import streamlit as st
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from app.ui import keys
from app.ui.evidence import evidence_list
from app.ui.i18n import LANGUAGES, _, current_language, render, text
from frameworks.models import (
    DONT_KNOW,
    NA,
    ChoiceQuestion,
    Framework,
    MaturityQuestion,
    MultiQuestion,
    NumberQuestion,
    QuestionBase,
    Section,
    TextQuestion,
    YesNoQuestion,
)
from frameworks.plausibility import PlausibilityWarning, implausible
from frameworks.visibility import visible_questions

#: The options of a yes/no widget (the stored answer values themselves).
YES, NO = True, False


class AnswerLike(Protocol):
    """What the renderer reads of a stored answer (the services' ``AnswerView``): the value
    ("n/a" where marked not applicable) and the note."""

    value: Any
    note: str | None


@dataclass(frozen=True)
class Change:
    """One edit of one question, as the page hands it to the services: ``value`` is the
    answer value ("n/a" for not applicable, None to clear it)."""

    question: str
    value: Any
    note: str | None


#: The page's save function: stores a change and returns nothing, or raises.
SaveFunction = Callable[[Change], None]
#: The page's evidence function: stores a file (question id, file name, bytes), or raises.
AttachFunction = Callable[[str, str, bytes], None]


# --------------------------------------------------------------------------- answer state
def is_na(answer: AnswerLike | None) -> bool:
    """Whether the stored answer says "niet van toepassing"."""
    return answer is not None and isinstance(answer.value, str) and answer.value == NA


def is_answered(answer: AnswerLike | None) -> bool:
    """An answer counts as given when it has a value or is marked not applicable."""
    if answer is None:
        return False
    value = answer.value
    return value is not None and value != "" and value != []


def visible_ids(
    framework: Framework, answers: Mapping[str, AnswerLike], employees: float | None = None
) -> set[str]:
    """Ids of the questions that show for the stored answers of an organisation with
    ``employees`` FTE: the engine's own reading of ``visible_if`` and of the questions about
    employees (``frameworks.visibility``), so a chain q1 -> q2 -> q3 hides q3 here exactly
    when the score leaves it out, and a firm without employees is asked none about them."""
    values = {qid: answer.value for qid, answer in answers.items() if answer is not None}
    return visible_questions(framework, values, employees)


def is_visible(
    framework: Framework, question: QuestionBase, answers: Mapping[str, AnswerLike]
) -> bool:
    """Whether a question shows for the stored answers (see ``visible_ids``)."""
    return question.id in visible_ids(framework, answers)


def section_questions(section: Section) -> list[QuestionBase]:
    """The questions of a section in order."""
    return [q for topic in section.topics for q in topic.questions]


def section_progress(
    framework: Framework,
    section: Section,
    answers: Mapping[str, AnswerLike],
    employees: float | None = None,
) -> tuple[int, int]:
    """(answered, visible) questions of a section."""
    shown = visible_ids(framework, answers, employees)
    visible = [q for q in section_questions(section) if q.id in shown]
    answered = sum(1 for q in visible if is_answered(answers.get(q.id)))
    return answered, len(visible)


def next_unanswered(
    framework: Framework,
    answers: Mapping[str, AnswerLike],
    after: str | None = None,
    employees: float | None = None,
) -> tuple[str, str] | None:
    """(section id, question id) of the first visible unanswered question, searching from
    the question after ``after`` and wrapping around; None when all are answered."""
    order = [(section.id, q) for section in framework.sections for q in section_questions(section)]
    start = 0
    if after is not None:
        for index, (_section, q) in enumerate(order):
            if q.id == after:
                start = index + 1
                break
    shown = visible_ids(framework, answers, employees)
    for section_id, q in order[start:] + order[:start]:
        if q.id in shown and not is_answered(answers.get(q.id)):
            return section_id, q.id
    return None


# --------------------------------------------------------------------------- widget values
def widget_value(question: QuestionBase, answer: AnswerLike | None, language: str = "nl") -> Any:
    """The widget's value for a stored answer (None for unanswered; a number's text in the
    notation of ``language``)."""
    value = None if answer is None or is_na(answer) else answer.value
    if isinstance(question, NumberQuestion):
        number = _as_number(question, value)
        return "" if number is None else format_number_input(number, language)
    if value is None:
        return [] if isinstance(question, MultiQuestion) else None
    if question.allow_dont_know and value == DONT_KNOW:
        return DONT_KNOW
    if isinstance(question, YesNoQuestion):
        return value if isinstance(value, bool) else None
    if isinstance(question, MaturityQuestion):
        return value if type(value) is int and 0 <= value <= 4 else None
    if isinstance(question, ChoiceQuestion):
        return value if value in {o.id for o in question.options} else None
    if isinstance(question, MultiQuestion):
        ids = {o.id for o in question.options}
        return [v for v in (value if isinstance(value, list) else [value]) if v in ids]
    return str(value)


def _as_number(question: NumberQuestion, value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return int(value) if question.integer and float(value) == int(value) else float(value)


def is_widget_value(question: QuestionBase, raw: Any) -> bool:
    """Whether ``raw`` is something the question's widget can hold (the question's class
    decides: ``QuestionBase.holds_widget_value``): a label of another language is not."""
    return question.holds_widget_value(raw)


def format_number_input(value: int | float, language: str) -> str:
    """A stored number as the field shows it: decimal comma and point grouping in Dutch."""
    return format_decimal(value, format="#,##0.##########", locale=_locale(language))


def _locale(language: str) -> str:
    return language if language in LANGUAGES else "nl"


def parse_number(raw: str, language: str) -> Decimal | None:
    """A typed number read in the UI language, else in the other one ("12,5" and "12.5" are
    12.5 in both; "1.234,5" is 1234.5 in Dutch); None for an empty field. Raises ValueError
    for text that is no number in either notation."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", raw or "")
    if not cleaned:
        return None
    first = _locale(language)
    for locale in (first, *(other for other in LANGUAGES if other != first)):
        try:
            number = parse_decimal(cleaned, locale=locale, strict=True)
        except NumberFormatError:
            continue
        if number.is_finite():
            return number
    raise ValueError(raw)


def answer_value(question: QuestionBase, raw: Any, language: str = "nl") -> Any:
    """The answer value to store for a widget's value (None clears the answer). Raises
    ValueError for a number field whose text is no number."""
    if isinstance(question, NumberQuestion):
        number = parse_number(raw if isinstance(raw, str) else str(raw or ""), language)
        if number is None:
            return None
        return int(number) if question.integer and number == number.to_integral() else float(number)
    if raw is None or raw == "" or raw == []:
        return None
    if isinstance(question, MaturityQuestion):
        return int(raw)
    if isinstance(question, MultiQuestion):
        return list(raw)
    return raw


def number_problem(question: NumberQuestion, value: float | None) -> str | None:
    """Why a number cannot be saved (out of range, not whole), or None when it can."""
    if value is None:
        return None
    if question.integer and float(value) != int(value):
        return _("Enter a whole number.")
    low, high = question.min, question.max
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            return _("Enter a value between {low} and {high} {unit}.").format(
                low=_fmt(low), high=_fmt(high), unit=question.unit
            )
        if low is not None:
            return _("Enter a value of at least {low} {unit}.").format(
                low=_fmt(low), unit=question.unit
            )
        return _("Enter a value of at most {high} {unit}.").format(
            high=_fmt(high), unit=question.unit
        )
    return None


def typed_number_problem(question: NumberQuestion, raw: str, language: str) -> str | None:
    """Why the text typed into a number field cannot be saved, or None when it can."""
    try:
        value = answer_value(question, raw, language)
    except ValueError:
        return _('"{text}" is not a number.').format(text=raw.strip())
    return number_problem(question, value)


def _fmt(number: float) -> str:
    return format_number_input(number, current_language())


# --------------------------------------------------------------------------- callbacks
def _invalid() -> dict[str, str]:
    return st.session_state.setdefault(keys.INVALID, {})


def _drawn_key(key: str) -> str:
    """Where a widget's drawing language is kept (cleared with the widget keys)."""
    return f"{key}:drawn_in"


def _on_change(
    framework_id: str, question: QuestionBase, save: SaveFunction, stored: AnswerLike | None
) -> None:
    """Copy the question's widgets into an answer and save it when it differs from the stored
    one (runs before the rerun). Something that is no option (a label of another language)
    puts the stored value back and writes nothing."""
    state = st.session_state
    key = keys.answer_key(framework_id, question.id)
    language = current_language()
    raw = state.get(key)
    na = bool(state.get(keys.na_key(framework_id, question.id), False))
    note = state.get(keys.note_key(framework_id, question.id)) or None
    invalid = _invalid()
    if not isinstance(question, NumberQuestion) and not is_widget_value(question, raw):
        state[key] = widget_value(question, stored, language)
        return
    if isinstance(question, NumberQuestion) and not na:
        problem = typed_number_problem(question, raw or "", language)
        if problem:
            invalid[question.id] = raw or ""
            state[keys.SAVE_STATUS] = ("not_saved", problem, datetime.now())
            state[keys.LAST_CHANGE] = question.id
            return
    invalid.pop(question.id, None)
    value = NA if na else answer_value(question, raw, language)
    stored_value = None if stored is None else stored.value
    stored_note = None if stored is None else (stored.note or None)
    if value == stored_value and type(value) is type(stored_value) and note == stored_note:
        return  # nothing the user changed (a rerender, or the same value typed again)
    state[keys.LAST_CHANGE] = question.id
    try:
        save(Change(question=question.id, value=value, note=note))
    except Exception as error:  # the page's save reports details; never crash a widget
        state[keys.SAVE_STATUS] = ("error", render(error), datetime.now())


def _on_upload(framework_id: str, question: QuestionBase, attach: AttachFunction) -> None:
    """Store an uploaded evidence file at once (the widget forgets it on the next page)."""
    state = st.session_state
    uploaded = state.get(keys.evidence_key(framework_id, question.id))
    if uploaded is None:
        return
    try:
        attach(question.id, uploaded.name, uploaded.getvalue())
    except Exception as error:  # the services explain refused files; never crash a widget
        state[keys.SAVE_STATUS] = ("error", render(error), datetime.now())
    else:
        state[keys.SAVE_STATUS] = ("saved", "", datetime.now())


# --------------------------------------------------------------------------- rendering
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def markdown_escape(value: str) -> str:
    """Question texts come from YAML files: show them literally, never as Markdown or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def _seed(key: str, value: Any, *, redraw: bool = False) -> None:
    """Give a widget its stored value the first time it is drawn (Streamlit forgets the
    state of widgets that were not rendered, so the store is the source), and again when it is
    drawn in another language (``redraw``: its state then holds a label of the other one)."""
    if redraw or key not in st.session_state:
        st.session_state[key] = value


def _option_labels(question: QuestionBase, framework: Framework) -> dict[Any, str]:
    if isinstance(question, MaturityQuestion):
        levels = question.levels
        if levels is None and question.scale is not None:
            levels = framework.scales.get(question.scale)
        if levels is None:
            return {i: f"{i}" for i in range(5)}
        return {i: f"{i} · {text(level)}" for i, level in enumerate(levels)}
    dont_know = {DONT_KNOW: _("Don't know")} if question.allow_dont_know else {}
    if isinstance(question, YesNoQuestion):
        return {YES: _("Yes"), NO: _("No"), **dont_know}
    if isinstance(question, ChoiceQuestion | MultiQuestion):
        return {**{o.id: text(o.label) for o in question.options}, **dont_know}
    return {}


def answer_text(question: QuestionBase, framework: Framework, value: Any) -> str:
    """A stored answer as people read it in the session's language: an option's label (never
    its id), "Ja"/"Nee", the maturity level's text, "Niet van toepassing", a number with a
    decimal comma in Dutch."""
    if value is None:
        return ""
    if value == NA:
        return _("Not applicable")
    labels = _option_labels(question, framework)
    if isinstance(value, list):
        return ", ".join(labels.get(item, str(item)) for item in value)
    if isinstance(value, bool | str) or isinstance(question, MaturityQuestion):
        return labels.get(value, str(value))
    if isinstance(value, int | float):
        return format_number_input(value, current_language())
    return str(value)


def render_question(
    framework: Framework,
    question: QuestionBase,
    answer: AnswerLike | None,
    save: SaveFunction,
    *,
    read_only: bool = False,
    focused: bool = False,
    attach: AttachFunction | None = None,
    tackle: Callable[[str], None] | None = None,
    employees: float | None = None,
    to_check: Sequence[PlausibilityWarning] = (),
) -> None:
    """Draw one question: text, help, the legal thresholds at the organisation's size
    (``employees`` FTE; information, never score), the answer widget, n/a, note, evidence
    where the question asks for it, inline problems, the plausibility warnings ``to_check``
    (never a block), and ``tackle``'s "ik wil dit aanpakken" box."""
    fid = framework.id
    key = keys.answer_key(fid, question.id)
    na_key = keys.na_key(fid, question.id)
    note_key = keys.note_key(fid, question.id)
    callback = {"on_change": _on_change, "args": (fid, question, save, answer)}
    language = current_language()
    drawn = _drawn_key(key)
    pending = question.id in _invalid()  # a number that was not saved keeps its text
    redraw = st.session_state.get(drawn, language) != language and not pending
    if not pending and not is_widget_value(question, st.session_state.get(key)):
        redraw = True
    _seed(key, widget_value(question, answer, language), redraw=redraw)
    st.session_state[drawn] = language
    _seed(na_key, is_na(answer))
    _seed(note_key, (answer.note if answer is not None else None) or "")
    na = bool(st.session_state.get(na_key))

    with st.container(border=True, key=f"q:{fid}:{question.id}"):
        title = f"**{markdown_escape(text(question.text))}**"
        if question.required:
            title += " :red[*]"
        st.markdown((":material/arrow_forward: " if focused else "") + title)
        if question.help is not None:
            with st.popover(_("Help"), icon=":material/help:", type="tertiary"):
                st.markdown(text(question.help))
        for note in question.legal_notes(employees):
            st.info(
                markdown_escape(text(note.text)) + f"  \n*{markdown_escape(note.source)}*",
                icon=":material/gavel:",
            )

        disabled = read_only or na
        labels = _option_labels(question, framework)
        label = _("Answer")
        if isinstance(question, MaturityQuestion | ChoiceQuestion):
            st.radio(
                label,
                list(labels),
                key=key,
                format_func=labels.get,
                disabled=disabled,
                label_visibility="collapsed",
                **callback,
            )
        elif isinstance(question, YesNoQuestion):
            st.radio(
                label,
                list(labels),
                key=key,
                format_func=labels.get,
                horizontal=True,
                disabled=disabled,
                label_visibility="collapsed",
                **callback,
            )
        elif isinstance(question, MultiQuestion):
            st.multiselect(
                label,
                list(labels),
                key=key,
                format_func=labels.get,
                placeholder=_("Choose one or more"),
                disabled=disabled,
                label_visibility="collapsed",
                **callback,
            )
        elif isinstance(question, NumberQuestion):
            value_label = _("Value")
            st.text_input(
                f"{value_label} ({question.unit})",
                key=key,
                disabled=disabled,
                placeholder=question.unit,
                **callback,
            )
            if pending:
                problem = typed_number_problem(question, _invalid()[question.id], language)
                st.error(
                    _("Not saved: {reason}").format(reason=problem or ""),
                    icon=":material/warning:",
                )
            for warning in to_check:
                st.warning(
                    _("To check: {reason}").format(reason=markdown_escape(text(warning.message))),
                    icon=":material/fact_check:",
                )
        elif isinstance(question, TextQuestion):
            st.text_area(
                label,
                key=key,
                max_chars=question.max_length,
                disabled=disabled,
                label_visibility="collapsed",
                **callback,
            )

        if st.session_state.get(keys.LAST_CHANGE) == question.id and not pending:
            status = st.session_state.get(keys.SAVE_STATUS)
            if status is not None and status[0] == "saved":
                saved = _("Saved at {time}").format(time=status[2].strftime("%H:%M:%S"))
                st.caption(":material/check_circle: " + saved)

        if question.evidence and attach is not None and not read_only:
            st.file_uploader(
                _("Evidence (pdf, png, jpg, xlsx, docx; at most 10 MB)"),
                type=["pdf", "png", "jpg", "jpeg", "xlsx", "docx"],
                key=keys.evidence_key(fid, question.id),
                on_change=_on_upload,
                args=(fid, question, attach),
            )
        if question.evidence and attach is not None:
            evidence_list(attach, fid, question.id, read_only=read_only)
        if question.allow_na:
            st.checkbox(_("Not applicable"), key=na_key, disabled=read_only, **callback)
        if tackle is not None and question.max_points > 0:
            tackle(question.id)
        # The note field is drawn only while its expander is open (lazy: most questions
        # have no note); its stored value stays in the seeded session key meanwhile.
        note_box = st.expander(
            _("Note"),
            expanded=bool(st.session_state.get(note_key)),
            key=f"{note_key}:open",
            on_change="rerun",
        )
        if note_box.open:
            with note_box:
                st.text_area(
                    _("Note"),
                    key=note_key,
                    disabled=read_only,
                    label_visibility="collapsed",
                    max_chars=2000,
                    **callback,
                )


def render_section(
    framework: Framework,
    section: Section,
    answers: Mapping[str, AnswerLike],
    save: SaveFunction,
    *,
    read_only: bool = False,
    focus: str | None = None,
    attach: AttachFunction | None = None,
    tackle: Callable[[str], None] | None = None,
    employees: float | None = None,
) -> None:
    """Draw a section's visible questions, topic by topic."""
    shown = visible_ids(framework, answers, employees)
    values = {qid: a.value for qid, a in answers.items() if a is not None and qid in shown}
    to_check: dict[str, list[PlausibilityWarning]] = {}
    for warning in implausible(framework, values, only=[q.id for q in section_questions(section)]):
        to_check.setdefault(warning.question, []).append(warning)
    for topic in section.topics:
        visible = [q for q in topic.questions if q.id in shown]
        if not visible:
            continue
        clause = f" ({topic.clause})" if topic.clause else ""
        st.subheader(text(topic.title) + clause, divider="gray")
        for question in visible:
            render_question(
                framework,
                question,
                answers.get(question.id),
                save,
                read_only=read_only,
                focused=question.id == focus,
                attach=attach,
                tackle=tackle,
                employees=employees,
                to_check=to_check.get(question.id, ()),
            )


def save_status_line(*, read_only: bool = False) -> None:
    """The visible autosave state: "opgeslagen" with the time, or the problem; a submitted
    questionnaire says it is read-only."""
    if read_only:
        st.caption(":material/lock: " + _("Read only: nothing can be changed."))
        return
    status = st.session_state.get(keys.SAVE_STATUS)
    if status is None:
        st.caption(_("Answers are saved automatically."))
        return
    kind, message, when = status
    if kind == "saved":
        saved = _("Saved at {time}").format(time=when.strftime("%H:%M:%S"))
        st.caption(":material/check_circle: " + saved)
    elif kind == "conflict":
        st.warning(message, icon=":material/sync_problem:")
    elif kind == "not_saved":
        st.warning(_("Not saved: {reason}").format(reason=message), icon=":material/warning:")
    else:
        st.error(_("Not saved: {reason}").format(reason=message), icon=":material/warning:")
