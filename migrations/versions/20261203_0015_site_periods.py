"""A site's period as written, in each language (period_az, period_en, period_ru).

Revision ID: 0015_site_periods
Revises: 0014_condition_surveys
Create Date: 2026-12-03 16:30:00

The one `period` column held what catalogers wrote, mostly in English; it becomes the
English text, to be translated.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_site_periods"
down_revision = "0014_condition_surveys"
branch_labels = None
depends_on = None

LANGUAGES = ("az", "en", "ru")


def upgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        for lang in LANGUAGES:
            batch_op.add_column(sa.Column(f"period_{lang}", sa.String(length=200), nullable=True))
    op.execute("UPDATE sites SET period_en = period")
    # In place on SQLite too: a batch copy would drop the table the photos refer to.
    op.execute("ALTER TABLE sites DROP COLUMN period")


def downgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period", sa.String(length=200), nullable=True))
    op.execute("UPDATE sites SET period = COALESCE(period_en, period_az, period_ru)")
    for lang in LANGUAGES:
        op.execute(f"ALTER TABLE sites DROP COLUMN period_{lang}")
