"""A fingerprint of a database's content, to show that a change to how data is written (the
demo seeding's bulk inserts) stores the same data.

Every table is read through SQLAlchemy in primary-key order and hashed per table; what differs
between two runs by design is left out: the value of date-time columns (``now`` of the run:
only the shape of their stored text is kept, digits masked), password hashes (salted) and
session/ticket tokens (random). Prints ``table rows sha256`` per table and a total.

    python tools/db_fingerprint.py sqlite:///var/bench/a.sqlite
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from sqlalchemy import DateTime, MetaData, String, cast, create_engine, select

ROOT = Path(__file__).resolve().parents[1]
#: Columns whose value is random by design (salted hashes, tokens); not part of the content.
DIGITS = re.compile(r"[0-9]")
RANDOM = {"password_hash", "token", "token_hash", "ticket", "ticket_hash", "secret", "salt"}


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """``{table: (rows, sha256)}`` of the database at ``url``."""
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as connection:
        for name, table in sorted(meta.tables.items()):
            if name == "alembic_version":
                continue
            kept = [c for c in table.columns if c.name not in RANDOM]
            columns = [
                cast(c, String).label(c.name) if isinstance(c.type, DateTime) else c for c in kept
            ]
            shapes = [isinstance(c.type, DateTime) for c in kept]
            order = list(table.primary_key.columns) or kept
            digest = hashlib.sha256()
            rows = 0
            for row in connection.execute(select(*columns).order_by(*order)):
                values = [
                    DIGITS.sub("9", v) if shape and v is not None else v
                    for v, shape in zip(row, shapes, strict=True)
                ]
                digest.update(json.dumps(values, default=str).encode())
                rows += 1
            out[name] = (rows, digest.hexdigest())
    engine.dispose()
    return out


def main() -> None:
    result = fingerprint(sys.argv[1])
    total = hashlib.sha256()
    for name, (rows, digest) in result.items():
        print(f"{name:32} {rows:>9} {digest[:16]}")
        total.update(f"{name}:{digest}".encode())
    print(f"{'total':32} {sum(r for r, _ in result.values()):>9} {total.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
