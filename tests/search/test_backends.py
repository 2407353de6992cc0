"""What each backend must do that the shared search tests cannot see from outside: which
one runs, PostgreSQL's rows written in the change's own transaction, and its limits."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError
from sqlalchemy import text

from heritage.extensions import db
from heritage.search import Document, get_backend, postgres
from heritage.services import sites
from tests.conftest import ON_POSTGRES, make_app, site_data

postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL backend's own rules")


def test_the_backend_follows_the_database_unless_chosen(ctx):
    expected = "PostgresBackend" if ON_POSTGRES else "WhooshBackend"
    assert type(get_backend()).__name__ == expected


def test_the_postgresql_backend_needs_postgresql(tmp_path):
    with pytest.raises(ValueError, match="needs a PostgreSQL database"):
        make_app(tmp_path, f"sqlite:///{tmp_path / 'x.db'}", SEARCH_BACKEND="postgresql")
    with pytest.raises(ValueError, match="whoosh or postgresql"):
        make_app(tmp_path, f"sqlite:///{tmp_path / 'x.db'}", SEARCH_BACKEND="solr")


def _entry(uid: str):
    return db.session.execute(
        text("SELECT public, facets, terms::text AS terms FROM search_entries WHERE uid = :u"),
        {"u": uid},
    ).one_or_none()


@postgres_only
def test_a_save_writes_its_entry_in_its_own_transaction_and_leaves_no_outbox_row(make_site):
    site = make_site("published", name_az="Şuşa qalası", name_en="Shusha fortress")
    entry = _entry(f"site:{site.id}")
    db.session.rollback()
    assert entry.public is True
    assert "district=shusha" in entry.facets
    # Azerbaijani lowercasing and folding from heritage's analysis, not the server locale's.
    assert "'x:şuşa'" in entry.terms
    assert "'n:susa':1" in entry.terms
    pending = db.session.execute(text("SELECT count(*) FROM index_outbox")).scalar_one()
    assert pending == 0


@postgres_only
def test_an_undone_save_leaves_no_entry(make_site, editor):
    site = make_site("draft")
    with pytest.raises(ValidationError):
        sites.update_site(
            site.id, {"name_en": "Renamed", "year_from": "x"}, actor=editor, version=site.version
        )
    entry = _entry(f"site:{site.id}")
    db.session.rollback()
    assert "renamed" not in entry.terms


@postgres_only
def test_an_entry_of_megabytes_is_cut_to_fit_a_tsvector(ctx):
    # Far beyond what any form accepts: 3 MB of distinct words, and one word 400 times.
    words = " ".join(f"word{n}" for n in range(300_000))
    document = Document(
        kind="site",
        entity_id=1,
        site_id=1,
        public=True,
        names=["Mihrab"],
        text=[f"{'again ' * 400} {words}"],
    )
    with db.engine.begin() as connection:
        postgres.PostgresBackend(db.engine).write(connection, [document])
        stored = connection.execute(
            text(
                "SELECT pg_column_size(terms) AS bytes, terms @@ CAST(:q AS tsquery) AS found "
                "FROM search_entries WHERE uid = 'site:1'"
            ),
            {"q": "'t:again'"},
        ).one()
    assert stored.bytes < 1024 * 1024
    assert stored.found


@postgres_only
def test_every_query_shape_uses_the_indexes(make_site):
    for n in range(30):
        make_site("published", **{**site_data(), "name_en": f"Site {n}", "inventory_number": None})
    db.session.execute(text("ANALYZE search_entries"))
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    shapes = [
        "terms @@ CAST('''n:susa''' AS tsquery)",
        "terms @@ CAST('''n:susa'' <-> ''n:qala''' AS tsquery)",
        "terms @@ CAST('''n:su'':*' AS tsquery)",
        "facets @> CAST(ARRAY['district=shusha'] AS text[])",
    ]
    for shape in shapes:
        plan = "\n".join(
            db.session.execute(
                text(f"EXPLAIN SELECT uid FROM search_entries WHERE {shape}")
            ).scalars()
        )
        assert "search_entries_" in plan, plan
    plan = "\n".join(
        db.session.execute(
            text("EXPLAIN SELECT word FROM search_words WHERE folded % 'susa'")
        ).scalars()
    )
    assert "search_words_folded" in plan, plan
    db.session.rollback()
