"""Translations of the interface: gettext catalogues for Dutch (first) and English.

The committed ``app/ui/locale/<lang>/LC_MESSAGES/messages.po`` files are the source; the one
mechanism that compiles and caches them is ``frameworks.i18n.Catalogue`` (shared with the
services' messages, ``app/services/locale``). Message ids here are English; the Dutch catalogue
translates every one of them (a test checks it). ``render`` shows a service's error or message
in the session's language.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.pofile import read_po

from app.services.messages import render as services_render
from frameworks.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogue

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
INTERFACE = Catalogue(LOCALE_DIR, DOMAIN)

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LANGUAGE_NAMES", "N_", "_", "render", "text"]


def po_path(language: str) -> Path:
    """Where the catalogue of ``language`` lives."""
    return INTERFACE.po_path(language)


def translations(language: str) -> gettext.NullTranslations:
    """The compiled interface catalogue of ``language`` (unknown languages fall back to Dutch)."""
    return INTERFACE.translations(language)


def current_language() -> str:
    """The language of this browser session (Dutch until the user chooses English)."""
    try:
        import streamlit as st

        from app.ui import keys

        language = st.session_state.get(keys.LANGUAGE, DEFAULT_LANGUAGE)
    except Exception:  # outside a Streamlit session (CLI, plain tests)
        return DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _(message: str) -> str:
    """Translate ``message`` (an English message id) into the session's language."""
    return translations(current_language()).gettext(message)


def N_(message: str) -> str:
    """Mark a message id for extraction where it is translated later (``_(variable)``)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count (``{n}`` is not filled in here)."""
    return translations(current_language()).ngettext(singular, plural, n)


def render(said: object, language: str | None = None) -> str:
    """A service's error or message (``ServiceError``, ``Message``, ``ImportProblem``) in the
    session's language; anything else as ``str()``."""
    return services_render(said, language or current_language())


def text(localized, language: str | None = None) -> str:
    """A framework's ``LocalizedText`` in the session's language (Dutch where missing)."""
    if localized is None:
        return ""
    return localized.get(language or current_language())


# --------------------------------------------------------------------------- maintenance
def extract_messages():
    """Every message id used under ``app/ui`` (``_("...")`` and ``ngettext``), as a Babel
    catalogue; the tests compare it with the committed ``.po`` files."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="MVO-paspoort", domain=DOMAIN)
    root = Path(__file__).resolve().parent
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "ngettext": (1, 2)},
    ):
        catalog.add(
            message, None, [(f"app/ui/{filename}", lineno)], auto_comments=comments, context=context
        )
    return catalog


def update_catalogues() -> None:
    """Merge newly used messages into the ``.po`` files (``python -m app.ui.i18n``): existing
    translations stay, new Dutch ones are left empty for a translator, English copies the id."""
    from babel.messages.pofile import write_po

    template = extract_messages()
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            with path.open("rb") as po_file:
                catalog = read_po(po_file, locale=language)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=language, project="MVO-paspoort", domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        for message in catalog:
            if message.id and language == "en" and not message.string:
                message.string = message.id
            message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        catalog.fuzzy = False
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po_file:
            write_po(po_file, catalog, width=100, sort_output=True, include_lineno=False)


if __name__ == "__main__":
    update_catalogues()
