"""Photos in the public gallery: the gallery and its sizes, before/after pairs, photo pages,
and that no GPS or staff-only photo ever reaches the public."""

from __future__ import annotations

import io
import json
import re

import pytest
from marshmallow import ValidationError

from heritage.services import photos, restorations, sites
from tests.conftest import record_data, site_data
from tests.media.files import exif, jpeg


def published_record(site, editor, **fields):
    record = restorations.create_record(site.id, record_data(**fields), actor=editor)
    restorations.submit_record(record.id, actor=editor, version=1)
    return restorations.publish_record(record.id, actor=editor, version=2)


def test_site_gallery_offers_every_size_with_dimensions_and_lazy_loading(
    client, make_site, make_photo
):
    site = make_site("published")
    shown = make_photo(site)
    hidden = make_photo(site, status="draft")

    html = client.get(f"/sites/{site.slug}").get_data(as_text=True)

    assert f'href="/photos/{shown.id}"' in html
    assert f"/media/{shown.sha256}/{shown.derivative_key}/thumb.webp 320w" in html
    assert (
        f"/media/{shown.sha256}/{shown.derivative_key}/display.jpg 800w" in html
    )  # never larger than the original
    assert 'width="320" height="240" loading="lazy"' in html
    assert 'alt="Stone wall, view 1"' in html
    assert hidden.sha256 not in html
    assert 'property="og:image"' in html


def test_finished_restorations_show_a_before_after_pair(client, make_site, make_photo, editor):
    site = make_site("published")
    done = published_record(
        site, editor, title="Dome restored", work_status="completed",
        start_date="2023-01-01", end_date="2024-01-01",
    )  # fmt: skip
    ongoing = published_record(
        site, editor, title="Walls", work_status="in_progress", start_date="2024-02-01"
    )
    before = make_photo(site, record=done, stage="before")
    after = make_photo(site, record=done, stage="after")
    make_photo(site, record=ongoing, stage="before")
    make_photo(site, record=ongoing, stage="after")

    html = client.get(f"/sites/{site.slug}").get_data(as_text=True)

    assert html.count("data-compare>") == 1
    assert "Before and after: Dome restored" in html
    compare = html.split("data-compare", 1)[1].split("</section>", 1)[0]
    assert compare.index(before.sha256) < compare.index(after.sha256)
    assert 'type="range"' in compare


