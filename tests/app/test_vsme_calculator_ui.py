"""The VSME calculator form: Dutch decimal comma, and the form runs without exception."""

from streamlit.testing.v1 import AppTest

from app.ui.vsme_calculator import parse_number


def test_parse_number_accepts_dutch_decimal_comma():
    """Should read "1.234,5" in Dutch and "1,234.5" in English as 1234.5."""
    assert parse_number("1.234,5", "nl") == 1234.5
    assert parse_number("1,234.5", "en") == 1234.5
    assert parse_number("", "nl") is None


def _script():
    import streamlit as st

    from app.ui.vsme_calculator import calculator_form

    result = calculator_form("t", {"electricity_kwh": 50000})
    st.session_state["vsme_result"] = None if result is None else result.as_datapoints()


def test_form_computes_from_initial_values():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    points = at.session_state["vsme_result"]
    # 50 000 kWh is shown as "50.000" in Dutch and read back as 50 000: 50 000 x 0.161 / 1000
    assert round(points["GrossLocationBasedScope2GreenhouseGasEmissions"], 6) == 8.05
