"""The questionnaire renderer: a Framework's questions as Streamlit widgets.

One widget per question type (maturity and choice as radio buttons, yes/no as a horizontal
radio, multi as a multiselect, number as a number field with its unit, text as a text area),
each under its namespaced key ``w:{framework}:{question}``. Help sits in a popover, "niet van
toepassing" only appears where the question allows it, a note is optional. Every change is
saved at once through the ``save`` callable the page passes in (which calls the services): the
renderer holds no business logic, it only turns widget values into answer values and back.

Numbers are checked inline against their range and integer-ness; a value out of range is shown
as an error beside the field and is not saved, never raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import streamlit as st

from app.ui import keys
from app.ui.evidence import evidence_list
from app.ui.i18n import _, render, text
from frameworks.models import (
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
from frameworks.visibility import visible_questions

YES, NO = "yes", "no"


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


def visible_ids(framework: Framework, answers: Mapping[str, AnswerLike]) -> set[str]:
    """Ids of the questions that show for the stored answers: the engine's own reading of
    ``visible_if`` (``frameworks.visibility``), so a chain q1 -> q2 -> q3 hides q3 here exactly
    when the score leaves it out."""
    values = {qid: answer.value for qid, answer in answers.items() if answer is not None}
    return visible_questions(framework, values)


def is_visible(
    framework: Framework, question: QuestionBase, answers: Mapping[str, AnswerLike]
) -> bool:
    """Whether a question shows for the stored answers (see ``visible_ids``)."""
    return question.id in visible_ids(framework, answers)


def section_questions(section: Section) -> list[QuestionBase]:
    """The questions of a section in order."""
    return [q for topic in section.topics for q in topic.questions]


def section_progress(
    framework: Framework, section: Section, answers: Mapping[str, AnswerLike]
) -> tuple[int, int]:
    """(answered, visible) questions of a section."""
    shown = visible_ids(framework, answers)
    visible = [q for q in section_questions(section) if q.id in shown]
    answered = sum(1 for q in visible if is_answered(answers.get(q.id)))
    return answered, len(visible)


def next_unanswered(
    framework: Framework, answers: Mapping[str, AnswerLike], after: str | None = None
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
    shown = visible_ids(framework, answers)
    for section_id, q in order[start:] + order[:start]:
        if q.id in shown and not is_answered(answers.get(q.id)):
            return section_id, q.id
    return None


# --------------------------------------------------------------------------- widget values
def widget_value(question: QuestionBase, answer: AnswerLike | None) -> Any:
    """The widget's value for a stored answer (None for unanswered)."""
    value = None if answer is None or is_na(answer) else answer.value
    if value is None:
        return [] if isinstance(question, MultiQuestion) else None
    if isinstance(question, YesNoQuestion):
        if isinstance(value, bool):
            return YES if value else NO
        return value if value in (YES, NO) else None
    if isinstance(question, MaturityQuestion):
        try:
            return int(value) if 0 <= int(value) <= 4 else None
        except (TypeError, ValueError):
            return None
    if isinstance(question, ChoiceQuestion):
        return value if value in {o.id for o in question.options} else None
    if isinstance(question, MultiQuestion):
        ids = {o.id for o in question.options}
        return [v for v in (value if isinstance(value, list) else [value]) if v in ids]
    if isinstance(question, NumberQuestion):
        try:
            return int(value) if question.integer else float(value)
        except (TypeError, ValueError):
            return None
    return str(value)


def answer_value(question: QuestionBase, raw: Any) -> Any:
    """The answer value to store for a widget's value (None clears the answer)."""
    if raw is None or raw == "" or raw == []:
        return None
    if isinstance(question, YesNoQuestion):
        return raw == YES
    if isinstance(question, MaturityQuestion):
        return int(raw)
    if isinstance(question, MultiQuestion):
        return list(raw)
    if isinstance(question, NumberQuestion):
        return int(raw) if question.integer else float(raw)
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


def _fmt(number: float) -> str:
    return f"{number:g}"


# --------------------------------------------------------------------------- callbacks
def _invalid() -> dict[str, str]:
    return st.session_state.setdefault(keys.INVALID, {})


def _on_change(framework_id: str, question: QuestionBase, save: SaveFunction) -> None:
    """Copy the question's widgets into an answer and save it (runs before the rerun)."""
    state = st.session_state
    raw = state.get(keys.answer_key(framework_id, question.id))
    na = bool(state.get(keys.na_key(framework_id, question.id), False))
    note = state.get(keys.note_key(framework_id, question.id)) or None
    invalid = _invalid()
    if isinstance(question, NumberQuestion) and not na:
        problem = number_problem(question, raw)
        if problem:
            invalid[question.id] = problem
            return
    invalid.pop(question.id, None)
    value = NA if na else answer_value(question, raw)
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


def _seed(key: str, value: Any) -> None:
    """Give a widget its stored value the first time it is drawn (Streamlit forgets the
    state of widgets that were not rendered, so the store is the source)."""
    if key not in st.session_state:
        st.session_state[key] = value


def _option_labels(question: QuestionBase, framework: Framework) -> dict[Any, str]:
    if isinstance(question, MaturityQuestion):
        levels = question.levels
        if levels is None and question.scale is not None:
            levels = framework.scales.get(question.scale)
        if levels is None:
            return {i: f"{i}" for i in range(5)}
        return {i: f"{i} · {text(level)}" for i, level in enumerate(levels)}
    if isinstance(question, YesNoQuestion):
        return {YES: _("Yes"), NO: _("No")}
    if isinstance(question, ChoiceQuestion | MultiQuestion):
        return {o.id: text(o.label) for o in question.options}
    return {}


def render_question(
    framework: Framework,
    question: QuestionBase,
    answer: AnswerLike | None,
    save: SaveFunction,
    *,
    read_only: bool = False,
    focused: bool = False,
    attach: AttachFunction | None = None,
) -> None:
    """Draw one question: text, help, the answer widget, n/a, note, evidence where the
    question asks for it, and inline problems."""
    fid = framework.id
    key = keys.answer_key(fid, question.id)
    na_key = keys.na_key(fid, question.id)
    note_key = keys.note_key(fid, question.id)
    callback = {"on_change": _on_change, "args": (fid, question, save)}
    _seed(key, widget_value(question, answer))
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
            step = 1 if question.integer else None
            value_label = _("Value")
            st.number_input(
                f"{value_label} ({question.unit})",
                key=key,
                step=step,
                format="%d" if question.integer else "%g",
                disabled=disabled,
                placeholder=question.unit,
                **callback,
            )
            problem = _invalid().get(question.id)
            if problem:
                st.error(problem, icon=":material/warning:")
        elif isinstance(question, TextQuestion):
            st.text_area(
                label,
                key=key,
                max_chars=question.max_length,
                disabled=disabled,
                label_visibility="collapsed",
                **callback,
            )

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
) -> None:
    """Draw a section's visible questions, topic by topic."""
    shown = visible_ids(framework, answers)
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
            )


def save_status_line() -> None:
    """The visible autosave state: "opgeslagen" with the time, or the problem."""
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
    else:
        st.error(_("Not saved: {reason}").format(reason=message), icon=":material/warning:")
