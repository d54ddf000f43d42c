"""Belgian enterprise numbers (KBO/BCE ondernemingsnummer): normalise and check.

An enterprise number has 10 digits, starts with 0 or 1 (numbers starting with 1 are issued
since 2023-09-19) and ends with a mod-97 check: the last two digits equal
``97 - (first eight digits mod 97)``. People write it in many ways ("BE 0403.019.261",
"0403 019 261", the legacy 9-digit VAT "403019261"); ``normalise`` turns all of them into the
10 bare digits that the store keeps, or raises ``KboError`` saying why the number is refused.
Pure: no I/O.
"""

from __future__ import annotations

import re

from app.services.messages import message
from exports.text import format_kbo
from frameworks.i18n import Message

_SEPARATORS = re.compile(r"[\s.\-/]")


class KboError(ValueError):
    """A KBO number that is refused, with the reason as a message (rendered when shown)."""

    def __init__(self, raw: str, reason: Message) -> None:
        self.raw = raw
        self.reason = reason
        super().__init__(f"{raw!r}: {reason}")


def normalise(raw: str) -> str:
    """The 10 digits of an enterprise number written in any usual way.

    Accepts an optional ``BE`` prefix, spaces, dots, dashes and slashes, and the legacy 9-digit
    form (a leading 0 is added). Raises ``KboError`` for letters, the wrong length, a first
    digit other than 0 or 1, or a bad checksum.
    """
    text = str(raw).strip()
    compact = _SEPARATORS.sub("", text).upper()
    if compact.startswith("BE"):
        compact = compact[2:]
    if not compact:
        raise KboError(raw, message("kbo-empty"))
    if not compact.isdigit() or not compact.isascii():
        raise KboError(raw, message("kbo-digits-only"))
    if len(compact) == 9:
        compact = "0" + compact
    if len(compact) != 10:
        raise KboError(raw, message("kbo-ten-digits", length=len(compact)))
    if compact[0] not in "01":
        raise KboError(raw, message("kbo-first-digit"))
    expected = check_digits(compact[:8])
    if int(compact[8:]) != expected:
        raise KboError(raw, message("kbo-check-digits", expected=expected, got=compact[8:]))
    return compact


def check_digits(first_eight: str) -> int:
    """The check number (1..97) for the first eight digits: ``97 - (n mod 97)``."""
    return 97 - (int(first_eight) % 97)


def is_valid(raw: str) -> bool:
    """Whether ``raw`` is a valid enterprise number in any accepted notation."""
    try:
        normalise(raw)
    except KboError:
        return False
    return True


def display(number: str) -> str:
    """The usual display form ``0403.019.261`` of a number in any accepted notation (the
    format itself is ``exports.text.format_kbo``, which the exports use too)."""
    return format_kbo(normalise(number))


def make_number(first_eight: int) -> str:
    """A valid number from eight leading digits (for synthetic demo data and tests)."""
    head = f"{first_eight:08d}"
    if len(head) != 8 or head[0] not in "01":
        raise ValueError("first_eight must have 8 digits and start with 0 or 1")
    return f"{head}{check_digits(head):02d}"
