"""Sites through the API: who reads what, creating and changing with ETags, workflow steps,
pagination, and errors as problem+json."""

from __future__ import annotations

import pytest

from heritage.extensions import db
from heritage.models import AuditEvent, Site
from heritage.services import sites
from tests.conftest import site_data

PROBLEM = "application/problem+json"


@pytest.fixture
def editor_auth(editor, token_for):
    return token_for(editor)


def test_anonymous_callers_list_and_read_only_published_sites(client, make_site):
    published = make_site("published")
    draft = make_site("draft", slug="secret-draft", name_en="Secret draft")

    listing = client.get("/api/v1/sites")
    assert listing.status_code == 200
    assert [item["id"] for item in listing.json["items"]] == [published.id]
    assert listing.json["total"] == 1
    assert listing.headers["X-Total-Count"] == "1"
    assert "secret-draft" not in listing.get_data(as_text=True)
    assert listing.headers["Access-Control-Allow-Origin"] == "*"

    one = client.get(f"/api/v1/sites/{published.id}")
    assert one.status_code == 200
    body = one.json
    assert body["names"]["en"] == "Upper Govhar Agha Mosque"
    assert body["type"] == "mosque"
    assert body["category"] == "monument"
    assert body["district"] == "shusha"
    assert body["status"] == "published"
    assert "internal_note" not in body
    assert body["version"] == published.version
    # The public's ETag is from what they see (not the version staff send in If-Match).
    assert one.headers["ETag"].startswith('W/"')
    again = client.get(
        f"/api/v1/sites/{published.id}", headers={"If-None-Match": one.headers["ETag"]}
    )
    assert again.status_code == 304

    hidden = client.get(f"/api/v1/sites/{draft.id}")
    assert hidden.status_code == 404
    assert hidden.content_type == PROBLEM
    assert client.get(f"/api/v1/sites/{draft.id}/history").status_code == 401


def test_staff_with_a_token_see_drafts_and_every_field(client, make_site, editor_auth):
    draft = make_site("draft", internal_note="Keys with the caretaker.")
    listing = client.get("/api/v1/sites", headers=editor_auth)
    assert [item["id"] for item in listing.json["items"]] == [draft.id]
    body = client.get(f"/api/v1/sites/{draft.id}", headers=editor_auth).json
    assert body["internal_note"] == "Keys with the caretaker."
    assert body["status"] == "draft"
    assert (
        "Access-Control-Allow-Origin"
        not in client.get("/api/v1/sites", headers=editor_auth).headers
    )


def test_create_answers_201_with_location_and_etag(client, editor_auth):
    response = client.post("/api/v1/sites", json=site_data(), headers=editor_auth)
    assert response.status_code == 201, response.json
    site_id = response.json["id"]
    assert response.headers["Location"].endswith(f"/api/v1/sites/{site_id}")
    assert response.headers["ETag"] == f'"site-{site_id}-v1"'
    assert response.json["status"] == "draft"
    db.session.rollback()
    assert db.session.get(Site, site_id).created_by_id is not None


def test_invalid_input_names_each_field_and_saves_nothing(client, editor_auth):
    response = client.post(
        "/api/v1/sites", json=site_data(district="paris", status="published"), headers=editor_auth
    )
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert set(response.json["errors"]) == {"district", "status"}
    db.session.rollback()
    assert db.session.query(Site).count() == 0


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "null"])
def test_a_body_that_is_not_an_object_is_refused(client, editor_auth, body):
    response = client.post(
        "/api/v1/sites", data=body, content_type="application/json", headers=editor_auth
    )
    assert response.status_code == 422
    assert response.content_type == PROBLEM


