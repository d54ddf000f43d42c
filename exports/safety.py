"""What an export may not do to its reader: run a formula, or write outside its folder.

Two rules, each owned here and nowhere else:

- **Spreadsheet cells** (XLSX, CSV, ``manifest.csv``): a text cell that starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by Excel, LibreOffice
  and Google Sheets (OWASP "CSV injection"). ``cell`` prefixes such text with ``'`` so that it
  shows as the text it is. Numbers stay numbers (``-2.5`` is a number, not text); JSON is not a
  spreadsheet and keeps every value as it is.
- **File and zip member names** come only from validated ids: ``safe_id`` checks an id against
  the frameworks' id pattern, ``safe_member`` a relative path of safe parts (never ``..``, an
  absolute path or a backslash), and ``inside`` resolves a path and refuses one that leaves its
  folder (defence in depth, e.g. against a symlink).

Pure: no I/O besides resolving paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from frameworks.models import ID_PATTERN

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The prefix that makes such a cell plain text.
TEXT_PREFIX = "'"

_ID = re.compile(ID_PATTERN)
#: One part of a file or member name: letters, digits, ``_``, ``-`` and dots, not leading.
_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
#: A KBO number as the store keeps it (10 digits) or a pseudonym (hex), in a file name.
_KBO = re.compile(r"^[0-9A-Za-z]{1,32}$")
#: Characters XML 1.0 (and so XLSX) cannot hold; openpyxl refuses them.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class UnsafeName(ValueError):
    """A name that would not stay a plain file name inside the export folder."""


def cell(value: Any) -> Any:
    """The value as a spreadsheet may safely hold it: text that would start a formula gets a
    leading ``'``; every other value (numbers, booleans, None, safe text) is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return TEXT_PREFIX + value
    return value


def xlsx_text(value: str) -> str:
    """Text for an XLSX string cell: ``cell`` applied, and the control characters XML cannot
    hold replaced by U+FFFD (so a stray control character never stops an export)."""
    return _NOT_IN_XML.sub("\ufffd", cell(value))


def row(values: Iterable[Any]) -> list[Any]:
    """``cell`` of every value of a row."""
    return [cell(v) for v in values]


def safe_id(value: object, what: str = "id") -> str:
    """``value`` if it is an id of the frameworks' pattern (``^[a-z][a-z0-9_]{0,63}$``);
    otherwise ``UnsafeName`` saying which id and why."""
    if not isinstance(value, str) or not _ID.match(value):
        raise UnsafeName(
            f"{what} {value!r} is not a valid id (lower-case letters, digits and _, starting "
            "with a letter, at most 64 characters)"
        )
    return value


def safe_kbo(value: object) -> str:
    """A KBO number (or pseudonym) fit for a file name: letters and digits only."""
    if not isinstance(value, str) or not _KBO.match(value):
        raise UnsafeName(
            f"KBO number {value!r} cannot be part of a file name (letters and digits only)"
        )
    return value


def safe_member(name: str) -> str:
    """``name`` if it is a relative ``/``-separated path of safe parts (a file or zip member
    name); otherwise ``UnsafeName``. Refuses ``..``, ``.``, empty parts, absolute paths,
    backslashes, drive letters and control characters."""
    parts = name.split("/") if isinstance(name, str) else [""]
    if not all(_PART.match(part) for part in parts):
        raise UnsafeName(
            f"file name {name!r} is not a relative path of plain names (no '..', '/' at the "
            "start, '\\' or special characters)"
        )
    return name


def inside(folder: Path, name: str) -> Path:
    """``folder / name`` after ``safe_member``, resolved, refused unless it stays in
    ``folder`` (also when a part of it is a symlink pointing elsewhere)."""
    target = (folder / safe_member(name)).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise UnsafeName(f"file name {name!r} would be written outside {folder}")
    return target


__all__ = [
    "FORMULA_STARTS",
    "TEXT_PREFIX",
    "UnsafeName",
    "cell",
    "inside",
    "row",
    "safe_id",
    "safe_kbo",
    "safe_member",
    "xlsx_text",
]
