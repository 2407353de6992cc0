"""A site's chosen cover photo.

Revision ID: 0009_site_cover_photo
Revises: 0008_collection_objects
Create Date: 2026-12-03 15:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_site_cover_photo"
down_revision = "0008_collection_objects"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a nullable column with its reference in place; batch mode would copy
        # and drop the sites table, which the photos' own references to it forbid.
        op.execute(
            "ALTER TABLE sites ADD COLUMN cover_photo_id INTEGER "
            "CONSTRAINT fk_sites_cover_photo_id_photos REFERENCES photos (id)"
        )
        return
    op.add_column("sites", sa.Column("cover_photo_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "fk_sites_cover_photo_id_photos", "sites", "photos", ["cover_photo_id"], ["id"]
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # In place too (SQLite 3.35 and later), for the same reason.
        op.execute("ALTER TABLE sites DROP COLUMN cover_photo_id")
        return
    op.drop_constraint("fk_sites_cover_photo_id_photos", "sites", type_="foreignkey")
    op.drop_column("sites", "cover_photo_id")
