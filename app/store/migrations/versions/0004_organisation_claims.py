"""organisation claims and sign-in tickets

``organisation_claims``: a new SME account that registers a KBO number which already holds data
(an earlier account or imported answers) gets a pending claim instead of access; a federation of
that sector or an admin approves or rejects it. ``signin_tickets``: the short-lived, single-use
tickets the sign-in form hands to the ``/session/signin`` route, which exchanges one for the
HttpOnly session cookie (only sha256 hashes are stored).

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 20:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')",
            name=op.f("ck_organisation_claims_status"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_claims_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_organisation_claims_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name=op.f("fk_organisation_claims_decided_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_claims")),
        sa.UniqueConstraint(
            "organisation_id", "user_id", name=op.f("uq_organisation_claims_per_user")
        ),
    )
    with op.batch_alter_table("organisation_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_claims_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organisation_claims_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "signin_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("browser_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_signin_tickets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signin_tickets")),
        sa.UniqueConstraint("ticket_hash", name=op.f("uq_signin_tickets_ticket_hash")),
    )
    with op.batch_alter_table("signin_tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signin_tickets_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_signin_tickets_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("signin_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signin_tickets_expires_at"))
        batch_op.drop_index(batch_op.f("ix_signin_tickets_user_id"))
    op.drop_table("signin_tickets")
    with op.batch_alter_table("organisation_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_claims_user_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_claims_organisation_id"))
    op.drop_table("organisation_claims")
