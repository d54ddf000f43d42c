"""answer provenance: where a prefilled answer came from, and "unchanged since last year"

``answers.source`` says where the value came from: ``user`` (typed by a user),
``last_year:<year>`` (rolled forward), ``framework:<id>:<question>`` (answered once in another
framework of the same organisation and year), ``organisation:<field>`` (the organisation's own
data). NULL for answers stored before this revision (and by imports). ``answers.confirmed`` is
set when the SME confirms a rolled-forward value as unchanged since last year.

``vsme_calculations``: the inputs of the B3 energy and greenhouse-gas calculator (invoices and
fuel cards) last used for a VSME assessment, with the factor set's version, so that the report
can show how each calculated figure was obtained.

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

    op.create_table(
        "vsme_calculations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("input_json", sa.Text(), nullable=False),
        sa.Column("factors_version", sa.String(length=20), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("saved_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_vsme_calculations_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["saved_by"],
            ["users.id"],
            name=op.f("fk_vsme_calculations_saved_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vsme_calculations")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_vsme_calculations_assessment_id")),
    )


def downgrade() -> None:
    op.drop_table("vsme_calculations")
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_column("confirmed")
        batch_op.drop_column("source")
