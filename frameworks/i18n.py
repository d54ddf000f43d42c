"""The one gettext mechanism of MVO-paspoort: catalogues, ``translate`` and ``Message``.

A catalogue is a folder of ``<lang>/LC_MESSAGES/<domain>.po`` files (Babel's layout). The
committed ``.po`` files are the source; they are compiled to the binary ``.mo`` form in memory
when first needed (and again when a ``.po`` file changes), so nothing needs a build step. The
interface (``app/ui/i18n.py``) and the services' messages (``app/services/messages.py``) are
catalogues of this kind. This module is pure (no streamlit, no database) so that the core and
the exports can use it too.

A ``Message`` is what a service says, not yet in any language: an id and its parameters. The
page renders it in the user's language, the CLI in its own, ``str()`` in English for logs.
"""

from __future__ import annotations

import gettext
import io
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
RECHECK_SECONDS = 2.0


@lru_cache(maxsize=32)
def _compiled(path: Path, language: str, mtime_ns: int) -> gettext.NullTranslations:
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Catalogue:
    """The ``.po`` files of one gettext domain under ``locale_dir``, one per language."""

    def __init__(self, locale_dir: Path, domain: str) -> None:
        self.locale_dir = locale_dir
        self.domain = domain
        self._checked: dict[str, tuple[float, gettext.NullTranslations]] = {}

    def po_path(self, language: str) -> Path:
        """Where the catalogue of ``language`` lives."""
        return self.locale_dir / language / "LC_MESSAGES" / f"{self.domain}.po"

    def translations(self, language: str) -> gettext.NullTranslations:
        """The compiled catalogue of ``language`` (an unknown language falls back to Dutch).

        The ``.po`` file's modification time is looked at no more than every few seconds, so
        that an edited catalogue shows up without a restart but a rerun does not stat files.
        """
        if language not in LANGUAGES:
            language = DEFAULT_LANGUAGE
        now = time.monotonic()
        cached = self._checked.get(language)
        if cached is not None and now - cached[0] < RECHECK_SECONDS:
            return cached[1]
        path = self.po_path(language)
        if not path.exists():
            found: gettext.NullTranslations = gettext.NullTranslations()
        else:
            found = _compiled(path, language, path.stat().st_mtime_ns)
        self._checked[language] = (now, found)
        return found

    def translate(self, msgid: str, language: str, /, **params: object) -> str:
        """``msgid`` in ``language`` with ``{name}`` placeholders filled from ``params``
        (a parameter that is itself a ``Message`` is rendered in the same language)."""
        template = self.translations(language).gettext(msgid)
        if not params:
            return template
        values = {
            name: value.render(language) if isinstance(value, Message) else value
            for name, value in params.items()
        }
        return template.format(**values)


@dataclass(frozen=True)
class Message:
    """A message id with its parameters, rendered in a language only when it is shown.

    Subclasses name their catalogue (``catalogue`` class attribute); parameters are plain
    values (ids, numbers, names the user typed) or other messages.
    """

    id: str
    params: Mapping[str, object] = field(default_factory=dict)

    catalogue: ClassVar[Catalogue]

    def render(self, language: str) -> str:
        """The message in ``language`` ("nl" or "en")."""
        return self.catalogue.translate(self.id, language, **dict(self.params))

    def __str__(self) -> str:
        return self.render("en")
