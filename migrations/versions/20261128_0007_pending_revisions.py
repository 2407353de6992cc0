"""Pending revisions: a change to a published record that waits for review.

Revision ID: 0007_pending_revisions
Revises: 0006_api_tokens
Create Date: 2026-11-28 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "0007_pending_revisions"
down_revision = "0006_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pending_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_table", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["users.id"],
            name=op.f("fk_pending_revisions_proposed_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_revisions")),
        sa.UniqueConstraint(
            "entity_table", "entity_id", name=op.f("uq_pending_revisions_entity_table")
        ),
    )


def downgrade():
    op.drop_table("pending_revisions")
