"""The migrations and the models describe the same schema, and migrate both ways."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from heritage.extensions import db
from heritage.models import Base
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
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_models_and_migrations_agree(empty_app):
    upgrade()

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
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
