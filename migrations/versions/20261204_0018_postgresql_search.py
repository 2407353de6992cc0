"""The PostgreSQL full-text search backend's tables (on PostgreSQL only).

Revision ID: 0018_postgresql_search
Revises: 0017_attachments_of_new_kinds
Create Date: 2026-12-04 01:40:00

search_entries holds one row per searchable record: the terms heritage's own analysis
made of it (a tsvector of field-prefixed lexemes with positions, GIN-indexed), its facet
values as `name=code` (GIN-indexed), its years, sort keys and whether the public may see
it. search_words holds every word of a name, for typo tolerance and "did you mean" by
trigram similarity (pg_trgm, a trusted extension the database's owner may create). The
GIN indexes are built with fastupdate off: a pending list makes searches after a burst of
writes slow, and writes here are single rows.
"""

from alembic import op

revision = "0018_postgresql_search"
down_revision = "0017_attachments_of_new_kinds"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        """
        CREATE TABLE search_entries (
            uid text PRIMARY KEY,
            kind text NOT NULL,
            entity_id integer NOT NULL,
            site_id integer NOT NULL,
            public boolean NOT NULL,
            facets text[] NOT NULL,
            year_from integer,
            year_to integer,
            date bigint,
            published bigint,
            sort_az bytea NOT NULL,
            sort_en bytea NOT NULL,
            sort_ru bytea NOT NULL,
            size integer NOT NULL,
            terms tsvector NOT NULL
        )
        """
    )
    op.execute(
        "CREATE INDEX search_entries_terms ON search_entries USING gin (terms) "
        "WITH (fastupdate = off)"
    )
    op.execute(
        "CREATE INDEX search_entries_facets ON search_entries USING gin (facets) "
        "WITH (fastupdate = off)"
    )
    op.execute("CREATE TABLE search_words (word text PRIMARY KEY, folded text NOT NULL)")
    op.execute(
        "CREATE INDEX search_words_folded ON search_words USING gin (folded gin_trgm_ops) "
        "WITH (fastupdate = off)"
    )
    op.execute("CREATE TABLE search_state (name text PRIMARY KEY, value text NOT NULL)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_state")
    op.execute("DROP TABLE IF EXISTS search_words")
    op.execute("DROP TABLE IF EXISTS search_entries")
