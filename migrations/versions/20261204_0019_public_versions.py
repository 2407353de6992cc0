"""Each editable record keeps the version and time of its last change the public could see
(public_version, public_updated_at): the public API answers those, so a proposal or an
internal note no longer shows through a published record's `version`, `updated_at` or ETag.
Records start from what they answered until now.

Revision ID: 0019_public_versions
Revises: 0018_postgresql_search
Create Date: 2026-12-04 02:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_public_versions"
down_revision = "0018_postgresql_search"
branch_labels = None
depends_on = None

TABLES = (
    "sites",
    "restoration_records",
    "photos",
    "collection_objects",
    "gravestones",
    "condition_surveys",
)


def upgrade():
    for table in TABLES:
        # Plain ADD COLUMNs: a batch copy of sites would drop the tables that refer to it.
        op.add_column(
            table, sa.Column("public_version", sa.Integer(), server_default="1", nullable=False)
        )
        op.add_column(table, sa.Column("public_updated_at", sa.DateTime(), nullable=True))
        op.execute(f"UPDATE {table} SET public_version = version, public_updated_at = updated_at")


def downgrade():
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN public_updated_at")
        op.execute(f"ALTER TABLE {table} DROP COLUMN public_version")
