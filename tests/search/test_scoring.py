"""The one-pass scorer (heritage/search/vector.py) against Whoosh's own matchers: the same
documents, the same scores, and every phrase checked by position.

Field filters (district:, year:) score 0 here, as the compiler asks; Whoosh adds a constant
for them (its constant-score wrapper gives weight 1 for a score of 0.0), the same for every
document that passes the filter, so the order is the same.
"""

from __future__ import annotations

import time

import pytest

from heritage.search import get_backend, parse, vector
from heritage.search.compiler import compile_query

QUERIES = [
    "Şuşa",
    "shusha",
    "Шуша",
    "mosque",
    "qala*",
    "Kəlbəcqr",
    '"Gövhər Ağa"',
    '"Ağa Gövhər"',
    '"upper mosque" OR bridge',
    "mosque -bridge",
    "NOT mosque",
    "bridge district:shusha",
    "year:1700..1900 mosque",
    "name:Gövhər",
]


@pytest.fixture
def sites(find, make_site):
    make_site(
        "published",
        name_az="Gövhər Ağa məscidi",
        name_en="Govhar Agha Mosque",
        name_ru="Мечеть Гевхар-ага",
        site_type="mosque",
        district="shusha",
    )
    make_site(
        "published",
        name_az="Yuxarı Gövhər Ağa məscidi",
        name_en="Upper Mosque",
        name_ru="Верхняя мечеть",
        site_type="mosque",
        district="shusha",
        year_from=1768,
        year_to=1769,
    )
    make_site(
        "published",
        name_az="Xudafərin körpüsü",
        name_en="Khudafarin Bridge",
        name_ru="Худаферинский мост",
        site_type="bridge",
        district="jabrayil",
    )
    make_site(
        "published",
        name_az="Şuşa qalası",
        name_en="Shusha Fortress",
        name_ru="Шушинская крепость",
        site_type="fortress",
        district="shusha",
    )
    make_site(
        "published",
        name_az="Kəlbəcər körpüsü",
        name_en="",
        name_ru="",
        site_type="bridge",
        district="kalbajar",
    )
    make_site("draft", name_az="Qala məscidi", name_en="Fortress mosque", name_ru="")
    find("x")  # builds the index


@pytest.mark.whoosh
@pytest.mark.parametrize("text", QUERIES)
def test_the_scorer_finds_and_scores_what_whoosh_does(ctx, sites, text):
    backend = get_backend()
    with backend._searcher() as searcher:
        query = compile_query(parse(text), searcher.reader(), time.monotonic() + 10).query
        expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
        found = vector.evaluate(searcher, query, vector.PostingCache(), time.monotonic() + 10)

    assert found.exact
    assert sorted(found.docs.tolist()) == sorted(expected)
    offsets = {
        round(expected[docnum] - score, 6)
        for docnum, score in zip(found.docs.tolist(), found.scores.tolist(), strict=True)
    }
    assert len(offsets) <= 1
    assert offsets <= {0.0} or ":" in text
    best = found.top(0, 3)
    assert [score for _, score in best] == sorted((s for _, s in best), reverse=True)


@pytest.mark.parametrize("sort", ["relevance", "name", "date"])
def test_public_hits_leave_out_unpublished_entries_in_every_order(ctx, sites, sort):
    from heritage.search import SearchRequest

    backend = get_backend()
    request = SearchRequest(query=parse("mosque"), public_only=True, sort=sort)
    staff = SearchRequest(query=parse("mosque"), public_only=False, sort=sort)

    public_names = {hit.entity_id for hit in backend.search(request).hits}
    exported = {hit.entity_id for hit in backend.iter_hits(request, 100)}
    every = {hit.entity_id for hit in backend.search(staff).hits}

    assert len(every) == len(public_names) + 1
    assert public_names == exported
    assert backend.search(request).total == len(public_names)
