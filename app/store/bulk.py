"""Bulk inserts of many rows as tuples: one ``executemany`` of the driver, no dict per row.

SQLAlchemy's ``insert(table)`` with a list of dicts builds and processes a parameter dict per
row; for the hundreds of thousands of answers that ``mvo demo --organisations N`` writes, that
bookkeeping is most of the insert time. ``insert_tuples`` writes the same rows as tuples in a
declared column order with one driver ``executemany`` (SQLite ``?`` or PostgreSQL ``%s``
placeholders), after each column type's own bind processor (SQLAlchemy's public
``TypeEngine.bind_processor``), so the stored values are the ones ``insert(table)`` stores.
Columns left out get their server default; Python-side defaults are not applied, the caller
gives every column it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table

#: Rows per ``executemany`` call (bounds the memory of the converted rows).
CHUNK = 5_000
#: Value types whose conversion is reused while the same object repeats (never mutable ones).
IMMUTABLE = (datetime, date, bool, int, float, str)


def bind_value(connection: Connection, table: Table, column: str, value: Any) -> Any:
    """``value`` as the driver takes it for ``table.column`` (the column type's bind
    processor, as ``insert(table)`` applies it)."""
    dialect = connection.dialect
    processor = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor is not None and value is not None else value


def insert_tuples(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bound: bool = False,
) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table``; the rows written.
    With ``bound`` the rows already hold what the driver takes (the caller applied the bind
    processors, ``bind_value``, e.g. once to the values every row shares): no row is
    converted here."""
    dialect = connection.dialect
    targets = [table.c[name] for name in columns]
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in targets]
    if dialect.paramstyle == "qmark":
        marker = "?"
    elif dialect.paramstyle in ("format", "pyformat"):
        marker = "%s"
    else:  # pragma: no cover - the two supported databases use one of the above
        raise ValueError(f"insert_tuples: unsupported paramstyle {dialect.paramstyle}")
    quote = dialect.identifier_preparer
    sql = (
        f"INSERT INTO {quote.format_table(table)} "
        f"({', '.join(quote.format_column(c) for c in targets)}) "
        f"VALUES ({', '.join([marker] * len(targets))})"
    )
    convert = [] if bound else [(i, p) for i, p in enumerate(processors) if p is not None]
    written = 0
    chunk: list[Sequence[Any]] = []  # the rows of the executemany at hand

    last: dict[int, tuple[Any, Any]] = {}

    def process(i: int, processor, value: Any) -> Any:
        # rows of one batch often share a value (the ``now`` of every row): converted once
        if type(value) not in IMMUTABLE:
            return processor(value)
        seen = last.get(i)
        if seen is not None and seen[0] is value:
            return seen[1]
        converted = processor(value)
        last[i] = (value, converted)
        return converted

    def flush() -> None:
        if convert:  # without any, the caller's tuples go to the driver as they are
            for position, row in enumerate(chunk):
                values = list(row)
                for i, processor in convert:
                    if values[i] is not None:
                        values[i] = process(i, processor, values[i])
                chunk[position] = tuple(values)
        connection.exec_driver_sql(sql, chunk)

    width = len(targets)
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        if set(map(len, chunk)) != {width}:
            wrong = next(len(row) for row in chunk if len(row) != width)
            raise ValueError(
                f"insert_tuples into {table.name}: a row has {wrong} values for {width} columns"
            )
        flush()
        written += len(chunk)
    return written
