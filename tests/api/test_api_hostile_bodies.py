"""Bodies no JSON parser or database should be handed get a 4xx at the door, never a 500:
nesting deep enough to exhaust the parser's recursion, lone surrogates (which no UTF-8
database column can store), NaN and Infinity, and numbers with a fraction for whole-number
fields."""

from __future__ import annotations

import json

import pytest

from heritage.extensions import db
from heritage.models import AuditEvent, RestorationRecord, Site
from tests.conftest import record_data, site_data

DEEP = "[" * 100_000
# A lone high surrogate, escaped as JSON allows it to be written (and as json.dumps does).
LONE_SURROGATE = '"caf\\ud800"'


@pytest.fixture
def editor_auth(editor, token_for):
    return token_for(editor)


def _send(client, method, url, body: str, headers: dict):
    return client.open(
        url, method=method, data=body, headers={**headers, "Content-Type": "application/json"}
    )


def _writes(site, record):
    """(method, url, If-Match) of every JSON write the API takes a text field on."""
    return [
        ("POST", "/api/v1/sites", None),
        ("PATCH", f"/api/v1/sites/{site.id}", f'"site-{site.id}-v{site.version}"'),
        ("POST", f"/api/v1/sites/{site.id}/records", None),
        ("PATCH", f"/api/v1/records/{record.id}", f'"record-{record.id}-v{record.version}"'),
        ("POST", f"/api/v1/sites/{site.id}/withdraw", f'"site-{site.id}-v{site.version}"'),
    ]


def _counts():
    return tuple(db.session.query(model).count() for model in (Site, RestorationRecord, AuditEvent))


@pytest.mark.parametrize("body", [DEEP, '{"name_az": ' + DEEP + "}", '{"note": ' + DEEP])
def test_nesting_that_exhausts_the_parser_is_refused(
    client, make_site, make_record, editor_auth, body
):
    site = make_site()
    record = make_record(site)
    before = _counts()
    for method, url, etag in _writes(site, record):
        headers = {**editor_auth, **({"If-Match": etag} if etag else {})}
        response = _send(client, method, url, body, headers)
        assert response.status_code in (400, 422), (url, response.status_code)
        assert response.content_type == "application/problem+json"
        assert "not valid JSON" in response.json["detail"] + json.dumps(response.json)
    assert _counts() == before


@pytest.mark.parametrize(
    "field",
    ["name_az", "description_en", "settlement", "period_en", "internal_note", "inventory_number"],
)
def test_a_lone_surrogate_in_a_site_field_is_refused(client, make_site, editor_auth, field):
    site = make_site()
    before = _counts()
    data = json.dumps({**site_data(), field: "placeholder"}).replace(
        '"placeholder"', LONE_SURROGATE
    )
    created = _send(client, "POST", "/api/v1/sites", data, editor_auth)
    patch = json.dumps({field: "placeholder"}).replace('"placeholder"', LONE_SURROGATE)
    changed = _send(
        client,
        "PATCH",
        f"/api/v1/sites/{site.id}",
        patch,
        {**editor_auth, "If-Match": f'"site-{site.id}-v{site.version}"'},
    )

    for response in (created, changed):
        assert response.status_code in (400, 422), response.get_data(as_text=True)
        assert response.content_type == "application/problem+json"
        assert "surrogate" in json.dumps(response.json)
    assert _counts() == before


def test_a_lone_surrogate_in_a_record_or_a_note_is_refused(
    client, make_site, make_record, editor_auth
):
    site = make_site("published")
    record = make_record(site)
    before = _counts()
    bodies = [
        ("POST", f"/api/v1/sites/{site.id}/records", {**record_data(), "team": "x"}, None),
        ("PATCH", f"/api/v1/records/{record.id}", {"team": "x"}, f'"record-{record.id}-v1"'),
        ("POST", f"/api/v1/sites/{site.id}/withdraw", {"note": "x"}, f'"site-{site.id}-v3"'),
        (
            "POST",
            f"/api/v1/records/{record.id}/withdraw",
            {"note": "x"},
            f'"record-{record.id}-v1"',
        ),
    ]
    for method, url, body, etag in bodies:
        data = json.dumps(body).replace('"x"', LONE_SURROGATE)
        headers = {**editor_auth, **({"If-Match": etag} if etag else {})}
        response = _send(client, method, url, data, headers)
        assert response.status_code in (400, 422), (url, response.get_data(as_text=True))
        assert "surrogate" in json.dumps(response.json)
    assert _counts() == before


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(client, editor_auth, literal):
    data = json.dumps(site_data(latitude=1.0)).replace("1.0", literal)

    response = _send(client, "POST", "/api/v1/sites", data, editor_auth)

    assert response.status_code in (400, 422)
    assert "not valid JSON" in json.dumps(response.json)


@pytest.mark.parametrize("value", [1.5, 1768.25, -0.5])
def test_a_fraction_for_a_year_is_refused_not_rounded(client, make_site, editor_auth, value):
    site = make_site()

    created = client.post("/api/v1/sites", json=site_data(year_from=value), headers=editor_auth)
    changed = client.patch(
        f"/api/v1/sites/{site.id}",
        json={"year_from": value},
        headers={**editor_auth, "If-Match": f'"site-{site.id}-v1"'},
    )

    for response in (created, changed):
        assert response.status_code == 422
        assert "year_from" in response.json["errors"]
    assert db.session.get(Site, site.id).year_from == 1768
    assert db.session.query(Site).count() == 1


def test_a_whole_number_written_with_a_point_zero_is_that_number(client, editor_auth):
    response = client.post("/api/v1/sites", json=site_data(year_from=1768.0), headers=editor_auth)

    assert response.status_code == 201
    assert response.json["year_from"] == 1768
