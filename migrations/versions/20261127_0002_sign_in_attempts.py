"""Sign-in attempts: the security log and the throttle's memory.

Revision ID: ee0e63827640
Revises: 88dd72b1bede
Create Date: 2026-11-27 18:45:14.713643
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "ee0e63827640"
down_revision = "88dd72b1bede"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sign_in_attempts_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sign_in_attempts_client_address_at", ["client_address", "at"], unique=False
        )
        batch_op.create_index("ix_sign_in_attempts_email_at", ["email", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_attempts_email_at")
        batch_op.drop_index("ix_sign_in_attempts_client_address_at")

    op.drop_table("sign_in_attempts")
