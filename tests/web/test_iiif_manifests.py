"""IIIF Presentation API 3.0: a manifest per published site and restoration record, the
collection of sites, loaded into iiif-prezi3's models (PyPI) and checked for what those
models do not check: rights URIs, canvas sizes against the image service, language maps,
and that nothing unpublished or private is in them."""

from __future__ import annotations

import io
import json

import iiif_prezi3
import pytest

from heritage.services import photos, restorations, sites
from tests.conftest import record_data
from tests.media.files import LATITUDE, LONGITUDE, jpeg, jpeg_with_gps

LANGUAGE_KEYS = {"az", "en", "ru", "none"}


@pytest.fixture
def make_photo(ctx, editor):
    counter = iter(range(1, 1000))

    def factory(site, *, record=None, stage="general", status="published", gps=False, **fields):
        n = next(counter)
        content = jpeg_with_gps(seed=n) if gps else jpeg(seed=n, width=640, height=480)
        data = {
            "stage": stage,
            "caption_en": f"Photo {n}",
            "caption_az": f"Foto {n}",
            "alt_en": f"View {n}",
            "photographer": "A. Photographer",
            "credit": "Heritage workshop",
            "licence": "CC-BY-4.0",
            **fields,
        }
        if record is not None:
            data["record_id"] = record.id
        photo = photos.upload_photo(site.id, io.BytesIO(content), f"{n}.jpg", data, actor=editor)
        photo = photo.photo
        if status == "published":
            photo = photos.submit_photo(photo.id, actor=editor, version=photo.version)
            photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)
        return photo

    return factory


