"""GRI standard titles in the passport PDF (issue 11): the Dutch PDF names every GRI topic by
its Dutch title, the English PDF by GRI's own English title; neither holds the other's."""

from __future__ import annotations

import random

import pytest
from export_helpers import pdf_pages_text, real_passport, squash

from exports.pdf import render_passport
from frameworks.loader import shipped_catalogue
from scoring.models import Organisation


@pytest.fixture(scope="module")
def catalogue():
    return shipped_catalogue()


def _gri_titles(catalogue) -> list[tuple[str, str]]:
    gri = catalogue.frameworks["gri"]
    return [(t.title.get("nl"), t.title.get("en")) for s in gri.sections for t in s.topics]


def test_every_gri_title_has_its_own_dutch_text(catalogue):
    """should give each GRI standard a Dutch title that differs from the English one (GRI 3's
    "Material Topics" too), with the same number and year"""
    for nl, en in _gri_titles(catalogue):
        assert nl != en, en
        assert nl.split(":")[0] == en.split(":")[0]
        assert [w for w in nl.split() if w.isdigit()] == [w for w in en.split() if w.isdigit()]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_passport_pdf_names_gri_topics_in_its_language(catalogue, language):
    """should print the Dutch GRI titles in the Dutch passport and the English ones in the
    English passport, never a title of the other language"""
    org = Organisation(name="Bouw Test bv", kbo="0403170701", fte=12, municipality="Gent")
    passport = real_passport(catalogue, "bouw", random.Random(11), org, year=2026)
    profile = catalogue.profiles["bouw"]
    pdf = render_passport(passport, catalogue.frameworks, profile, None, language)
    shown = squash("".join(pdf_pages_text(pdf)))
    titles = _gri_titles(catalogue)
    own = [pair[0 if language == "nl" else 1] for pair in titles]
    other = [pair[1 if language == "nl" else 0] for pair in titles]
    printed = [title for title in own if squash(title) in shown]
    assert len(printed) >= len(titles) // 2, printed  # the profile's material GRI topics
    assert [title for title in other if squash(title) in shown] == []
