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
    assert {"aantal", "per 200.000 uur", "tCO2e/mln euro"} <= set(
        dutch["Eenheid"]
    )
    assert "per 200,000 hours" in set(english[english.columns[1]])


def test_a_stored_answer_is_shown_by_its_label_never_its_id():
    """should show an option's label, "Niet van toepassing" and a decimal comma (the VSME
    page's "where the values came from" table showed ``option_a_basic_module_only``,
    ``individual`` and ``n/a``)"""
    from app.ui.questionnaire import answer_text
    from frameworks.loader import shipped_catalogue
    from frameworks.models import NA

    vsme = shipped_catalogue().frameworks["vsme"]
    choice = next(q for q in vsme.questions.values() if q.type == "choice")
    option = choice.options[0]
    assert answer_text(choice, vsme, option.id) == option.label.nl  # outside a session: Dutch
    assert "[member]" not in option.label.nl and option.id not in option.label.nl
    assert answer_text(choice, vsme, NA) == "Niet van toepassing"
    number = next(q for q in vsme.questions.values() if q.type == "number")
    assert answer_text(number, vsme, 1234.5) == "1.234,5"
    labels = [
        o.label.get(lang)
        for q in vsme.questions.values()
        for o in q.answer_options
        for lang in ("nl", "en")
    ]
    assert labels and not [label for label in labels if "[member]" in label]
