"""Each language's collation key of a site's name, for lists in the reader's order.

Revision ID: 0011_site_sort_keys
Revises: 0010_harvest_records
Create Date: 2026-12-03 16:00:00
"""

import sqlalchemy as sa
from alembic import op

from heritage.collation import name_sort_keys

revision = "0011_site_sort_keys"
down_revision = "0010_harvest_records"
branch_labels = None
depends_on = None

LANGUAGES = ("az", "en", "ru")


def upgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        for lang in LANGUAGES:
            batch_op.add_column(sa.Column(f"sort_key_{lang}", sa.LargeBinary(), nullable=True))
    for lang in LANGUAGES:
        op.create_index(f"ix_sites_status_sort_key_{lang}", "sites", ["status", f"sort_key_{lang}"])
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, slug, name_az, name_en, name_ru FROM sites"))
    update = sa.text(
        "UPDATE sites SET sort_key_az = :sort_key_az, sort_key_en = :sort_key_en, "
        "sort_key_ru = :sort_key_ru WHERE id = :id"
    )
    for row in rows.all():
        names = {"az": row.name_az, "en": row.name_en, "ru": row.name_ru}
        connection.execute(update, {"id": row.id, **name_sort_keys(names, row.slug)})


def downgrade():
    for lang in LANGUAGES:
        op.drop_index(f"ix_sites_status_sort_key_{lang}", table_name="sites")
        # In place on SQLite too: a batch copy would drop the table the photos refer to.
        op.execute(f"ALTER TABLE sites DROP COLUMN sort_key_{lang}")
