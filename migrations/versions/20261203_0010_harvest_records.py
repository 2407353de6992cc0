"""Harvest records: the public state of each site and restoration record, for OAI-PMH.

Revision ID: 0010_harvest_records
Revises: 0009_site_cover_photo
Create Date: 2026-12-03 15:00:00
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "0010_harvest_records"
down_revision = "0009_site_cover_photo"
branch_labels = None
depends_on = None

# What was public before this table existed: published rows as of their last change, and
# rows withdrawn after they were public as deleted at their withdrawal. The fingerprint is
# left empty, so the next save of each row sets it.
_BACKFILL = """
INSERT INTO harvest_records
    (entity_type, entity_id, datestamp, deleted, category, site_type, district)
SELECT kind, entity_id, datestamp, deleted, category, site_type, district FROM (
    SELECT 'site' AS kind, s.id AS entity_id, s.updated_at AS datestamp,
           s.status <> 'published' AS deleted, s.category, s.site_type, s.district
    FROM sites s
    WHERE s.status = 'published' OR (s.status = 'withdrawn' AND s.published_at IS NOT NULL)
    UNION ALL
    SELECT 'record', r.id,
           CASE WHEN r.status = 'published' AND s.status = 'published' THEN r.updated_at
                WHEN r.status = 'published' THEN s.status_changed_at
                ELSE r.status_changed_at END,
           NOT (r.status = 'published' AND s.status = 'published'),
           s.category, s.site_type, s.district
    FROM restoration_records r JOIN sites s ON s.id = r.site_id
    WHERE r.published_at IS NOT NULL AND s.published_at IS NOT NULL
      AND r.status IN ('published', 'withdrawn')
) AS public_once
ORDER BY datestamp, kind, entity_id
"""


def upgrade():
    op.create_table(
        "harvest_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("datestamp", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("site_type", sa.String(length=30), nullable=True),
        sa.Column("district", sa.String(length=30), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_records")),
        sa.UniqueConstraint(
            "entity_type", "entity_id", name=op.f("uq_harvest_records_entity_type")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_harvest_records_datestamp", "harvest_records", ["datestamp", "id"])
    for column in ("category", "site_type", "district"):
        op.create_index(
            op.f(f"ix_harvest_records_{column}"), "harvest_records", [column], unique=False
        )
    op.execute(_BACKFILL)


def downgrade():
    op.drop_table("harvest_records")
