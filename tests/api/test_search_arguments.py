"""The API's search refuses malformed arguments, naming them; the search page, used by
people who edit its addresses by hand, leaves them out and answers."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ({"q": "Körpü", "page": "abc"}, "page"),
        ({"q": "Körpü", "page": "0"}, "page"),
        ({"q": "Körpü", "per_page": "many"}, "per_page"),
        ({"q": "Körpü", "sort": "sideways"}, "sort"),
        ({"q": "Körpü", "lang": "xx"}, "lang"),
        ({"q": "Körpü", "kind": ""}, "kind"),
        ({"q": "Körpü", "district": "d" * 41}, "district"),
        ({"q": "k" * 501}, "q"),
    ],
)
def test_the_api_refuses_a_malformed_argument_by_name(client, make_site, query, argument):
    make_site("published", name_az="Körpü")

    response = client.get("/api/v1/search", query_string=query)

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert set(response.json["errors"]) == {argument}
    assert re.search(rf"\b{argument}\b", response.json["detail"])


def test_the_api_searches_with_what_it_validated(client, make_site):
    make_site("published", name_az="Körpü", slug="korpu")

    found = client.get("/api/v1/search?q=Körpü&kind=site&lang=en&sort=name&per_page=1").json

    assert (found["total"], found["per_page"], found["page"]) == (1, 1, 1)
    assert found["facets"]["kind"] == [{"code": "site", "count": 1, "selected": True}]
    assert client.get("/api/v1/search?q=Körpü&kind=record").json["total"] == 0


def test_the_search_page_leaves_malformed_arguments_out(client, make_site):
    make_site("published", name_az="Körpü")

    page = client.get(
        "/search?q=Körpü&page=abc&per_page=many&sort=sideways&kind=&lang=en"
    ).get_data(as_text=True)

    assert "1 result" in page
