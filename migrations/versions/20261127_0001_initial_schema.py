"""Initial schema: sites, restoration records, photos, users, audit trail, index outbox.

Revision ID: 88dd72b1bede
Revises:
Create Date: 2026-11-27 18:30:18.276003
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "88dd72b1bede"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "index_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("created_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_outbox")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("last_login_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("entity_type", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_entity", ["entity_type", "entity_id", "id"], unique=False
        )
    _make_audit_trail_append_only()

    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("inventory_number", sa.String(length=60), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("site_type", sa.String(length=30), nullable=False),
        sa.Column("name_az", sa.String(length=300), nullable=True),
        sa.Column("name_en", sa.String(length=300), nullable=True),
        sa.Column("name_ru", sa.String(length=300), nullable=True),
        sa.Column("alternative_names", sa.JSON(), nullable=False),
        sa.Column("description_az", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ru", sa.Text(), nullable=True),
        sa.Column("district", sa.String(length=30), nullable=False),
        sa.Column("settlement", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("location_approximate", sa.Boolean(), nullable=False),
        sa.Column("location_sensitive", sa.Boolean(), nullable=False),
        sa.Column("period", sa.String(length=200), nullable=True),
        sa.Column("year_from", sa.Integer(), nullable=True),
        sa.Column("year_to", sa.Integer(), nullable=True),
        sa.Column("protection_level", sa.String(length=30), nullable=True),
        sa.Column("condition", sa.String(length=30), nullable=True),
        sa.Column("clearance_status", sa.String(length=30), nullable=False),
        sa.Column("clearance_date", sa.Date(), nullable=True),
        sa.Column("clearance_reference", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_sites_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_sites_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("inventory_number", name=op.f("uq_sites_inventory_number")),
        sa.UniqueConstraint("slug", name=op.f("uq_sites_slug")),
    )
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sites_category"), ["category"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sites_clearance_status"), ["clearance_status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sites_condition"), ["condition"], unique=False)
        batch_op.create_index(batch_op.f("ix_sites_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_sites_site_type"), ["site_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_sites_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_sites_year_from"), ["year_from"], unique=False)

    op.create_table(
        "restoration_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("work_type", sa.String(length=40), nullable=False),
        sa.Column("work_status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("organisation", sa.String(length=500), nullable=True),
        sa.Column("team", sa.String(length=500), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("materials", sa.Text(), nullable=True),
        sa.Column("techniques", sa.Text(), nullable=True),
        sa.Column("condition_before", sa.String(length=30), nullable=True),
        sa.Column("condition_after", sa.String(length=30), nullable=True),
        sa.Column("clearance_override_reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_restoration_records_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_restoration_records_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_restoration_records_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restoration_records")),
    )
    with op.batch_alter_table("restoration_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restoration_records_site_id"), ["site_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_restoration_records_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_restoration_records_work_status"), ["work_status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_restoration_records_work_type"), ["work_type"], unique=False
        )

    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=50), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=True),
        sa.Column("captured_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.Column("camera", sa.String(length=200), nullable=True),
        sa.Column("orientation", sa.Integer(), nullable=True),
        sa.Column("gps_latitude", sa.Double(), nullable=True),
        sa.Column("gps_longitude", sa.Double(), nullable=True),
        sa.Column("caption_az", sa.Text(), nullable=True),
        sa.Column("caption_en", sa.Text(), nullable=True),
        sa.Column("caption_ru", sa.Text(), nullable=True),
        sa.Column("alt_az", sa.String(length=500), nullable=True),
        sa.Column("alt_en", sa.String(length=500), nullable=True),
        sa.Column("alt_ru", sa.String(length=500), nullable=True),
        sa.Column("photographer", sa.String(length=200), nullable=True),
        sa.Column("credit", sa.String(length=300), nullable=True),
        sa.Column("licence", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_photos_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["restoration_records.id"],
            name=op.f("fk_photos_record_id_restoration_records"),
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_photos_site_id_sites")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_photos_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photos_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_status"))
        batch_op.drop_index(batch_op.f("ix_photos_site_id"))
        batch_op.drop_index(batch_op.f("ix_photos_sha256"))
        batch_op.drop_index(batch_op.f("ix_photos_record_id"))

    op.drop_table("photos")
    with op.batch_alter_table("restoration_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restoration_records_work_type"))
        batch_op.drop_index(batch_op.f("ix_restoration_records_work_status"))
        batch_op.drop_index(batch_op.f("ix_restoration_records_status"))
        batch_op.drop_index(batch_op.f("ix_restoration_records_site_id"))

    op.drop_table("restoration_records")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_year_from"))
        batch_op.drop_index(batch_op.f("ix_sites_status"))
        batch_op.drop_index(batch_op.f("ix_sites_site_type"))
        batch_op.drop_index(batch_op.f("ix_sites_district"))
        batch_op.drop_index(batch_op.f("ix_sites_condition"))
        batch_op.drop_index(batch_op.f("ix_sites_clearance_status"))
        batch_op.drop_index(batch_op.f("ix_sites_category"))

    op.drop_table("sites")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_entity")

    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    op.drop_table("audit_events")
    op.drop_table("users")
    op.drop_table("index_outbox")


def _make_audit_trail_append_only():
    """The database itself refuses to change or delete an audit event, whoever asks."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )
