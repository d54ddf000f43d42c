"""The messages the services give the user: ids with parameters, translated when shown.

A service never writes a sentence in a language: it raises an error (``app.services.errors``)
or reports a problem carrying ``message("id", name=value)``. The page renders it in the user's
language (``app.ui.i18n.message``), the CLI in ``MVO_LANGUAGE`` (English by default), ``str()``
in English. The texts live in ``app/services/locale/{nl,en}/LC_MESSAGES/services.po``; a test
checks that every id used here has a Dutch and an English text and that neither holds the other
language.
"""

from __future__ import annotations

import os
from pathlib import Path

from frameworks.i18n import LANGUAGES, Catalogue, Message

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SERVICES = Catalogue(LOCALE_DIR, "services")


class ServiceMessage(Message):
    """A message of the services' catalogue."""

    catalogue = SERVICES


def message(msgid: str, /, **params: object) -> ServiceMessage:
    """The message ``msgid`` with its ``{name}`` parameters (rendered later, in a language)."""
    return ServiceMessage(msgid, params)


def cli_language() -> str:
    """The language of the ``mvo`` command's messages: ``MVO_LANGUAGE`` (nl or en), else English."""
    language = os.environ.get("MVO_LANGUAGE", "en").strip().lower()
    return language if language in LANGUAGES else "en"


def render(said: object, language: str) -> str:
    """An error carrying a message, a message, or an import problem, in ``language``; anything
    else as ``str()``."""
    found = getattr(said, "message", said)
    if isinstance(found, Message):
        return found.render(language)
    if hasattr(said, "render"):
        return said.render(language)
    return str(said)
