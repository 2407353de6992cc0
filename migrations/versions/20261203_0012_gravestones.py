"""Gravestones: the burial markers of a cemetery, with the people they name and their
inscriptions.

Revision ID: 0012_gravestones
Revises: 0011_site_sort_keys
Create Date: 2026-12-03 16:00:00
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "0012_gravestones"
down_revision = "0011_site_sort_keys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "gravestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=True),
        sa.Column("row", sa.String(length=40), nullable=True),
        sa.Column("plot", sa.String(length=40), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("marker_type", sa.String(length=20), nullable=False),
        sa.Column("material", sa.String(length=200), nullable=True),
        sa.Column("decoration", sa.Text(), nullable=True),
        sa.Column("condition", sa.String(length=30), nullable=True),
        sa.Column("damage", sa.Text(), nullable=True),
        sa.Column("persons", sa.JSON(), nullable=False),
        sa.Column("calendar", sa.String(length=20), nullable=False),
        sa.Column("inscription", sa.Text(), nullable=True),
        sa.Column("inscription_language", sa.String(length=20), nullable=True),
        sa.Column("inscription_reading", sa.Text(), nullable=True),
        sa.Column("translation_az", sa.Text(), nullable=True),
        sa.Column("translation_en", sa.Text(), nullable=True),
        sa.Column("translation_ru", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.Column("published_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_gravestones_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_gravestones_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_gravestones_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gravestones")),
    )
    with op.batch_alter_table("gravestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gravestones_marker_type"), ["marker_type"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_gravestones_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gravestones_status"), ["status"], unique=False)
        batch_op.create_index("ix_gravestones_status_site", ["status", "site_id"], unique=False)


def downgrade():
    with op.batch_alter_table("gravestones", schema=None) as batch_op:
        batch_op.drop_index("ix_gravestones_status_site")
        batch_op.drop_index(batch_op.f("ix_gravestones_status"))
        batch_op.drop_index(batch_op.f("ix_gravestones_site_id"))
        batch_op.drop_index(batch_op.f("ix_gravestones_marker_type"))

    op.drop_table("gravestones")
