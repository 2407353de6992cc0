"""Photos: one photo per original (a unique content hash), and the record of fixity runs.

Revision ID: 0004_photos
Revises: 0003_published_at
Create Date: 2026-11-27 19:03:36.401640
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "0004_photos"
down_revision = "0003_published_at"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "fixity_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("finished_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("photos", sa.Integer(), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("bytes_read", sa.BigInteger(), nullable=False),
        sa.Column("changed", sa.JSON(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("untracked", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fixity_runs")),
    )
    # An identical upload finds the photo that holds its original instead of adding a row.
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_sha256"))
        batch_op.create_index(batch_op.f("ix_photos_sha256"), ["sha256"], unique=True)


def downgrade():
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_sha256"))
        batch_op.create_index(batch_op.f("ix_photos_sha256"), ["sha256"], unique=False)

    op.drop_table("fixity_runs")
