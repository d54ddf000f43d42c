"""How an answer value is stored in the ``answers`` table and read back.

A value is JSON text in ``answers.value`` with a separate ``na`` flag for "not applicable";
a cleared answer is no text and no flag. Every service that writes or reads answers (saving,
prefill, import, demo seeding, freezing a submission, passports) goes through these two
functions (a bulk write through ``Encoder`` / ``insert_answers``, which call
``encode_value``), so the text on SQLite and PostgreSQL is the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

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


class Encoder:
    """``encode_value`` with each distinct value encoded once: a bulk write of many answers
    (an import of 10,000 x 150 cells holds a few hundred distinct values)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[type, Any], tuple[str | None, bool]] = {}

    def __call__(self, value: Any) -> tuple[str | None, bool]:
        try:
            key = (type(value), value)  # True and 1 hash alike; their types tell them apart
            return self._seen[key]
        except TypeError:  # a list (multi): encoded on its own
            return encode_value(value)
        except KeyError:
            found = self._seen[key] = encode_value(value)
            return found


#: The columns a bulk write of new answers fills (the others keep their defaults).
_BULK_COLUMNS = (
    "assessment_id",
    "question_id",
    "value",
    "na",
    "version",
    "updated_at",
    "updated_by",
)


def insert_answers(
    connection: Connection,
    answers: Iterable[tuple[int, str, Any]],
    *,
    at: datetime,
    by: int | None,
) -> int:
    """Insert new answers (assessment id, question id, value) at version 1 in the connection's
    transaction, the way ``encode_value`` stores them; returns how many. The values shared by
    every row (the time, the n/a flags) go through the columns' bind processors once, and the
    rows go to the driver as they are: ``bulk.insert_tuples`` (one ``executemany``) on SQLite,
    ``COPY`` on PostgreSQL."""
    from app.store import bulk  # noqa: PLC0415
    from app.store.models import AnswerRow  # noqa: PLC0415 (the models import the services)

    table = AnswerRow.__table__
    # The values every row shares (the time, the user, the two n/a flags) bound once: the
    # rows go to the driver as built here.
    at_bound = bulk.bind_value(connection, table, "updated_at", at)
    by_bound = bulk.bind_value(connection, table, "updated_by", by)
    flags = {na: bulk.bind_value(connection, table, "na", na) for na in (True, False)}
    encode = Encoder()
    rows = (
        (assessment_id, question_id, text, flags[na], 1, at_bound, by_bound)
        for assessment_id, question_id, value in answers
        for text, na in (encode(value),)
    )
    if connection.dialect.name != "postgresql":  # one driver executemany (app.store.bulk)
        return bulk.insert_tuples(connection, table, _BULK_COLUMNS, rows, bound=True)
    written = 0
    columns = ", ".join(_BULK_COLUMNS)
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    return written
