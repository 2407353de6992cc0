"""Collection objects through the API: catalogued with their status history by a restorer,
published by an editor, read by anyone only once published under a published museum."""

from __future__ import annotations

import pytest

from tests.conftest import object_data


@pytest.fixture
def restorer_auth(restorer, token_for):
    return token_for(restorer)


@pytest.fixture
def editor_auth(editor, token_for):
    return token_for(editor)


@pytest.fixture
def museum(make_site):
    return make_site("published", category="museum", site_type="museum", district="aghdam")


def step(client, url, name, headers, **body):
    etag = client.get(url, headers=headers).headers["ETag"]
    return client.post(f"{url}/{name}", json=body, headers={**headers, "If-Match": etag})


def test_an_object_from_catalogue_to_the_public(client, museum, restorer_auth, editor_auth):
    created = client.post(
        f"/api/v1/sites/{museum.id}/objects", json=object_data(), headers=restorer_auth
    )
    assert created.status_code == 201, created.json
    url = created.headers["Location"]
    assert created.json["object_status"] == "looted"
    assert [change["status"] for change in created.json["status_history"]] == [
        "in_collection",
        "looted",
    ]

    # Unpublished, it reaches no anonymous read.
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/objects").json["total"] == 0
    assert step(client, url, "submit", restorer_auth).status_code == 200
    assert step(client, url, "publish", restorer_auth).status_code == 403
    assert step(client, url, "publish", editor_auth).status_code == 200

    public = client.get(url)
    assert public.status_code == 200
    assert public.json["titles"]["en"] == "Carpet 'Khan Garabagh'"
    assert "internal_note" not in public.json
    listed = client.get("/api/v1/objects?object_status=looted&type=carpet").json
    assert [item["id"] for item in listed["items"]] == [created.json["id"]]
    assert client.get("/api/v1/objects?object_status=returned").json["total"] == 0

    # A new status is dated with its evidence; the current status follows it.
    history = [
        *object_data()["status_history"],
        {"status": "recovered", "date": "2024-05", "source": "Auction catalogue, lot 112"},
    ]
    etag = client.get(url, headers=editor_auth).headers["ETag"]
    patched = client.patch(
        url, json={"status_history": history}, headers={**editor_auth, "If-Match": etag}
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["object_status"] == "recovered"
    stale = client.patch(url, json={"maker": "x"}, headers={**editor_auth, "If-Match": etag})
    assert stale.status_code == 412

    events = client.get(f"{url}/history", headers=restorer_auth).json
    assert [event["action"] for event in events] == ["create", "submit", "publish", "update"]
    assert client.get(f"{url}/history").status_code == 401


def test_a_restorers_change_to_a_published_object_waits(client, museum, restorer_auth, editor_auth):
    created = client.post(
        f"/api/v1/sites/{museum.id}/objects", json=object_data(), headers=editor_auth
    )
    url = created.headers["Location"]
    step(client, url, "publish", editor_auth)
    etag = client.get(url, headers=restorer_auth).headers["ETag"]
    proposed = client.patch(
        url, json={"provenance": "Proposed"}, headers={**restorer_auth, "If-Match": etag}
    )
    assert proposed.status_code == 202
    assert client.get(url).json["provenance"] == object_data()["provenance"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status_history": []}, "status_history"),
        ({"status_history": [{"status": "stolen", "date": "1993"}]}, "status_history"),
        ({"status_history": [{"status": "lost", "date": "1993-02-30"}]}, "status_history"),
        ({"status_history": [{"status": "lost", "date": "sometime"}]}, "status_history"),
        ({"object_type": "spaceship"}, "object_type"),
        ({"title_az": None, "title_en": None, "title_ru": None}, "title_az"),
        ({"year_from": 1900, "year_to": 1800}, "year_to"),
        ({"object_status": "returned"}, "object_status"),
    ],
)
def test_bad_objects_are_refused_with_the_field(client, museum, editor_auth, change, field):
    response = client.post(
        f"/api/v1/sites/{museum.id}/objects", json=object_data(**change), headers=editor_auth
    )
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert client.get("/api/v1/objects", headers=editor_auth).json["total"] == 0


def test_an_inventory_number_is_one_object_of_its_museum(client, museum, make_site, editor_auth):
    first = client.post(
        f"/api/v1/sites/{museum.id}/objects", json=object_data(), headers=editor_auth
    )
    assert first.status_code == 201
    again = client.post(
        f"/api/v1/sites/{museum.id}/objects", json=object_data(), headers=editor_auth
    )
    assert again.status_code == 422
    assert "inventory_number" in again.json["errors"]
    other = make_site("draft", slug="another-museum", category="museum", site_type="museum")
    elsewhere = client.post(
        f"/api/v1/sites/{other.id}/objects", json=object_data(), headers=editor_auth
    )
    assert elsewhere.status_code == 201


def test_objects_of_an_unpublished_museum_stay_private(client, make_site, editor_auth):
    draft = make_site("draft", category="museum", site_type="museum", slug="draft-museum")
    created = client.post(
        f"/api/v1/sites/{draft.id}/objects", json=object_data(), headers=editor_auth
    )
    url = created.headers["Location"]
    assert step(client, url, "publish", editor_auth).status_code == 200
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/objects").json["total"] == 0
