"""sector statistics

``sector_statistics``: the published benchmark figures of a sector (the federation's view) or a
peer group (an SME's benchmark position), one row per key, written whenever the snapshots
behind it change and read by the pages instead of recomputing them. Existing databases start
with the table empty; ``app.services.statistics`` fills a missing row on first use and
``mvo rescore`` rebuilds them all. ``score_snapshots.figures_json``: the snapshot's row of the
sector and peer scores tables, written at freeze, so that recomputing a sector's figures parses
no passport (empty for older snapshots, which are parsed as before).

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sector_statistics",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=True),
        sa.Column("figures_json", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sector_statistics")),
    )
    with op.batch_alter_table("sector_statistics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sector_statistics_profile"), ["profile"], unique=False)

    with op.batch_alter_table("score_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("figures_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("score_snapshots", schema=None) as batch_op:
        batch_op.drop_column("figures_json")
    with op.batch_alter_table("sector_statistics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sector_statistics_profile"))
    op.drop_table("sector_statistics")
