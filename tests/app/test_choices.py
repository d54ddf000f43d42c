"""A choice survives a language switch (the SME's questionnaire choice, federation filters).

In the browser Streamlit hands back a choice by its displayed label; after switching language
the old label matches no option and the widget would fall back to its first option. Found by
hand: choosing the Start-to-MVO scan, switching to English and opening it opened the sector
passport. AppTest cannot send a stale label, so these tests put one in the state directly.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _single():
    import streamlit as st

    from app.ui.choices import keep

    options = ["passport", "scan"]
    keep("choice", options)
    st.radio("Vragenlijst", options, key="choice")


def _multiple():
    import streamlit as st

    from app.ui.choices import keep

    options = ["bouw", "ict", "retail"]
    keep("profiles", options, multiple=True)
    st.multiselect("Profielen", options, key="profiles")


def test_a_choice_whose_label_went_stale_is_put_back(monkeypatch):
    """After a rerun that hands back an unknown value (the old label), the last real choice
    is restored before the widget is drawn. (AppTest refuses to send a radio a value outside
    its options, so this runs keep() on a plain state.)"""
    from app.ui import choices

    state: dict = {}
    monkeypatch.setattr(choices.st, "session_state", state)
    options = ["passport", "scan"]
    state["choice"] = "scan"
    choices.keep("choice", options)
    state["choice"] = "Start-to-MVO-scan (korte kennismaking)"  # the Dutch label, now stale
    choices.keep("choice", options)
    assert state["choice"] == "scan"


def test_without_a_stale_value_the_choice_is_left_alone():
    """A normal change of choice is not overridden by the kept one."""
    at = AppTest.from_function(_single).run()
    at.radio(key="choice").set_value("scan").run()
    at.radio(key="choice").set_value("passport").run()
    assert at.radio(key="choice").value == "passport"


def test_multiselect_keeps_the_options_that_still_exist():
    at = AppTest.from_function(_multiple).run()
    at.multiselect(key="profiles").set_value(["ict", "retail"]).run()
    at.session_state["profiles"] = ["ICT-diensten", "retail"]  # one stale label
    at.run()
    assert not at.exception
    assert at.multiselect(key="profiles").value == ["ict", "retail"]
