"""The questionnaire renderer on the example framework (tests/fixtures): one widget per
question type under ``w:{framework}:{question}``, n/a only where allowed, visible_if, numbers
checked inline and never raised, every change handed to the save function at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.ui.questionnaire import (
    Change,
    answer_value,
    is_visible,
    next_unanswered,
    number_problem,
    section_progress,
    widget_value,
)
from frameworks.loader import load_framework

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "example_framework.yaml"


class Stored:
    def __init__(self, value, note=None):
        self.value = value
        self.note = note


@pytest.fixture(scope="module")
def framework():
    return load_framework(FIXTURE)


def _script(fixture: str) -> None:
    from datetime import datetime

    import streamlit as st

    from app.ui import keys
    from app.ui.questionnaire import render_section, save_status_line
    from frameworks.loader import load_framework

    framework = load_framework(fixture)

    class Stored:
        def __init__(self, value, note=None):
            self.value = value
            self.note = note

    store = st.session_state.setdefault("store", {})
    saves = st.session_state.setdefault("saves", [])

    def save(change) -> None:
        saves.append(change)
        store[change.question] = Stored(change.value, change.note)
        st.session_state[keys.SAVE_STATUS] = ("saved", "", datetime.now())

    save_status_line()
    for section in framework.sections:
        render_section(framework, section, store, save)


@pytest.fixture()
def at():
    app = AppTest.from_function(_script, args=(str(FIXTURE),), default_timeout=30).run()
    assert not app.exception
    return app


def test_each_question_type_gets_its_widget_under_its_namespaced_key(at):
    assert {r.key for r in at.radio} == {
        "w:example:safety_policy",  # maturity
        "w:example:has_prevention_advisor",  # yes_no
        "w:example:training_plan",  # choice
        "w:example:climate_plan",  # maturity with levels
    }
    assert {"w:example:accidents", "w:example:energy_mwh"} <= {n.key for n in at.text_input}
    assert "w:example:energy_story" in {t.key for t in at.text_area}


def test_maturity_levels_are_labelled_with_the_scale_and_the_question_levels(at):
    assert at.radio(key="w:example:safety_policy").options[0].endswith("Niet gestart")
    assert at.radio(key="w:example:climate_plan").options[4].endswith("Doel gehaald en herzien")


def test_not_applicable_is_offered_only_where_allowed(at):
    assert {c.key for c in at.checkbox} == {"w:example:accidents:na", "w:example:climate_plan:na"}


def test_a_change_is_saved_at_once_with_its_value_type(at):
    at.radio(key="w:example:has_prevention_advisor").set_value(True).run()
    at.radio(key="w:example:safety_policy").set_value(2).run()
    assert not at.exception
    saves = at.session_state["saves"]
    assert saves == [
        Change("has_prevention_advisor", True, None),
        Change("safety_policy", 2, None),
    ]
    assert any("Opgeslagen" in c.value for c in at.caption)


def test_visible_if_shows_the_dependent_question_only_after_a_matching_answer(at):
    assert not at.multiselect
    at.radio(key="w:example:training_plan").set_value("none").run()
    assert not at.multiselect
    at.radio(key="w:example:training_plan").set_value("informal").run()
    assert [m.key for m in at.multiselect] == ["w:example:training_topics"]
    at.multiselect(key="w:example:training_topics").select("digital").run()
    assert not at.exception
    assert at.session_state["saves"][-1] == Change("training_topics", ["digital"], None)


def test_number_outside_its_range_shows_an_inline_error_and_is_not_saved(at):
    at.text_input(key="w:example:energy_mwh").input("200000").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Niet opgeslagen: Geef een waarde tussen 0 en 100.000 MWh."
    ]
    assert at.session_state["saves"] == []
    at.text_input(key="w:example:energy_mwh").input("12,5").run()
    assert not at.error
    assert at.session_state["saves"] == [Change("energy_mwh", 12.5, None)]


def test_not_applicable_disables_the_answer_and_saves_na(at):
    at.checkbox(key="w:example:accidents:na").check().run()
    assert not at.exception
    assert at.session_state["saves"] == [Change("accidents", "n/a", None)]
    assert at.text_input(key="w:example:accidents").disabled


def _failing_script(fixture: str) -> None:
    from app.ui.questionnaire import render_question, save_status_line
    from frameworks.loader import load_framework

    framework = load_framework(fixture)

    def save(change) -> None:
        raise RuntimeError("database is locked")

    save_status_line()
    render_question(framework, framework.questions["safety_policy"], None, save)


def test_a_failing_save_is_shown_not_raised():
    app = AppTest.from_function(_failing_script, args=(str(FIXTURE),), default_timeout=30).run()
    app.radio(key="w:example:safety_policy").set_value(1).run()
    assert not app.exception
    assert "database is locked" in app.error[0].value


def test_widget_value_and_answer_value_are_inverse_for_every_type(framework):
    cases = {
        "safety_policy": 3,
        "has_prevention_advisor": False,
        "training_plan": "written",
        "training_topics": ["safety", "language"],
        "accidents": 4,
        "energy_mwh": 12.5,
        "climate_plan": 0,
        "energy_story": "Zonnepanelen <b>&</b>",
    }
    for question_id, value in cases.items():
        question = framework.questions[question_id]
        assert answer_value(question, widget_value(question, Stored(value))) == value


def test_widget_value_of_na_and_of_a_value_that_no_longer_fits_is_empty(framework):
    assert widget_value(framework.questions["accidents"], Stored("n/a")) == ""
    assert widget_value(framework.questions["training_plan"], Stored("gone")) is None
    assert widget_value(framework.questions["safety_policy"], Stored(9)) is None


def test_number_problem_names_the_range_and_unit(framework):
    accidents = framework.questions["accidents"]
    assert number_problem(accidents, 5) is None
    assert "10.000" in number_problem(accidents, 10001)  # Dutch grouping
    assert number_problem(accidents, 2.5) is not None  # integer question


def test_visibility_progress_and_next_unanswered_follow_the_answers(framework):
    answers = {"training_plan": Stored("written"), "safety_policy": Stored(2)}
    assert is_visible(framework, framework.questions["training_topics"], answers)
    assert not is_visible(framework, framework.questions["training_topics"], {})
    people = framework.sections[0]
    assert section_progress(framework, people, answers) == (2, 5)
    assert next_unanswered(framework, answers) == ("people", "has_prevention_advisor")
    assert next_unanswered(framework, answers, after="energy_story") == ("planet", "climate_plan")


def _evidence_script(fixture: str) -> None:
    import streamlit as st
    import yaml

    from app.ui.questionnaire import render_question
    from frameworks.models import Framework

    data = yaml.safe_load(open(fixture, encoding="utf-8"))
    data["sections"][0]["topics"][0]["questions"][0]["evidence"] = True
    framework = Framework.model_validate(data)
    files = st.session_state.setdefault("files", [])

    def attach(question_id: str, name: str, content: bytes) -> None:
        files.append((question_id, name, content))

    render_question(
        framework, framework.questions["safety_policy"], None, lambda change: None, attach=attach
    )
    render_question(
        framework,
        framework.questions["has_prevention_advisor"],
        None,
        lambda change: None,
        attach=attach,
    )


def test_evidence_upload_is_offered_where_asked_and_stored_at_once():
    app = AppTest.from_function(_evidence_script, args=(str(FIXTURE),), default_timeout=30).run()
    assert not app.exception
    [uploader] = app.file_uploader  # only safety_policy asks for evidence
    assert uploader.key == "w:example:safety_policy:evidence"
    uploader.set_value(("risico.pdf", b"%PDF-1.4 test", "application/pdf")).run()
    assert not app.exception
    assert app.session_state["files"] == [("safety_policy", "risico.pdf", b"%PDF-1.4 test")]


# ------------------------------------------------------------------ issue 11: only what the user did
def _answer_people(at) -> None:
    at.radio(key="w:example:safety_policy").set_value(3).run()
    at.radio(key="w:example:has_prevention_advisor").set_value(True).run()
    at.radio(key="w:example:training_plan").set_value("written").run()
    assert not at.exception


def _shown(at) -> dict:
    keys = ("safety_policy", "has_prevention_advisor", "training_plan")
    return {key: at.radio(key=f"w:example:{key}").value for key in keys}


def test_a_language_switch_changes_only_the_labels_and_saves_nothing(at):
    """Issue 11 blocker: a radio keeps its id (level, True/False, option id) over nl -> en -> nl
    and no callback writes anything."""
    _answer_people(at)
    saves = len(at.session_state["saves"])
    expected = {"safety_policy": 3, "has_prevention_advisor": True, "training_plan": "written"}
    for language in ("en", "nl"):
        at.session_state["ui:language"] = language
        at.run()
        assert not at.exception
        assert _shown(at) == expected
        assert len(at.session_state["saves"]) == saves
    at.session_state["ui:language"] = "en"
    at.run()
    assert at.radio(key="w:example:training_plan").options == ["None", "Informal", "Written"]


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("nl", "12,5", 12.5),
        ("nl", "12.5", 12.5),
        ("en", "12,5", 12.5),
        ("en", "12.5", 12.5),
        ("nl", "1.234,5", 1234.5),
        ("en", "1,234.5", 1234.5),
    ],
)
def test_a_decimal_comma_or_point_is_read_as_a_decimal(at, language, typed, stored):
    at.session_state["ui:language"] = language
    at.run()
    at.text_input(key="w:example:energy_mwh").input(typed).run()
    assert not at.exception
    assert at.session_state["saves"][-1] == Change("energy_mwh", stored, None)
    assert not at.error


def test_a_number_is_shown_with_a_decimal_comma_in_dutch(at):
    at.text_input(key="w:example:energy_mwh").input("1234.5").run()
    at.session_state["ui:language"] = "en"
    at.run()
    assert at.text_input(key="w:example:energy_mwh").value == "1,234.5"
    at.session_state["ui:language"] = "nl"
    at.run()
    assert at.text_input(key="w:example:energy_mwh").value == "1.234,5"
    assert len(at.session_state["saves"]) == 1


def test_a_cleared_number_field_is_unanswered_not_zero(at):
    at.text_input(key="w:example:energy_mwh").input("30,79").run()
    at.text_input(key="w:example:energy_mwh").input("").run()
    assert not at.exception
    assert at.session_state["saves"][-1] == Change("energy_mwh", None, None)
    assert at.session_state["store"]["energy_mwh"].value is None


def test_an_out_of_range_or_unreadable_number_says_not_saved_and_keeps_the_stored_value(at):
    at.text_input(key="w:example:energy_mwh").input("42").run()
    for typed in ("200000", "twaalf"):
        at.text_input(key="w:example:energy_mwh").input(typed).run()
        assert not at.exception
        assert at.session_state["store"]["energy_mwh"].value == 42
        assert [e.value.startswith("Niet opgeslagen") for e in at.error] == [True]
        assert not any("Opgeslagen om" in c.value for c in at.caption), "no stale saved line"
        assert any("Niet opgeslagen" in w.value for w in at.warning)
    assert len(at.session_state["saves"]) == 1


def test_typing_the_stored_value_again_writes_nothing(at):
    at.text_input(key="w:example:energy_mwh").input("42").run()
    at.text_input(key="w:example:energy_mwh").input("42,0").run()
    assert len(at.session_state["saves"]) == 1


def test_the_saved_state_is_shown_under_the_question_just_changed(at):
    at.radio(key="w:example:training_plan").set_value("written").run()
    block = at.get("caption")
    assert sum("Opgeslagen om" in c.value for c in block) == 2  # the status line and the question


def test_an_implausible_number_is_saved_and_shown_as_to_check_beside_it():
    """Te controleren (README, issue 13 item 5): 0 kWh beside employees is saved as typed and
    a warning stands beside the electricity question, never a block; a plausible value clears
    it."""
    scan = Path(__file__).resolve().parents[2] / "frameworks" / "start_to_mvo.yaml"
    app = AppTest.from_function(_script, args=(str(scan),), default_timeout=60).run()
    app.text_input(key="w:start_to_mvo:st_employees").input("3").run()
    assert not app.warning
    app.text_input(key="w:start_to_mvo:st_electricity_kwh").input("0").run()
    assert not app.exception and not app.error
    assert app.session_state["saves"][-1] == Change("st_electricity_kwh", 0, None)
    [warning] = [w.value for w in app.warning]
    assert warning.startswith("Te controleren: U hebt werknemers maar meldt 0 kWh")
    app.text_input(key="w:start_to_mvo:st_electricity_kwh").input("12000").run()
    assert not app.warning
