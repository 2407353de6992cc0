"""Photos of collection objects, gravestones and condition surveys; surveys of one object
or gravestone; the survey that prompted a restoration record.

Revision ID: 0017_attachments_of_new_kinds
Revises: 0016_import_runs
Create Date: 2026-12-04 01:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_attachments_of_new_kinds"
down_revision = "0016_import_runs"
branch_labels = None
depends_on = None

# (table, column, the table it refers to)
COLUMNS = [
    ("photos", "object_id", "collection_objects"),
    ("photos", "gravestone_id", "gravestones"),
    ("photos", "survey_id", "condition_surveys"),
    ("condition_surveys", "object_id", "collection_objects"),
    ("condition_surveys", "gravestone_id", "gravestones"),
    ("restoration_records", "survey_id", "condition_surveys"),
]


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, target in COLUMNS:
        constraint = f"fk_{table}_{column}_{target}"
        if sqlite:
            # In place: batch mode would copy and drop tables that others refer to.
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
                f"CONSTRAINT {constraint} REFERENCES {target} (id)"
            )
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(constraint, table, target, [column], ["id"])
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, target in reversed(COLUMNS):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        if sqlite:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_constraint(f"fk_{table}_{column}_{target}", table, type_="foreignkey")
            op.drop_column(table, column)
