"""Radar labels on screen (issue 11, seen in the phone screenshots): every line fits beside a
phone-wide chart and nothing of the title is lost."""

from __future__ import annotations

import pytest

from app.ui.widgets import SCREEN_WORD_LIMIT, screen_label_lines
from frameworks.loader import shipped_catalogue


def _section_titles() -> list[str]:
    catalogue = shipped_catalogue()
    titles = []
    for fw in catalogue.frameworks.values():
        for section in fw.sections:
            for language in ("nl", "en"):
                title = section.title.get(language)
                titles.append(f"{section.clause} {title}" if section.clause else title)
    for profile in catalogue.profiles.values():
        if profile.sector_section is not None:
            titles += [profile.sector_section.title.get(lang) for lang in ("nl", "en")]
    return titles


@pytest.mark.parametrize("title", _section_titles())
def test_a_radar_label_is_broken_into_short_lines_without_losing_text(title):
    lines = screen_label_lines(title)
    assert all(len(line) <= SCREEN_WORD_LIMIT + 1 for line in lines), lines
    joined = "".join(line[:-1] if line.endswith("-") else line + " " for line in lines)
    assert joined.split() == title.split() or joined.replace(" ", "") == title.replace(" ", "")


def test_a_long_dutch_compound_is_hyphenated_at_its_joint():
    assert screen_label_lines("6.7 Consumentenaangelegenheden") == [
        "6.7",
        "Consumenten-",
        "aangelegenheden",
    ]
    assert screen_label_lines("6.4 Arbeidspraktijken") == ["6.4", "Arbeids-", "praktijken"]
