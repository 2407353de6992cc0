"""When each site, record and photo was first published.

Revision ID: 0003_published_at
Revises: ee0e63827640
Create Date: 2026-11-27 18:49:37.308355
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "0003_published_at"
down_revision = "ee0e63827640"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published_at", heritage.models.base.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("restoration_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published_at", heritage.models.base.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published_at", heritage.models.base.UTCDateTime(), nullable=True)
        )

    # What is public now was published when its status last changed.
    for table in ("sites", "restoration_records", "photos"):
        op.execute(
            f"UPDATE {table} SET published_at = status_changed_at WHERE status = 'published'"
        )


def downgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("published_at")

    with op.batch_alter_table("restoration_records", schema=None) as batch_op:
        batch_op.drop_column("published_at")

    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_column("published_at")