def test_photo_page_shows_caption_credit_licence_site_and_work(
    client, make_site, make_photo, editor
):
    site = make_site("published")
    record = published_record(site, editor, title="Roof survey")
    photo = make_photo(site, record=record, stage="during", credit="Restoration workshop")

    response = client.get(f"/photos/{photo.id}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Photo 1 of the site" in html
    assert "A. Photographer" in html
    assert "Restoration workshop" in html
    assert 'rel="license"' in html
    assert f'href="/sites/{site.slug}"' in html
    assert "Roof survey" in html
    assert f"/media/{photo.sha256}/{photo.derivative_key}/large.webp" in html
    data = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>")[0])
    assert data["@type"] == "ImageObject"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize("case", ["draft photo", "draft site", "draft record", "withdrawn photo"])
def test_unpublished_photos_answer_404(client, make_site, make_photo, editor, case):
    site = make_site("draft" if case == "draft site" else "published")
    record = None
    if case == "draft record":
        record = restorations.create_record(site.id, record_data(), actor=editor)
    photo = make_photo(
        site, record=record, status="draft" if case == "draft photo" else "published"
    )
    if case == "withdrawn photo":
        photos.withdraw_photo(photo.id, actor=editor, version=photo.version, reason="Blurred.")

    assert client.get(f"/photos/{photo.id}").status_code == 404
    assert client.get("/photos/999999").status_code == 404
    assert client.get(f"/media/{photo.sha256}/{photo.derivative_key}/thumb.webp").status_code == 404
    for url in ("/", "/sitemap.xml", f"/sites/{site.slug}"):
        assert photo.sha256 not in client.get(url).get_data(as_text=True)


def test_no_gps_in_any_public_response(client, make_site, make_photo):
    site = make_site("published", latitude=40.2, longitude=46.0)  # far from where it was taken
    photo = make_photo(site, gps=True)
    assert photo.gps_latitude is not None

    for url in (f"/sites/{site.slug}", f"/photos/{photo.id}", "/map/sites.geojson", "/sitemap.xml"):
        body = client.get(url).get_data(as_text=True)
        assert f"{photo.gps_latitude:.3f}"[:6] not in body, url
        assert "gps" not in body.lower(), url


def test_photos_of_a_sensitive_site_do_not_reveal_where_it_is(client, make_site, make_photo):
    site = make_site("published", location_sensitive=True, latitude=39.9123, longitude=46.8123)
    photo = make_photo(site, gps=True)

    body = client.get(f"/photos/{photo.id}").get_data(as_text=True)

    assert "39.91" not in body
    assert "46.81" not in body


def test_a_large_sitemap_is_an_index_of_parts(app, client, make_site, make_photo):
    app.config["SITEMAP_SIZE"] = 2
    first = make_site("published", slug="first-site")
    make_site("draft", slug="a-draft")
    second = make_site("published", slug="second-site")
    photo = make_photo(second)

    index = client.get("/sitemap.xml").get_data(as_text=True)
    parts = re.findall(r"<loc>http://localhost(/sitemap-\d+\.xml)</loc>", index)
    assert "<sitemapindex" in index
    assert parts == ["/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml"]

    urls = []
    for part in parts:
        response = client.get(part)
        assert response.mimetype == "application/xml"
        urls += re.findall(r"<loc>http://localhost([^<]*)</loc>", response.get_data(as_text=True))
    assert urls == ["/", "/sites", "/map", f"/sites/{first.slug}", f"/sites/{second.slug}",
                    f"/photos/{photo.id}"]  # fmt: skip
    assert client.get("/sitemap-4.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_search_results_link_to_the_pages_that_hold_them(client, make_site, make_photo, editor):
    site = make_site("published", name_az="Xan qızı bulağı")
    record = published_record(site, editor, title="Bulağın təmizlənməsi")
    photo = make_photo(site, caption_en="The basin after its cleaning")

    found_record = client.get("/search?q=təmizlənməsi&lang=en").get_data(as_text=True)
    found_photo = client.get("/search?q=basin&lang=en").get_data(as_text=True)

    assert f'href="/sites/{site.slug}#work-{record.id}"' in found_record
    site_page = client.get(f"/sites/{site.slug}").get_data(as_text=True)
    assert f'id="work-{record.id}"' in site_page
    assert f'href="/photos/{photo.id}"' in found_photo
    assert client.get(f"/photos/{photo.id}").status_code == 200


def test_a_photo_taken_after_midnight_shows_the_day_its_photographer_saw(client, make_site, editor):
    site = make_site("published")
    taken = exif(
        taken="2024:05:10 01:30:00"
    )  # no offset: Azerbaijan time, 21:30 UTC the day before
    content = jpeg(width=800, height=600, exif=taken)
    data = {"stage": "general", "caption_en": "Dawn", "alt_en": "A wall", "licence": "CC-BY-4.0"}
    photo = photos.upload_photo(site.id, io.BytesIO(content), "early.jpg", data, actor=editor).photo
    photo = photos.submit_photo(photo.id, actor=editor, version=photo.version)
    photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)

    html = client.get(f"/photos/{photo.id}?lang=en").get_data(as_text=True)

    assert '<time datetime="2024-05-10">2024-05-10</time>' in html


# --- cover photos: every card shows one ---------------------------------------------------


def _thumbnail(html: str, photo) -> str | None:
    """The <img> of `photo`'s thumbnail in `html`, or None."""
    found = re.search(
        rf'<img src="/media/{photo.sha256}/{photo.derivative_key}/thumb\.jpg"[^>]*>', html
    )
    return found.group(0) if found else None


def test_every_card_shows_the_sites_first_published_general_view(
    client, make_site, make_photo, editor
):
    site = make_site("published", name_en="Stone bridge", longitude=46.75)
    make_photo(site, status="draft")  # never shown
    make_photo(site, stage="during", record=published_record(site, editor))
    cover = make_photo(site, alt_en="The bridge from the river")
    make_photo(site)  # a later general view
    neighbour = make_site("published", name_en="Old mill", longitude=46.751)

    pages = {
        "home": client.get("/?lang=en"),
        "sites": client.get("/sites?lang=en"),
        "nearby": client.get(f"/sites/{neighbour.slug}?lang=en"),
        "search": client.get("/search?q=bridge&kind=site&lang=en"),
    }

    for name, response in pages.items():
        html = response.get_data(as_text=True)
        img = _thumbnail(html, cover)
        assert img, name
        assert 'alt="The bridge from the river"' in img
        assert 'width="320" height="240" loading="lazy"' in img
        assert f"/media/{cover.sha256}/{cover.derivative_key}/display.jpg 800w" in img
        assert f'srcset="/media/{cover.sha256}/{cover.derivative_key}/thumb.webp 320w' in html
        assert html.count('<img src="/media/') == 1, name  # the other site has no photo
    [feature] = [
        f
        for f in client.get("/map/sites.geojson").get_json()["features"]
        if f["properties"]["slug"] == site.slug
    ]
    thumbnail = feature["properties"]["thumbnail"]
    assert thumbnail["src"] == f"/media/{cover.sha256}/{cover.derivative_key}/thumb.jpg"
    assert (thumbnail["width"], thumbnail["height"]) == (320, 240)
    assert thumbnail["alt"]["en"] == "The bridge from the river"
    assert f"/media/{cover.sha256}/{cover.derivative_key}/display.jpg 800w" in thumbnail["srcset"]


def test_photo_and_record_results_show_a_picture(client, make_site, make_photo, editor):
    site = make_site("published", name_en="Stone bridge")
    published_record(site, editor, title="Repair of the arches")
    cover = make_photo(site)
    detail = make_photo(site, stage="before", caption_en="The arches before repair")

    photo_result = client.get("/search?q=arches+before&lang=en").get_data(as_text=True)
    record_result = client.get("/search?q=repair+arches&kind=record&lang=en")

    assert _thumbnail(photo_result, detail)
    assert _thumbnail(record_result.get_data(as_text=True), cover)


def test_a_chosen_cover_is_shown_while_published(client, make_site, make_photo, editor):
    site = make_site("published", name_en="Stone bridge")
    general = make_photo(site)
    chosen = make_photo(site, stage="after", alt_en="The bridge restored")
    site = sites.update_site(
        site.id, {"cover_photo_id": chosen.id}, actor=editor, version=site.version
    )

    html = client.get("/sites?lang=en").get_data(as_text=True)
    assert _thumbnail(html, chosen)
    assert not _thumbnail(html, general)
    assert client.get(f"/api/v1/sites/{site.id}").get_json()["cover_photo_id"] == chosen.id
    listed = client.get("/api/v1/sites").get_json()["items"]
    assert [item["cover_photo_id"] for item in listed] == [chosen.id]

    photos.withdraw_photo(chosen.id, actor=editor, version=chosen.version, reason="Blurred.")

    html = client.get("/sites?lang=en").get_data(as_text=True)
    assert _thumbnail(html, general)
    assert not _thumbnail(html, chosen)
    assert client.get(f"/api/v1/sites/{site.id}").get_json()["cover_photo_id"] == general.id


def test_no_card_shows_a_photo_of_an_unpublished_site(client, make_site, make_photo, editor):
    site = make_site("published", name_en="Stone bridge")
    photo = make_photo(site)
    sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Check.")
    for url in ("/", "/sites", "/map/sites.geojson", "/search?q=bridge", "/api/v1/sites"):
        assert photo.sha256 not in client.get(url).get_data(as_text=True), url


def test_the_cover_is_chosen_among_the_sites_own_photos(
    client, make_site, make_photo, editor, sign_in
):
    site = make_site("published", name_en="Stone bridge")
    other = make_site("published", name_en="Old mill")
    own = make_photo(site, status="draft")
    foreign = make_photo(other)
    sign_in(editor)

    form = client.get(f"/staff/sites/{site.id}/edit").get_data(as_text=True)
    assert f'<option value="{own.id}"' in form
    assert f'<option value="{foreign.id}"' not in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    refused = client.post(
        f"/staff/sites/{site.id}/edit",
        data={**_form_values(site), "csrf_token": token, "cover_photo_id": str(foreign.id)},
    )
    assert refused.status_code == 422
    assert "Choose one of this site&#39;s photos." in refused.get_data(as_text=True)
    assert sites.get_site(site.id, actor=editor).cover_photo_id is None

    with pytest.raises(ValidationError):
        sites.create_site(site_data(cover_photo_id=own.id), actor=editor)


def _form_values(site) -> dict:
    return {
        "version": str(site.version),
        "category": site.category,
        "site_type": site.site_type,
        "name_en": site.name_en,
        "district": site.district,
        "clearance_status": site.clearance_status,
    }


@pytest.mark.parametrize(
    "url", ["/", "/sites", "/map/sites.geojson", "/search?q=bridge", "/api/v1/sites"]
)
def test_query_count_stays_the_same_as_sites_with_photos_grow(
    app, client, make_site, make_photo, url
):
    from tests.web.test_gallery import count_queries

    def add_sites(n):
        for _ in range(n):
            site = make_site("published", name_en="Stone bridge")
            make_photo(site)
            make_photo(site, stage="after")

    def queries() -> int:
        with count_queries(app) as statements:
            assert client.get(url, headers={"Cache-Control": "no-cache"}).status_code == 200
        return len(statements)

    add_sites(2)
    queries()  # the search index is built on first use
    few = queries()
    add_sites(6)
    queries()
    assert queries() == few


def linked_thumb(client, site, photo) -> str:
    """The address of the photo's thumbnail as the site page links it."""
    page = client.get(f"/sites/{site.slug}").get_data(as_text=True)
    found = re.search(rf"/media/{photo.sha256}/[0-9a-f]+/thumb\.webp", page)
    assert found, "the site page links no thumbnail of the photo"
    return found.group(0)


@pytest.mark.parametrize("withdrawn", ["photo", "site"])
def test_a_withdrawn_photos_cached_derivatives_are_recalled(
    app, client, sign_in, make_site, make_photo, editor, withdrawn
):
    site = make_site("published")
    photo = make_photo(site)
    old = linked_thumb(client, site, photo)
    first = client.get(old, buffered=True)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    if withdrawn == "photo":
        version = photos.get_photo(photo.id, actor=editor).version
        photos.withdraw_photo(photo.id, actor=editor, version=version, reason="Wrong site.")
    else:
        sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Under review.")

    # A browser or proxy may keep what it fetched, but it is never linked nor served again.
    assert client.get(old).status_code == 404
    for url in ("/", "/sites", f"/photos/{photo.id}", f"/api/v1/photos/{photo.id}"):
        assert old not in client.get(url).get_data(as_text=True)

    if withdrawn == "photo":
        photos.restore_photo(
            photo.id, actor=editor, version=photos.get_photo(photo.id, actor=editor).version
        )
    else:
        sites.restore_site(
            site.id, actor=editor, version=sites.get_site(site.id, actor=editor).version
        )
    new = linked_thumb(client, site, photo)
    assert new != old
    assert client.get(new, buffered=True).status_code == 200
    assert client.get(old).status_code == 404
    sign_in(editor)
    assert client.get(old).status_code == 404  # for staff too: that address is retired
