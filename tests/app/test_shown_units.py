"""What the federation and department pages show of the VSME indicators (issue 11): units in
the page's language, never the English unit ids ("count", "per 200,000 hours")."""

from __future__ import annotations

from app.services import disclosure
from app.ui.vsme_indicators import indicator_frame

ENGLISH_UNITS = {"count", "per 200,000 hours", "tCO2e/EUR million"}


def test_vsme_indicator_units_are_dutch_in_dutch_and_english_in_english():
    dutch = indicator_frame(None, 5, "nl")
    english = indicator_frame(None, 5, "en")
    assert len(dutch) == len(disclosure.VSME_INDICATORS)
    assert not set(dutch["Eenheid"]) & ENGLISH_UNITS
    assert {"aantal", "per 200.000 gewerkte uren", "tCO2e per miljoen euro"} <= set(
        dutch["Eenheid"]
    )
    assert "per 200,000 hours worked" in set(english[english.columns[1]])
