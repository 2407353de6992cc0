"""Indexes for the public pages of a large archive.

Revision ID: 0005_public_indexes
Revises: 0004_photos
Create Date: 2026-11-27 22:30:00
"""

from alembic import op

revision = "0005_public_indexes"
down_revision = "0004_photos"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_sites_status_published_at": ("sites", ["status", "published_at"]),
    "ix_sites_status_place": (
        "sites",
        ["status", "location_sensitive", "latitude", "longitude"],
    ),
    "ix_sites_status_facets": (
        "sites",
        ["status", "category", "site_type", "district", "condition", "year_from"],
    ),
    "ix_restoration_records_status_published_at": (
        "restoration_records",
        ["status", "published_at"],
    ),
    "ix_restoration_records_status_site": ("restoration_records", ["status", "site_id"]),
}


def upgrade():
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade():
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
