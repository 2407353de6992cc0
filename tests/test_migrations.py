"""The migrations and the models describe the same schema, and migrate both ways."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from heritage.extensions import db
from heritage.models import Base
from heritage.search.postgres import TABLES as SEARCH_TABLES
from tests.conftest import make_app

TABLES = {table.name for table in Base.metadata.sorted_tables}


@pytest.fixture
def empty_app(databases, tmp_path):
    app = make_app(tmp_path, databases.new_empty(tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables() -> set[str]:
    # The PostgreSQL search backend's tables are the migration's own, not models.
    return set(inspect(db.engine).get_table_names()) - {"alembic_version", *SEARCH_TABLES}


def _not_search_table(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name in SEARCH_TABLES)


def test_models_and_migrations_agree(empty_app):
    upgrade()

    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _not_search_table}
        )
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_upgrade_downgrade_upgrade(empty_app):
    upgrade()
    assert tables() == TABLES
    assert {"sites", "restoration_records", "photos", "users", "audit_events"} <= TABLES

    downgrade(revision="base")
    assert tables() == set()

    upgrade()
    assert tables() == TABLES


def test_harvest_records_are_filled_from_what_was_public(app, ctx, make_site, make_record, editor):
    """Upgrading an archive that existed before OAI-PMH gives harvesters what was public:
    published records live, those withdrawn after publication deleted, drafts nothing."""
    from heritage.models import HarvestRecord
    from heritage.services import restorations, sites

    public = make_site("published", slug="public")
    record = make_record(public)
    record = restorations.submit_record(record.id, actor=editor, version=record.version)
    restorations.publish_record(record.id, actor=editor, version=record.version)
    gone = make_site("published", slug="gone")
    sites.withdraw_site(gone.id, actor=editor, version=gone.version, reason="Duplicate.")
    make_site("draft", slug="draft")
    expected = {("site", public.id): False, ("record", record.id): False, ("site", gone.id): True}
    db.session.remove()

    downgrade(revision="0009_site_cover_photo")
    upgrade()

    rows = db.session.scalars(db.select(HarvestRecord).order_by(HarvestRecord.id)).all()
    found = {(row.entity_type, row.entity_id): row.deleted for row in rows}
    assert found == expected


def test_public_revisions_start_where_the_archive_revision_was(app, ctx, make_site):
    """Upgrading an archive that existed before scoped revisions keeps its pages' validators
    monotonic: the clock and the floor start at the newest public audit event."""
    from heritage.models import AuditEvent, PublicRevision

    make_site("published")
    db.session.remove()
    downgrade(revision="0019_public_versions")
    upgrade()

    newest = db.session.execute(
        db.select(AuditEvent.id, AuditEvent.at)
        .where(AuditEvent.public)
        .order_by(AuditEvent.id.desc())
    ).first()
    rows = db.session.scalars(db.select(PublicRevision).order_by(PublicRevision.scope)).all()
    assert [(row.scope, row.revision, row.changed_at) for row in rows] == [
        ("*", newest.id, newest.at),
        ("~", newest.id, newest.at),
    ]
