"""Search cannot stall the archive: one time budget for every step, capped expansions, a rate
limit on the public page and a bounded number of searches at once."""

from __future__ import annotations

import random
import string
import time

import pytest

from heritage.search import Document, get_backend
from heritage.services import indexing, slots
from heritage.services import search as search_service

LETTERS = "abdegiklmnoprstuvxyz"


def _word(generator: random.Random, first: str) -> str:
    return first + "".join(generator.choice(string.ascii_lowercase) for _ in range(11))


@pytest.fixture
def vocabulary(ctx, make_site):
    """An index with thousands of name words (as a large archive has), written straight to
    the index: how long expansions and suggestions take depends on the words it holds."""
    make_site("published", name_az="Açıq abidə")
    indexing.ensure_index()  # the first rebuild, which would drop what is written below
    generator = random.Random(5)
    documents = [
        Document(
            kind="site",
            entity_id=100_000 + n,
            site_id=100_000 + n,
            public=True,
            names=[" ".join(_word(generator, LETTERS[(n + i) % 20]) for i in range(4))],
        )
        for n in range(1500)
    ]
    get_backend().update(lambda: documents, wait=10)
    return generator


def _hostile(generator: random.Random, words: int = 32) -> str:
    """Unknown 12-letter words, each starting with a letter many index words start with."""
    return " ".join(_word(generator, LETTERS[n % 20]) for n in range(words))


def test_every_step_of_a_search_keeps_to_its_time_limit(app, find, vocabulary):
    app.config["SEARCH_TIME_LIMIT"] = 0.3
    query = _hostile(vocabulary)

    started = time.monotonic()
    page = find(query)
    took = time.monotonic() - started

    # Typo candidates, matching and the suggestion all stopped at the budget (without it,
    # this query takes seconds here), and the page says the search was cut short.
    assert took < 1.2, took
    assert page.timed_out or page.truncated
    assert page.suggestion is None


@pytest.mark.whoosh
def test_a_query_expanding_to_too_many_terms_says_so(client, vocabulary):
    # 30 two-letter prefixes, each of a dozen index words in names and texts alike.
    prefixes = " OR ".join(f"{first}{second}*" for first in LETTERS[:6] for second in "aeiou")

    body = client.get("/api/v1/search", query_string={"q": prefixes}).get_json()
    html = client.get("/search", query_string={"q": prefixes, "lang": "en"}).get_data(True)

    assert body["truncated"] is True
    assert body["total"] > 0
    assert "only the most frequent of its prefix matches and spelling variants" in html


def test_an_ordinary_query_is_not_marked_truncated(client, make_site):
    make_site("published", name_az="Şuşa qalası")

    body = client.get("/api/v1/search?q=qala*").get_json()

    assert body["total"] == 1
    assert body["truncated"] is False


def test_too_many_words_are_refused_with_a_message(client):
    query = " ".join(f"word{n}" for n in range(40))

    response = client.get("/search", query_string={"q": query, "lang": "en"})
    api = client.get("/api/v1/search", query_string={"q": query})

    assert response.status_code == 400
    assert "too many words; use at most 32" in response.get_data(as_text=True)
    assert api.status_code == 400
    assert "at most 32" in api.get_json()["detail"]


def test_anonymous_search_pages_are_rate_limited(app, client, make_site, editor, sign_in):
    app.config["SEARCH_RATE_LIMIT_ANONYMOUS"] = "3 per minute"
    make_site("published", name_az="Şuşa qalası")

    answers = [client.get("/search?q=qala&lang=en") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert "Too many requests" in answers[-1].get_data(as_text=True)
    sign_in(editor)
    assert client.get("/search?q=qala&lang=en").status_code == 200


def test_searches_beyond_the_slots_are_answered_503_with_retry_after(
    app, client, make_site, editor, sign_in
):
    app.config["SEARCH_CONCURRENCY"] = 1
    make_site("published", name_az="Şuşa qalası")

    # Another process's search holds the only slot of the host.
    with slots.slot(app.instance_path, "search", 1, wait=0) as held:
        assert held
        started = time.monotonic()
        page = client.get("/search?q=qala&lang=en")
        api = client.get("/api/v1/search?q=qala")
        waited = time.monotonic() - started
        sign_in(editor)
        staff = client.get("/staff/search?q=qala&lang=en")

    assert page.status_code == 503
    assert page.headers["Retry-After"] == str(search_service.SearchBusy.retry_after)
    assert "answering many searches" in page.get_data(as_text=True)
    assert api.status_code == 503
    assert api.headers["Retry-After"] == str(search_service.SearchBusy.retry_after)
    assert "answering many searches" in api.get_json()["detail"]
    # Answered at once, not after waiting for the slot.
    assert waited < 1
    assert staff.status_code == 200
    assert app.test_client().get("/search?q=qala&lang=en").status_code == 200


def test_a_failed_search_engine_answers_503_with_retry_after(client, make_site, monkeypatch):
    make_site("published", name_az="Şuşa qalası")
    backend = get_backend()

    def broken(request):
        raise RuntimeError("the engine failed")

    monkeypatch.setattr(backend, "search", broken)

    page = client.get("/search?q=qala&lang=en")
    api = client.get("/api/v1/search?q=qala")

    assert page.status_code == 503
    assert page.headers["Retry-After"] == str(search_service.RETRY_AFTER_UNAVAILABLE)
    assert api.status_code == 503
    assert api.headers["Retry-After"] == str(search_service.RETRY_AFTER_UNAVAILABLE)
