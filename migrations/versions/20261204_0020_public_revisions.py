"""Public revisions per scope (a change retires only the public pages that show it) and
public counts (kept in the transaction of each change, so no page counts the archive).

Revision ID: 0020_public_revisions
Revises: 0019_public_versions
Create Date: 2026-12-04 01:10:00

The clock (scope "*") and the floor every page shows (scope "~") start at the archive's
revision as it was (the newest public audit event), so validators stay monotonic; an archive
with no public change yet starts with none (a restore then loads the backup's).
"""

import sqlalchemy as sa
from alembic import op

from heritage.periods import period_sql

revision = "0020_public_revisions"
down_revision = "0019_public_versions"
branch_labels = None
depends_on = None

# The browse page's filters whose counts are kept (services/counts.py).
FILTERS = ("category", "site_type", "district", "condition", "century")


def upgrade():
    op.create_table(
        "public_revisions",
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_public_revisions")),
    )
    op.create_index(
        op.f("ix_public_revisions_revision"), "public_revisions", ["revision"], unique=False
    )
    op.create_table(
        "public_counts",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_public_counts")),
    )
    _count_what_is_public()
    for scope in ("*", "~"):
        op.execute(
            sa.text(
                "INSERT INTO public_revisions (scope, revision, changed_at) "
                "SELECT :scope, id, at FROM audit_events WHERE public ORDER BY id DESC LIMIT 1"
            ).bindparams(scope=scope)
        )


def _count_what_is_public():
    sites = sa.table(
        "sites",
        *(sa.column(name) for name in ("id", "status", *FILTERS[:-1])),
        sa.column("year_from", sa.Integer),
    )
    records = sa.table(
        "restoration_records", sa.column("id"), sa.column("site_id"), sa.column("status")
    )
    published = sites.c.status == "published"
    bind = op.get_bind()
    counted = {
        "sites": bind.scalar(sa.select(sa.func.count(sites.c.id)).where(published)),
        "records": bind.scalar(
            sa.select(sa.func.count(records.c.id))
            .select_from(records.join(sites, records.c.site_id == sites.c.id))
            .where(records.c.status == "published", published)
        ),
    }
    for name in FILTERS:
        column = period_sql(sites.c.year_from) if name == "century" else sites.c[name]
        query = sa.select(column, sa.func.count(sites.c.id)).where(published, column.is_not(None))
        for value, count in bind.execute(query.group_by(column)):
            counted[f"sites.{name}={value}"] = count
    table = sa.table("public_counts", sa.column("name"), sa.column("count"))
    rows = [{"name": name, "count": count} for name, count in sorted(counted.items()) if count]
    if rows:
        op.bulk_insert(table, rows)


def downgrade():
    op.drop_table("public_counts")
    op.drop_index(op.f("ix_public_revisions_revision"), table_name="public_revisions")
    op.drop_table("public_revisions")
