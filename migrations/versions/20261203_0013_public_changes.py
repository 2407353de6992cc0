"""Audit events say whether they changed what the public sees: the newest such event is the
public pages' revision, so staff work on drafts no longer moves public validators. Events
from before count as public, so the revision an archive had stays what it was.

Revision ID: 0013_public_changes
Revises: 0012_gravestones
Create Date: 2026-12-03 15:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_public_changes"
down_revision = "0012_gravestones"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no table rebuild), which the append-only triggers allow.
    op.add_column(
        "audit_events",
        sa.Column("public", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.create_index("ix_audit_events_public", "audit_events", ["public", "id"], unique=False)


def downgrade():
    op.drop_index("ix_audit_events_public", table_name="audit_events")
    op.drop_column("audit_events", "public")
