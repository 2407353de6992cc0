"""The whole life of a site through the API alone: catalogue, log work, upload before and
after photos, submit, publish as an editor, find it by a transliterated name, read its
history, withdraw it and see it vanish from anonymous reads. Plus search, vocabularies and
accounts."""

from __future__ import annotations

import io

import pytest

from tests.conftest import record_data, site_data
from tests.media import files


@pytest.fixture
def restorer_auth(restorer, token_for):
    return token_for(restorer)


@pytest.fixture
def editor_auth(editor, token_for):
    return token_for(editor)


def test_a_site_from_catalogue_to_withdrawal(client, restorer_auth, editor_auth):
    # A restorer catalogues the site and logs the work, with photos before and after.
    created = client.post(
        "/api/v1/sites",
        json=site_data(
            name_az="Ağdam Cümə məscidi",
            name_en="Aghdam Juma Mosque",
            name_ru="Агдамская Джума-мечеть",
            district="aghdam",
            settlement="Ağdam",
        ),
        headers=restorer_auth,
    )
    assert created.status_code == 201, created.json
    site_url = created.headers["Location"]
    site_id = created.json["id"]

    record = client.post(
        f"/api/v1/sites/{site_id}/records",
        json=record_data(work_status="completed", start_date="2022-04-01", end_date="2023-06-30"),
        headers=restorer_auth,
    )
    assert record.status_code == 201, record.json
    record_id = record.json["id"]

    photo_ids = []
    for stage, seed in (("before", 1), ("after", 2)):
        upload = client.post(
            f"/api/v1/sites/{site_id}/photos",
            data={
                "file": (io.BytesIO(files.jpeg(seed=seed)), f"{stage}.jpg"),
                "stage": stage,
                "record_id": str(record_id),
                "caption_en": f"The prayer hall {stage} the work",
                "alt_en": f"Prayer hall, {stage}",
                "licence": "CC-BY-4.0",
            },
            headers=restorer_auth,
            content_type="multipart/form-data",
        )
        assert upload.status_code == 201, upload.json
        assert set(upload.json["derivatives"]) == {"thumb", "display", "large"}
        photo_ids.append(upload.json["id"])

    # The restorer submits everything; they cannot publish.
    def step(url, name, headers, **body):
        etag = client.get(url, headers=headers).headers["ETag"]
        return client.post(f"{url}/{name}", json=body, headers={**headers, "If-Match": etag})

    record_url = f"/api/v1/records/{record_id}"
    photo_urls = [f"/api/v1/photos/{photo_id}" for photo_id in photo_ids]
    for url in (site_url, record_url, *photo_urls):
        assert step(url, "submit", restorer_auth).status_code == 200
    assert step(site_url, "publish", restorer_auth).status_code == 403

    # Nothing is public yet.
    assert client.get(site_url).status_code == 404
    assert client.get("/api/v1/search?q=Aghdam").json["total"] == 0

    # The editor publishes.
    for url in (site_url, record_url, *photo_urls):
        published = step(url, "publish", editor_auth)
        assert published.status_code == 200, published.json
        assert published.json["status"] == "published"

    # Anyone finds it, whatever the spelling.
    for query in ("Агдам", "Agdam", "Cume mescidi", "Джума"):
        found = client.get("/api/v1/search", query_string={"q": query, "lang": "en"})
        assert found.status_code == 200
        sites = [item for item in found.json["items"] if item["kind"] == "site"]
        assert [item["id"] for item in sites] == [site_id], query
    hit = client.get("/api/v1/search?q=Aghdam&kind=site").json
    assert any(segment["match"] for segment in hit["items"][0]["title"])
    assert hit["facets"]["district"] == [{"code": "aghdam", "count": 1, "selected": False}]

    public = client.get(site_url).json
    assert public["names"]["ru"] == "Агдамская Джума-мечеть"
    public_photo = client.get(photo_urls[0]).json
    assert "gps" not in public_photo
    assert public_photo["derivatives"]["thumb"]["webp"]
    assert client.get(f"{photo_urls[0]}/original").status_code == 401
    original = client.get(f"{photo_urls[0]}/original", headers=editor_auth)
    assert original.status_code == 200
    assert original.data == files.jpeg(seed=1)
    original.close()

    # Its history tells the whole story, to staff.
    history = client.get(f"{site_url}/history", headers=restorer_auth).json
    assert [event["action"] for event in history] == ["create", "submit", "publish"]
    assert history[1]["changes"]["status"] == ["draft", "in_review"]

    # Withdrawn, it vanishes from anonymous reads.
    withdrawn = step(site_url, "withdraw", editor_auth, note="Ownership under review.")
    assert withdrawn.status_code == 200
    assert client.get(site_url).status_code == 410
    assert client.get("/api/v1/sites").json["total"] == 0
    assert client.get(record_url).status_code == 404
    assert client.get(photo_urls[0]).status_code == 404
    assert client.get("/api/v1/photos").json["total"] == 0
    assert client.get("/api/v1/search?q=Aghdam").json["total"] == 0
    assert client.get(site_url, headers=editor_auth).json["status"] == "withdrawn"


def test_search_explains_a_query_it_cannot_understand(client):
    response = client.get("/api/v1/search?q=NOT+OR+x")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"


def test_vocabularies_have_labels_in_three_languages(client):
    everything = client.get("/api/v1/vocabularies")
    assert everything.status_code == 200
    names = [vocabulary["name"] for vocabulary in everything.json]
    assert {"category", "site_type", "district", "work_type", "licence"} <= set(names)
    districts = client.get("/api/v1/vocabularies/district").json["terms"]
    shusha = next(term for term in districts if term["code"] == "shusha")
    assert shusha["labels"] == {"az": "Şuşa", "en": "Shusha", "ru": "Шуша"}
    assert client.get("/api/v1/vocabularies/planets").status_code == 404


def test_admins_manage_accounts_through_the_api(client, make_user, token_for):
    admin = token_for(make_user("admin"))
    editor = token_for(make_user("editor"))
    assert client.get("/api/v1/users", headers=editor).status_code == 403
    assert client.get("/api/v1/users").status_code == 401

    created = client.post(
        "/api/v1/users",
        json={"email": "new@example.org", "role": "restorer", "password": "long enough pw"},
        headers=admin,
    )
    assert created.status_code == 201, created.json
    assert "password" not in created.json
    assert "password_hash" not in created.json
    url = created.headers["Location"]
    assert client.patch(url, json={"role": "editor"}, headers=admin).status_code == 428
    etag = client.get(url, headers=admin).headers["ETag"]
    changed = client.patch(
        url, json={"role": "editor", "active": False}, headers={**admin, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["role"] == "editor"
    assert changed.json["active"] is False
    stale = client.patch(url, json={"active": True}, headers={**admin, "If-Match": etag})
    assert stale.status_code == 412
    listing = client.get("/api/v1/users?per_page=2", headers=admin)
    assert listing.json["total"] == 3
    assert len(listing.json["items"]) == 2


def test_search_pages_are_as_long_as_asked(client, make_site):
    for n in range(3):
        make_site("published", name_az=f"Körpü {n}", slug=f"korpu-{n}")

    response = client.get("/api/v1/search?q=Körpü&per_page=2")

    assert response.status_code == 200
    assert (len(response.json["items"]), response.json["per_page"]) == (2, 2)
    assert response.json["pages"] == 2
    assert "per_page=2" in response.headers["Link"]
    assert client.get("/api/v1/search?q=Körpü&per_page=101").status_code == 422
