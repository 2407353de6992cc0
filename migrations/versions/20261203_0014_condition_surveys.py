"""Condition surveys: dated assessments of a site, the damage found, risk and urgency.

Revision ID: 0014_condition_surveys
Revises: 0013_public_changes
Create Date: 2026-12-03 16:30:00
"""

import sqlalchemy as sa
from alembic import op

import heritage.models.base

revision = "0014_condition_surveys"
down_revision = "0013_public_changes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "condition_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("survey_date", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(length=300), nullable=True),
        sa.Column("organisation", sa.String(length=500), nullable=True),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("overall_condition", sa.String(length=30), nullable=False),
        sa.Column("damages", sa.JSON(), nullable=False),
        sa.Column("risk_level", sa.String(length=20), nullable=False),
        sa.Column("urgency", sa.String(length=20), nullable=False),
        sa.Column("findings_az", sa.Text(), nullable=True),
        sa.Column("findings_en", sa.Text(), nullable=True),
        sa.Column("findings_ru", sa.Text(), nullable=True),
        sa.Column("recommendations_az", sa.Text(), nullable=True),
        sa.Column("recommendations_en", sa.Text(), nullable=True),
        sa.Column("recommendations_ru", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.Column("published_at", heritage.models.base.UTCDateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", heritage.models.base.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_condition_surveys_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_condition_surveys_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_condition_surveys_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_condition_surveys")),
    )
    with op.batch_alter_table("condition_surveys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_condition_surveys_risk_level"), ["risk_level"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_condition_surveys_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_condition_surveys_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_condition_surveys_status_site", ["status", "site_id", "survey_date"], unique=False
        )


def downgrade():
    with op.batch_alter_table("condition_surveys", schema=None) as batch_op:
        batch_op.drop_index("ix_condition_surveys_status_site")
        batch_op.drop_index(batch_op.f("ix_condition_surveys_status"))
        batch_op.drop_index(batch_op.f("ix_condition_surveys_site_id"))
        batch_op.drop_index(batch_op.f("ix_condition_surveys_risk_level"))

    op.drop_table("condition_surveys")
