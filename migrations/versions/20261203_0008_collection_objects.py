"""Collection objects: what a site holds or held, with the dated history of its status.

Revision ID: 0008_collection_objects
Revises: 0007_pending_revisions
Create Date: 2026-12-03 15:24:09
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "0008_collection_objects"
down_revision = "0007_pending_revisions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "collection_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("inventory_number", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("title_az", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("title_ru", sa.String(length=300), nullable=True),
        sa.Column("description_az", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ru", sa.Text(), nullable=True),
        sa.Column("materials", sa.Text(), nullable=True),
        sa.Column("technique", sa.Text(), nullable=True),
        sa.Column("dimensions", sa.String(length=300), nullable=True),
        sa.Column("date_text", sa.String(length=200), nullable=True),
        sa.Column("year_from", sa.Integer(), nullable=True),
        sa.Column("year_to", sa.Integer(), nullable=True),
        sa.Column("maker", sa.String(length=300), nullable=True),
        sa.Column("provenance", sa.Text(), nullable=True),
        sa.Column("current_location", sa.String(length=500), nullable=True),
        sa.Column("status_history", sa.JSON(), nullable=False),
        sa.Column("object_status", sa.String(length=20), nullable=False),
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
            ["created_by_id"], ["users.id"], name=op.f("fk_collection_objects_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_collection_objects_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_collection_objects_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_objects")),
        sa.UniqueConstraint(
            "site_id", "inventory_number", name=op.f("uq_collection_objects_site_id")
        ),
    )
    with op.batch_alter_table("collection_objects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collection_objects_object_status"), ["object_status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_collection_objects_object_type"), ["object_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_collection_objects_site_id"), ["site_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_collection_objects_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_collection_objects_status_missing",
            ["status", "object_status", "object_type"],
            unique=False,
        )
        batch_op.create_index(
            "ix_collection_objects_status_site",
            ["status", "site_id", "object_status"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("collection_objects", schema=None) as batch_op:
        batch_op.drop_index("ix_collection_objects_status_site")
        batch_op.drop_index("ix_collection_objects_status_missing")
        batch_op.drop_index(batch_op.f("ix_collection_objects_status"))
        batch_op.drop_index(batch_op.f("ix_collection_objects_site_id"))
        batch_op.drop_index(batch_op.f("ix_collection_objects_object_type"))
        batch_op.drop_index(batch_op.f("ix_collection_objects_object_status"))

    op.drop_table("collection_objects")
