"""The interface catalogues: every message used in app/ui has a Dutch translation and an
English entry, placeholders survive translation, and the .po files compile."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from app.ui import i18n

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _catalogue(language: str):
    with i18n.po_path(language).open("rb") as po_file:
        return read_po(po_file, locale=language)


def _used_ids() -> set[str]:
    return {m.id for m in i18n.extract_messages() if m.id}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_used_message_has_a_translation(language):
    translated = {m.id for m in _catalogue(language) if m.id and m.string}
    missing = sorted(_used_ids() - translated)
    assert not missing, f"untranslated in {language}.po (run python -m app.ui.i18n): {missing}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_translations_keep_the_placeholders_of_the_message_id(language):
    wrong = [
        (m.id, m.string)
        for m in _catalogue(language)
        if m.id
        and m.string
        and set(PLACEHOLDER.findall(m.id)) != set(PLACEHOLDER.findall(m.string))
    ]
    assert not wrong


def test_dutch_is_the_default_and_english_is_a_real_translation():
    assert i18n.translations("nl").gettext("Sign in") == "Aanmelden"
    assert i18n.translations("en").gettext("Sign in") == "Sign in"
    assert i18n.translations("xx").gettext("Sign in") == "Aanmelden"


def test_outside_a_session_the_language_is_dutch():
    assert i18n.current_language() == "nl"
    assert i18n._("Questionnaire") == "Vragenlijst"
