"""The audit log: who changed what, when, old -> new. Written in the same transaction as the
change itself, so a change and its audit entry exist together or not at all."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.services.principal import Principal
from app.store.models import AuditRow


def to_json(value: Any) -> str | None:
    """JSON text of a value, keeping Unicode characters as they are."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def record(
    session: Session,
    principal: Principal,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> None:
    """Add one audit entry to the session's transaction."""
    session.add(
        AuditRow(
            user_id=principal.user_id,
            actor=principal.email,
            action=action,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old=to_json(old),
            new=to_json(new),
        )
    )


_INSERT = AuditRow.__table__.insert()


def _row(principal, action, entity, entity_id, field, old, new, at) -> dict[str, Any]:
    """One audit entry as the Core insert takes it (``record_many`` and ``record_fast``)."""
    return {
        "at": at,
        "user_id": principal.user_id,
        "actor": principal.email,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "field": field,
        "old": to_json(old),
        "new": to_json(new),
    }


def record_many(
    connection: Connection,
    principal: Principal,
    action: str,
    entity: str,
    entries: Iterable[tuple[int | None, Any]],
    *,
    at: datetime,
) -> None:
    """``record`` of many entities at once, each (entity id, new), in one executemany on a
    Core connection (an import's entry per row)."""
    rows = [
        _row(principal, action, entity, entity_id, None, None, new, at)
        for entity_id, new in entries
    ]
    if rows:
        connection.execute(_INSERT, rows)


def record_fast(
    connection: Connection,
    principal: Principal,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    at: datetime,
) -> None:
    """``record`` on a Core connection (the answer-saving hot path)."""
    connection.execute(_INSERT, _row(principal, action, entity, entity_id, field, old, new, at))
