"""actions and tackle flags

``actions``: the action plan of an organisation (issue #13 item 9): a step of the improvement
plan it picked, or one of its own, with an owner, a deadline, a status (planned, in progress,
done), an optional cost in euro cents and a support scheme id; the year it was planned in and
the year it was done in (an action not done carries over). ``tackle_flags``: the questions of
an assessment the SME flagged "ik wil dit aanpakken" (they become the first proposed actions).

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 04:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(length=64), nullable=True),
        sa.Column("question_id", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cost_cents", sa.Integer(), nullable=True),
        sa.Column("scheme", sa.String(length=64), nullable=True),
        sa.Column("done_year", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done')", name=op.f("ck_actions_status")
        ),
        sa.CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name=op.f("ck_actions_cost")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_actions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_actions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_actions_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_actions_organisation_year", ["organisation_id", "year"], unique=False
        )

    op.create_table(
        "tackle_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("flagged_at", sa.DateTime(), nullable=False),
        sa.Column("flagged_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_tackle_flags_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flagged_by"],
            ["users.id"],
            name=op.f("fk_tackle_flags_flagged_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tackle_flags")),
        sa.UniqueConstraint("assessment_id", "question_id", name="uq_tackle_flags_per_question"),
    )


def downgrade() -> None:
    op.drop_table("tackle_flags")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_organisation_year")

    op.drop_table("actions")
