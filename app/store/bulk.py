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
from typing import Any

from sqlalchemy import Connection, Table

#: Rows per ``executemany`` call (bounds the memory of the converted rows).
CHUNK = 5_000
#: Value types whose conversion is reused while the same object repeats (never mutable ones).
IMMUTABLE = (datetime, date, bool, int, float, str)


def insert_tuples(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table``; the rows written."""
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
    convert = [(i, p) for i, p in enumerate(processors) if p is not None]
    written = 0
    chunk: list[Sequence[Any]] = []

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
        if convert:
            for position, row in enumerate(chunk):
                values = list(row)
                for i, processor in convert:
                    if values[i] is not None:
                        values[i] = process(i, processor, values[i])
                chunk[position] = tuple(values)
        connection.exec_driver_sql(sql, chunk)

    for row in rows:
        if len(row) != len(targets):
            raise ValueError(
                f"insert_tuples into {table.name}: a row has {len(row)} values "
                f"for {len(targets)} columns"
            )
        chunk.append(row)
        if len(chunk) >= CHUNK:
            flush()
            written += len(chunk)
            chunk = []
    if chunk:
        flush()
        written += len(chunk)
    return written