def published_record(site, editor, **fields):
    record = restorations.create_record(site.id, record_data(**fields), actor=editor)
    restorations.submit_record(record.id, actor=editor, version=1)
    return restorations.publish_record(record.id, actor=editor, version=2)


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def language_maps_in(document) -> list[dict]:
    """Every label, summary and metadata value of a document."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key in ("label", "summary", "value") and isinstance(value, dict):
                found.append(value)
            found += language_maps_in(value)
    elif isinstance(document, list):
        for item in document:
            found += language_maps_in(item)
    return found


def check_presentation(client, manifest: dict) -> None:
    """What every manifest must be beyond loading into the models."""
    iiif_prezi3.Manifest(**manifest)
    for language_map in language_maps_in(manifest):
        assert set(language_map) <= LANGUAGE_KEYS, language_map
        assert all(isinstance(v, list) and v for v in language_map.values()), language_map
    rights = [manifest.get("rights")] + [canvas.get("rights") for canvas in manifest["items"]]
    for uri in filter(None, rights):
        assert uri.startswith(("http://creativecommons.org/", "http://rightsstatements.org/"))
    for canvas in manifest["items"]:
        (annotation,) = canvas["items"][0]["items"]
        assert annotation["motivation"] == "painting"
        assert annotation["target"] == canvas["id"]
        service = annotation["body"]["service"][0]
        info = get_json(client, service["id"].removeprefix("http://localhost") + "/info.json")
        assert (canvas["width"], canvas["height"]) == (info["width"], info["height"])
        assert service["type"] == info["type"] == "ImageService3"
        image = client.get(annotation["body"]["id"].removeprefix("http://localhost"))
        assert image.status_code == 200
        assert image.mimetype == annotation["body"]["format"]


def test_a_site_manifest_has_a_canvas_per_published_photo(client, make_site, make_photo, editor):
    site = make_site("published")
    first = make_photo(site, gps=True)
    second = make_photo(site)
    make_photo(site, status="draft")
    draft_record = restorations.create_record(site.id, record_data(), actor=editor)
    in_draft_record = make_photo(site, record=draft_record)

    manifest = get_json(client, f"/iiif/3/sites/{site.slug}/manifest")

    check_presentation(client, manifest)
    assert manifest["id"] == f"http://localhost/iiif/3/sites/{site.slug}/manifest"
    assert manifest["label"] == {
        "az": ["Yuxarı Gövhər Ağa məscidi"],
        "en": ["Upper Govhar Agha Mosque"],
        "ru": ["Мечеть Юхары Гевхар-ага"],
    }
    assert [canvas["id"].rsplit("/", 1)[1] for canvas in manifest["items"]] == [
        str(first.id),
        str(second.id),
    ]
    assert in_draft_record.id not in {int(c["id"].rsplit("/", 1)[1]) for c in manifest["items"]}
    assert manifest["items"][0]["label"] == {"az": ["Foto 1"], "en": ["Photo 1"]}
    assert manifest["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert manifest["requiredStatement"]["value"] == {
        "none": ["A. Photographer · Heritage workshop"]
    }
    assert manifest["homepage"][0]["id"] == f"http://localhost/sites/{site.slug}"
    assert manifest["seeAlso"][0]["id"] == f"http://localhost/api/v1/sites/{site.id}"
    assert manifest["partOf"][0]["id"] == "http://localhost/iiif/3/collection"
    # The phone photo's capture time (10:30 at +04:00), in UTC.
    assert manifest["items"][0]["navDate"] == "2023-05-14T06:30:00Z"
    text = json.dumps(manifest)
    for coordinate in (LATITUDE, LONGITUDE, 39.758, 46.751):
        assert str(coordinate)[:5] not in text


def test_a_record_manifest_orders_its_photos_before_during_after(
    client, make_site, make_photo, editor
):
    site = make_site("published")
    record = published_record(
        site, editor, title="Dome restored", work_status="completed",
        start_date="2023-01-01", end_date="2024-01-01",
    )  # fmt: skip
    after = make_photo(site, record=record, stage="after")
    before = make_photo(site, record=record, stage="before")
    during = make_photo(site, record=record, stage="during", licence="all-rights-reserved")
    make_photo(site)  # the site's own photo is not the record's

    manifest = get_json(client, f"/iiif/3/records/{record.id}/manifest")

    check_presentation(client, manifest)
    assert manifest["label"] == {"none": ["Dome restored"]}
    ids = [int(canvas["id"].rsplit("/", 1)[1]) for canvas in manifest["items"]]
    assert ids == [before.id, during.id, after.id]
    assert "rights" not in manifest  # the photos' licences differ
    assert manifest["items"][1]["rights"] == "http://rightsstatements.org/vocab/InC/1.0/"
    assert manifest["homepage"][0]["id"].endswith(f"/sites/{site.slug}#work-{record.id}")


def test_unpublished_sites_and_records_have_no_manifest(client, make_site, make_record):
    draft = make_site("draft")
    get_json(client, f"/iiif/3/sites/{draft.slug}/manifest", 404)
    get_json(client, f"/iiif/3/sites/{make_site('withdrawn').slug}/manifest", 410)
    record = make_record(make_site("published"))
    get_json(client, f"/iiif/3/records/{record.id}/manifest", 404)


def test_the_collection_lists_published_sites_and_splits_into_parts(app, client, make_site):
    shown = [make_site("published", name_en=f"Site {n}", name_az=f"Abidə {n}") for n in (1, 2)]
    hidden = make_site("draft", name_en="Hidden")

    collection = get_json(client, "/iiif/3/collection")
    iiif_prezi3.Collection(**collection)
    slugs = {item["id"].split("/")[-2] for item in collection["items"]}
    assert slugs == {site.slug for site in shown}
    assert hidden.slug not in json.dumps(collection)
    assert all(item["type"] == "Manifest" for item in collection["items"])


def test_a_large_collection_is_split_into_part_collections(app, client, make_site):
    app.config["IIIF_COLLECTION_SIZE"] = 1
    for n in (1, 2):
        make_site("published", name_en=f"Site {n}", name_az=f"Abidə {n}")
    split = get_json(client, "/iiif/3/collection")
    assert [item["id"] for item in split["items"]] == [
        "http://localhost/iiif/3/collection/1",
        "http://localhost/iiif/3/collection/2",
    ]
    part = get_json(client, "/iiif/3/collection/2")
    iiif_prezi3.Collection(**part)
    assert len(part["items"]) == 1
    get_json(client, "/iiif/3/collection/3", 404)


def test_a_manifest_changes_its_etag_when_its_content_does(client, make_site, make_photo, editor):
    site = make_site("published")
    make_photo(site)
    url = f"/iiif/3/sites/{site.slug}/manifest"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    make_photo(site)

    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert len(changed.get_json()["items"]) == 2


def test_public_pages_link_their_manifest(client, make_site, make_photo, editor):
    site = make_site("published")
    photo = make_photo(site)
    record = published_record(site, editor, title="Walls")
    manifest = f"http://localhost/iiif/3/sites/{site.slug}/manifest"

    html = client.get(f"/sites/{site.slug}").get_data(as_text=True)
    assert 'rel="alternate" type="application/ld+json;profile=' in html
    assert f'href="{manifest}"' in html
    assert f'"url": "{manifest}"' in html or f'"url":"{manifest}"' in html
    assert f"/iiif/3/records/{record.id}/manifest" in html

    photo_page = client.get(f"/photos/{photo.id}").get_data(as_text=True)
    assert f"http://localhost/iiif/3/{photo.iiif_identifier}/info.json" in photo_page
    assert manifest in photo_page


def test_withdrawing_a_photo_takes_it_out_of_the_manifest(client, make_site, make_photo, editor):
    site = make_site("published")
    kept, withdrawn = make_photo(site), make_photo(site)
    photos.withdraw_photo(withdrawn.id, actor=editor, version=withdrawn.version, reason="x")
    manifest = get_json(client, f"/iiif/3/sites/{site.slug}/manifest")
    assert [canvas["id"].rsplit("/", 1)[1] for canvas in manifest["items"]] == [str(kept.id)]
    sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Test withdrawal.")
    get_json(client, f"/iiif/3/sites/{site.slug}/manifest", 410)


def test_the_api_links_each_site_and_photo_to_iiif(client, make_site, make_photo):
    site = make_site("published")
    photo = make_photo(site)
    site_json = client.get(f"/api/v1/sites/{site.id}").get_json()
    assert site_json["iiif_manifest"] == f"http://localhost/iiif/3/sites/{site.slug}/manifest"
    get_json(client, site_json["iiif_manifest"].removeprefix("http://localhost"))
    photo_json = client.get(f"/api/v1/photos/{photo.id}").get_json()
    assert photo_json["iiif"] == f"http://localhost/iiif/3/{photo.iiif_identifier}/info.json"
    info = get_json(client, f"/iiif/3/{photo.iiif_identifier}/info.json")
    assert info["width"] == photo_json["width"]
