"""How an answer value is stored in the ``answers`` table and read back.

A value is JSON text in ``answers.value`` with a separate ``na`` flag for "not applicable";
a cleared answer is no text and no flag. Every service that writes or reads answers (saving,
prefill, import, demo seeding, freezing a submission, passports) goes through these two
functions, so the text on SQLite and PostgreSQL is the same.
"""

from __future__ import annotations

import json
from typing import Any

from frameworks.models import NA


def encode_value(value: Any) -> tuple[str | None, bool]:
    """(JSON text, n/a flag) of an answer value as stored in ``answers``."""
    if isinstance(value, str) and value == NA:
        return None, True
    if value is None:
        return None, False
    return json.dumps(value, ensure_ascii=False), False


def decode_value(text: str | None, na: bool) -> Any:
    """The answer value of a stored (text, n/a flag) pair: "n/a", None (cleared) or the value."""
    if na:
        return NA
    if text is None:
        return None
    return json.loads(text)
