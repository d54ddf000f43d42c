"""The rules for evidence files an SME attaches to its answers: name, type, size and quota.

One place decides what an evidence file may be called and how many an assessment holds; the
use cases (``assessments.add_evidence`` and friends) call it before anything reaches the
database, so a crafted name is a clear Dutch/English ``InvalidInput`` on SQLite and PostgreSQL
alike (never a driver error quoting SQL).

- A **name** is NFC-normalised and reduced to its last path part (``../x.pdf`` is ``x.pdf``,
  ``C:\\map\\x.pdf`` is ``x.pdf``): where the browser sent it from says nothing about the file.
  Characters Windows refuses in a name (``<>:"|?*``) become ``_``; leading dots and trailing
  dots and spaces go. A name with a control character (NUL included), a line separator or a
  bidirectional override (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) is **refused**,
  not repaired: such a name is made to look like something else (``factuur\\u202efdp.exe``
  shows as ``factuurexe.pdf``), and the SME should see that, not a silently changed name. A
  long name is shortened to ``MAX_NAME`` characters, keeping its extension.
- The **extension** must be one of ``EVIDENCE_TYPES`` (checked against the content's first
  bytes by the caller).
- The **quota** per assessment is ``MAX_FILES`` files and ``MAX_TOTAL_BYTES`` together, beside
  the 10 MB per file: enough for the invoices, registers and policies a questionnaire asks for,
  small enough that one account cannot fill the database.

Pure: no database, no streamlit.
"""

from __future__ import annotations

import re
import unicodedata

from app.services.errors import InvalidInput
from app.services.messages import message

#: Files per assessment.
MAX_FILES = 20
#: Bytes of all files of one assessment together (50 MB).
MAX_TOTAL_BYTES = 50 * 1024 * 1024
#: Characters of a stored name (the column holds 255).
MAX_NAME = 120

#: Bidirectional controls that make a name display differently from what it is.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')
_PATH_SEPARATORS = re.compile(r"[/\\]")


def _refused_character(name: str) -> str | None:
    """The first control, separator or bidi character of ``name`` (as ``U+XXXX``), if any."""
    for char in name:
        if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            return f"U+{ord(char):04X}"
    return None


def clean_name(raw: str) -> str:
    """The name to store for an uploaded file called ``raw``, or ``InvalidInput`` saying why
    it is refused (see the module docstring for the rules)."""
    if not isinstance(raw, str):
        raise InvalidInput(message("no-file-name"), field="file")
    name = unicodedata.normalize("NFC", raw)
    refused = _refused_character(name)
    if refused is not None:
        raise InvalidInput(
            message("file-name-control-character", refused=refused),
            field="file",
        )
    name = _PATH_SEPARATORS.split(name)[-1]
    name = _WINDOWS_RESERVED.sub("_", name).strip().lstrip(".").rstrip(". ")
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem.strip():
        raise InvalidInput(
            message("file-name-without-extension", raw=raw),
            field="file",
        )
    if len(name) > MAX_NAME:
        stem = stem[: MAX_NAME - len(extension) - 1].rstrip(". ")
        name = f"{stem}.{extension}"
    return name


def quota_problem(files: int, used_bytes: int, new_bytes: int) -> str | None:
    """Why one more file of ``new_bytes`` does not fit beside ``files`` files of
    ``used_bytes`` together, or None when it fits."""
    if files >= MAX_FILES:
        return message("evidence-too-many-files", files=files, maximum=MAX_FILES)
    if used_bytes + new_bytes > MAX_TOTAL_BYTES:
        limit = MAX_TOTAL_BYTES // (1024 * 1024)
        used, new = used_bytes / 1048576, new_bytes / 1048576
        return message("evidence-quota-exceeded", limit=limit, used=used, new=new)
    return None


__all__ = ["MAX_FILES", "MAX_NAME", "MAX_TOTAL_BYTES", "clean_name", "quota_problem"]
