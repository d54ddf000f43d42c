"""Words and number formats the exports print, in Dutch (Flemish) first and English second.

Every export formats numbers through ``format_score`` and ``format_number`` so that the PDF,
the spreadsheet and the screen show the same figure (S8: scores are kept unrounded and only
display rounds, to one decimal). The words are a gettext catalogue of the one mechanism the
interface and the services use too (``frameworks.i18n``):
``exports/locale/{nl,en}/LC_MESSAGES/exports.po``, msgids are label ids (``passport_title``)
and units as ``unit:<unit>`` (``unit:hours/FTE``). A translation is one edit of a ``.po``
file; this module stays pure (no streamlit, no app).
"""

from __future__ import annotations

import math
import time
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from frameworks.i18n import DEFAULT_LANGUAGE, RECHECK_SECONDS, Catalogue

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
EXPORTS = Catalogue(LOCALE_DIR, "exports")
UNIT_PREFIX = "unit:"


@lru_cache(maxsize=4)
def _ids_in(path: Path, mtime_ns: int) -> frozenset[str]:
    with path.open("rb") as po_file:
        return frozenset(m.id for m in read_po(po_file) if m.id)


_checked: list = [0.0, frozenset()]


def label_ids() -> frozenset[str]:
    """Every msgid of the exports' catalogue (the Dutch one, the product's first language);
    the file is looked at no more than every few seconds, as ``Catalogue`` does."""
    now = time.monotonic()
    if not _checked[1] or now - _checked[0] >= RECHECK_SECONDS:
        path = EXPORTS.po_path(DEFAULT_LANGUAGE)
        _checked[:] = [now, _ids_in(path, path.stat().st_mtime_ns)]
    return _checked[1]


def unit_label(unit: str | None, language: str) -> str:
    """A unit as shown in ``language`` (the unit itself where no translation is needed)."""
    if not unit:
        return ""
    if UNIT_PREFIX + unit not in label_ids():
        return unit  # "%", "EUR", "MWh": the same in both languages
    return EXPORTS.translate(UNIT_PREFIX + unit, language)


def display_score(value: float | None) -> float | None:
    """A score rounded to one decimal for an export meant for people (S8: stored unrounded;
    JSON keeps the exact value)."""
    return None if value is None else round(value, 1)


def label(key: str, language: str, **values: object) -> str:
    """The label ``key`` in ``language`` (Dutch for an unknown language), with
    ``{placeholders}`` filled. An id the catalogue lacks is a programming error: KeyError."""
    if key not in label_ids():
        raise KeyError(key)
    return EXPORTS.translate(key, language, **values)


def format_number(value: float | None, language: str, decimals: int = 1) -> str:
    """A number for display: one decimal by default, decimal comma in Dutch, "-" for None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        # 1,234.5 -> 1.234,5 (Flemish notation)
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def format_kbo(number: str | None) -> str:
    """A KBO number (enterprise number) as people write it, ``0403.019.261``, wherever one is
    shown (screen, PDF, XLSX for people); "-" for None or empty. The store keeps the 10 bare
    digits (``app.kbo.normalise``); anything else (a pseudonym) is shown as it is."""
    if not number:
        return "-"
    if len(number) == 10 and number.isdigit() and number.isascii():
        return f"{number[:4]}.{number[4:7]}.{number[7:]}"
    return number


def format_score(value: float | None, language: str) -> str:
    """A 0..100 score rounded to one decimal (S8), or "geen score"/"no score" for None."""
    if value is None:
        return label("no_score", language)
    return format_number(value, language, 1)


def format_percent(share: float | None, language: str) -> str:
    """A 0..1 share as a percentage without decimals ("85 %")."""
    if share is None:
        return "-"
    return f"{format_number(100 * share, language, 0)} %"
