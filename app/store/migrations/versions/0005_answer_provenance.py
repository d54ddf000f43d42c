"""answer provenance: where a prefilled answer came from, and "unchanged since last year"

``answers.source`` says where the value came from: ``user`` (typed by a user),
``last_year:<year>`` (rolled forward), ``framework:<id>:<question>`` (answered once in another
framework of the same organisation and year), ``organisation:<field>`` (the organisation's own
data). NULL for answers stored before this revision (and by imports). ``answers.confirmed`` is
set when the SME confirms a rolled-forward value as unchanged since last year.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_column("confirmed")
        batch_op.drop_column("source")