def test_updates_need_if_match_and_refuse_a_stale_one(client, make_site, editor_auth):
    site = make_site("draft")
    url = f"/api/v1/sites/{site.id}"
    etag = client.get(url, headers=editor_auth).headers["ETag"]

    missing = client.patch(url, json={"settlement": "Shusha"}, headers=editor_auth)
    assert missing.status_code == 428
    assert missing.content_type == PROBLEM

    changed = client.patch(
        url, json={"settlement": "Shusha"}, headers={**editor_auth, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["settlement"] == "Shusha"
    assert changed.headers["ETag"] == f'"site-{site.id}-v2"'

    stale = client.patch(
        url, json={"settlement": "Susa"}, headers={**editor_auth, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json["current_version"] == 2
    assert stale.json["changed"] == {"settlement": ["Şuşa", "Shusha"]}

    other = client.patch(url, json={}, headers={**editor_auth, "If-Match": '"site-999-v1"'})
    assert other.status_code == 412
    star = client.patch(url, json={}, headers={**editor_auth, "If-Match": "*"})
    assert star.status_code == 428


def test_workflow_steps_take_if_match_and_a_reason_where_needed(client, make_site, editor_auth):
    site = make_site("draft")
    url = f"/api/v1/sites/{site.id}"

    def step(name, etag, **body):
        return client.post(f"{url}/{name}", json=body, headers={**editor_auth, "If-Match": etag})

    etag = client.get(url, headers=editor_auth).headers["ETag"]
    submitted = step("submit", etag)
    assert submitted.status_code == 200
    assert submitted.json["status"] == "in_review"
    published = step("publish", submitted.headers["ETag"])
    assert published.json["status"] == "published"
    no_reason = step("withdraw", published.headers["ETag"])
    assert no_reason.status_code == 422
    assert "note" in no_reason.json["errors"]
    withdrawn = step("withdraw", published.headers["ETag"], note="Under investigation.")
    assert withdrawn.json["status"] == "withdrawn"

    gone = client.get(url)
    assert gone.status_code == 410
    assert gone.json["withdrawal_reason"] == "Under investigation."
    assert client.get("/api/v1/sites").json["total"] == 0

    again = step("publish", withdrawn.headers["ETag"])
    assert again.status_code == 409
    restored = step("restore", withdrawn.headers["ETag"])
    assert restored.json["status"] == "published"

    history = client.get(f"{url}/history", headers=editor_auth)
    assert [event["action"] for event in history.json] == [
        "create", "submit", "publish", "withdraw", "restore"
    ]  # fmt: skip
    db.session.rollback()
    assert db.session.query(AuditEvent).filter_by(entity_type="site").count() == 5


def test_roles_are_the_staff_roles(client, make_site, make_user, token_for):
    site = make_site("in_review")
    url = f"/api/v1/sites/{site.id}/publish"
    etag = f'"site-{site.id}-v{site.version}"'
    restorer = token_for(make_user("restorer"))
    researcher = token_for(make_user("researcher"))
    assert client.post(url, headers={**restorer, "If-Match": etag}).status_code == 403
    assert client.post("/api/v1/sites", json=site_data(), headers=researcher).status_code == 403
    assert client.get(f"/api/v1/sites/{site.id}", headers=researcher).json["status"] == "in_review"


def test_pages_are_bounded_and_linked(client, make_site):
    for n in range(5):
        make_site("published", slug=f"site-{n}", inventory_number=f"INV-{n}")
    response = client.get("/api/v1/sites?per_page=2&page=2&district=shusha")
    assert response.status_code == 200
    assert response.json["total"] == 5
    assert response.json["pages"] == 3
    assert len(response.json["items"]) == 2
    links = response.headers["Link"]
    assert 'per_page=2&page=1&district=shusha>; rel="prev"' in links
    assert 'per_page=2&page=3&district=shusha>; rel="next"' in links
    assert 'per_page=2&page=3&district=shusha>; rel="last"' in links
    too_long = client.get("/api/v1/sites?per_page=1000")
    assert too_long.status_code == 422
    assert "per_page" in too_long.json["errors"]
    assert "type" in client.get("/api/v1/sites?type=spaceship").json["errors"]


@pytest.mark.parametrize(("century", "status"), [(0, 422), (-15000, 200), (-20001, 422)])
def test_the_century_filter_takes_every_century_there_is(client, century, status):
    response = client.get(f"/api/v1/sites?century={century}")

    assert response.status_code == status


def test_session_writes_need_the_csrf_token(client, sign_in, editor):
    from tests.conftest import form_token

    sign_in(editor)
    refused = client.post("/api/v1/sites", json=site_data())
    assert refused.status_code == 400
    assert refused.content_type == PROBLEM
    token = form_token(client, "/staff/")
    accepted = client.post("/api/v1/sites", json=site_data(), headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_unknown_api_addresses_answer_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.content_type == PROBLEM


def test_every_read_has_an_etag_and_answers_if_none_match(client, make_site, editor):
    site = make_site("published")
    for url in ("/api/v1/sites", f"/api/v1/sites/{site.id}", "/api/v1/vocabularies",
                "/api/v1/search?q=mosque"):  # fmt: skip
        first = client.get(url)
        assert first.status_code == 200, url
        etag = first.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.data == b""

    listed = client.get("/api/v1/sites").headers["ETag"]
    sites.update_site(site.id, {"name_en": "Renamed"}, actor=editor, version=site.version)
    assert client.get("/api/v1/sites", headers={"If-None-Match": listed}).status_code == 200
