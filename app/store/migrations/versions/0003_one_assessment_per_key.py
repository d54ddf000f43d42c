"""one assessment per organisation, framework, profile (or none) and year

The unique constraint ``uq_assessments_per_year`` of 0001 does not hold for a NULL profile
(a Start-to-MVO scan): NULLs are distinct in a unique key on SQLite and PostgreSQL alike, so
two concurrent starts could both insert. A partial unique index over the rows *without* a
profile closes that gap on both databases (PostgreSQL before 15 has no ``NULLS NOT
DISTINCT``, and the same statement serves both).

Duplicates already in the database are merged only where that loses nothing: an extra
assessment that is a draft with no answers, no evidence and no snapshot is deleted (audited as
``migration``), keeping the oldest when all are empty. Where two or more of one key hold data,
the upgrade stops with a message listing them, so an administrator decides which one stays
(a privacy officer would not sign an automatic choice between two filled-in assessments).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 20:30:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_assessments_per_year_no_profile"


def _holds_data(bind: sa.Connection, assessment_id: int, status: str) -> bool:
    if status != "draft":
        return True
    for table in ("answers", "evidence_files", "score_snapshots"):
        found = bind.execute(
            sa.text(f"SELECT 1 FROM {table} WHERE assessment_id = :aid LIMIT 1"),
            {"aid": assessment_id},
        ).first()
        if found is not None:
            return True
    return False


def _merge_duplicates(bind: sa.Connection) -> None:
    groups = bind.execute(
        sa.text(
            "SELECT organisation_id, framework, year FROM assessments WHERE profile IS NULL "
            "GROUP BY organisation_id, framework, year HAVING COUNT(*) > 1"
        )
    ).all()
    clashes = []
    for organisation_id, framework, year in groups:
        rows = bind.execute(
            sa.text(
                "SELECT id, status FROM assessments WHERE profile IS NULL AND organisation_id = "
                ":org AND framework = :fw AND year = :year ORDER BY id"
            ),
            {"org": organisation_id, "fw": framework, "year": year},
        ).all()
        filled = [r.id for r in rows if _holds_data(bind, r.id, r.status)]
        if len(filled) > 1:
            clashes.append(f"organisation {organisation_id}, {framework} {year}: ids {filled}")
            continue
        keep = filled[0] if filled else rows[0].id
        now = datetime.now(UTC).replace(tzinfo=None)
        for r in rows:
            if r.id == keep:
                continue
            bind.execute(sa.text("DELETE FROM assessments WHERE id = :aid"), {"aid": r.id})
            bind.execute(
                sa.text(
                    "INSERT INTO audit_log (at, actor, action, entity, entity_id, new) "
                    "VALUES (:at, 'system', 'migration', 'assessment', :aid, :new)"
                ),
                {"at": now, "aid": r.id, "new": json.dumps({"empty_duplicate_of": keep})},
            )
    if clashes:
        raise RuntimeError(
            "Migratie 0003: meerdere ingevulde beoordelingen voor dezelfde organisatie, "
            "hetzelfde kader en jaar zonder sectorprofiel; kies welke blijft en verwijder de "
            "andere, en start opnieuw. / Migration 0003: several filled-in assessments for the "
            "same organisation, framework and year without a sector profile; choose which one "
            "stays, delete the others, and run again: " + "; ".join(clashes)
        )


def upgrade() -> None:
    _merge_duplicates(op.get_bind())
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            INDEX,
            ["organisation_id", "framework", "year"],
            unique=True,
            sqlite_where=sa.text("profile IS NULL"),
            postgresql_where=sa.text("profile IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
