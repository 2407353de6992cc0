"""The staff photo pages, originals for staff only, and derivatives under /media/."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import Photo
from heritage.services import photos, sites, users
from tests.conftest import PASSWORD, form_token, make_app, site_data
from tests.media import files

DESCRIBED = {"caption_en": "The dome after conservation.", "alt_en": "A brick dome, restored."}


def stored(site, actor, data=None, **fields) -> Photo:
    data = data or files.jpeg_with_gps()
    return photos.upload_photo(site.id, io.BytesIO(data), "IMG_7.JPG", fields, actor=actor).photo


def derivative_url(photo, name="display.jpg") -> str:
    return f"/media/{photo.sha256}/{photo.derivative_key}/{name}"


def test_the_upload_page_works_without_inline_script_or_style(client, sign_in, restorer, make_site):
    site = make_site()
    sign_in(restorer)

    response = client.get(f"/staff/sites/{site.id}/photos")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<input id="file" name="file" type="file" multiple accept="image/\*', page)
    # The API answers in the page's language.
    lang = re.search(r'<html lang="(\w+)"', page).group(1)
    assert f'data-upload-url="/api/v1/sites/{site.id}/photos?lang={lang}"' in page
    assert f'data-max-bytes="{200 * 1024 * 1024}"' in page
    assert '<script src="/static/js/photo-upload.js" defer></script>' in page
    assert '<progress id="upload-overall"' in page
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None, "no inline script"
    assert " style=" not in page
    assert "<style" not in page
    assert 'name="csrf_token"' in page
    assert client.get("/static/js/photo-upload.js", buffered=True).status_code == 200


def test_several_photos_upload_at_once_without_javascript(client, sign_in, restorer, make_site):
    site = make_site()
    sign_in(restorer)
    url = f"/staff/sites/{site.id}/photos"

    response = client.post(
        url,
        data={
            "csrf_token": form_token(client, url),
            "stage": "during",
            "licence": "CC-BY-4.0",
            "file": [
                (io.BytesIO(files.jpeg(seed=1)), "one.jpg"),
                (io.BytesIO(files.encode(files.picture(seed=2), "PNG")), "two.png"),
                (io.BytesIO(files.HTML), "three.jpg"),
            ],
        },
        content_type="multipart/form-data",
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 415
    assert "“one.jpg” was saved." in page
    assert "“two.png” was saved." in page
    assert "“three.jpg” was not saved. This is not a photo the archive accepts" in page
    db.session.rollback()
    rows = db.session.scalars(select(Photo).order_by(Photo.id)).all()
    assert [(p.original_filename, p.stage, p.licence) for p in rows] == [
        ("one.jpg", "during", "CC-BY-4.0"),
        ("two.png", "during", "CC-BY-4.0"),
    ]


def test_upload_results_are_said_in_the_pages_language(client, sign_in, restorer, make_site):
    site = make_site(name_az="Şuşa qalası", name_en="Shusha Fortress", name_ru="Шушинская крепость")
    sign_in(restorer)
    url = f"/staff/sites/{site.id}/photos?lang=ru"
    photo = files.jpeg(seed=5)
    client.post(
        url,
        data={"csrf_token": form_token(client, url), "file": [(io.BytesIO(photo), "a.jpg")]},
        content_type="multipart/form-data",
    )

    again = client.post(
        url,
        data={
            "csrf_token": form_token(client, url),
            "file": [(io.BytesIO(photo), "b.jpg"), (io.BytesIO(files.HTML), "c.jpg")],
        },
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    refused = client.post(
        f"/api/v1/sites/{site.id}/photos?lang=az",
        data={"file": (io.BytesIO(files.HTML), "d.jpg")},
        headers={"X-CSRFToken": form_token(client, url)},
        content_type="multipart/form-data",
    )

    assert "«Шушинская крепость»; ничего нового не сохранено." in again
    assert "“c.jpg” не сохранён. Это не фотография, которую принимает архив" in again
    assert refused.status_code == 415
    assert refused.json["detail"].startswith("“d.jpg” saxlanılmadı. Bu, arxivin qəbul etdiyi")


def test_too_much_at_once_is_refused_in_megabytes(databases, tmp_path):
    app = make_app(tmp_path, databases.new_migrated(tmp_path), MAX_CONTENT_LENGTH=2**18)
    with app.app_context():
        editor = users.create_user(
            {"email": "e@example.org", "role": "editor", "password": PASSWORD}, actor=None
        )
        site_id = sites.create_site(site_data(), actor=editor).id
    client = app.test_client()
    client.post(
        "/login",
        data={"email": "e@example.org", "password": PASSWORD, "csrf_token": form_token(client)},
    )
    url = f"/staff/sites/{site_id}/photos"
    token = form_token(client, url)

    response = client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(b"x" * 400_000), "big.jpg")},
    )

    assert response.status_code == 413
    assert "larger than 0.25 MB, the most the archive accepts at once" in response.get_data(
        as_text=True
    )
    assert files.tree(tmp_path / "media") == set()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_choosing_no_file_is_explained(client, sign_in, restorer, make_site):
    site = make_site()
    sign_in(restorer)
    url = f"/staff/sites/{site.id}/photos"

    response = client.post(url, data={"csrf_token": form_token(client, url)})

    assert response.status_code == 422
    assert "Choose one or more photos to upload." in response.get_data(as_text=True)


def test_the_photo_page_shows_staff_the_gps_and_saves_descriptions(
    client, sign_in, make_site, restorer, editor
):
    photo = stored(make_site("published"), restorer)
    sign_in(editor)
    url = f"/staff/photos/{photo.id}"

    page = client.get(url).get_data(as_text=True)
    assert f"{files.LATITUDE:.6f}, {files.LONGITUDE:.6f}" in page
    assert "Apple iPhone 13 Pro" in page
    assert photo.sha256 in page

    saved = client.post(
        url, data={"csrf_token": form_token(client, url), "version": "1", **DESCRIBED}
    )
    assert saved.status_code == 303
    published = client.post(
        f"{url}/workflow/publish", data={"csrf_token": form_token(client, url), "version": "2"}
    )
    assert published.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert f"Published: Photo {photo.id}." in page
    db.session.rollback()
    assert db.session.get(Photo, photo.id).status == "published"


def test_publishing_without_caption_says_what_is_missing(client, sign_in, make_site, editor):
    photo = stored(make_site("published"), editor)
    sign_in(editor)
    url = f"/staff/photos/{photo.id}"

    client.post(
        f"{url}/workflow/publish", data={"csrf_token": form_token(client, url), "version": "1"}
    )

    page = client.get(url).get_data(as_text=True)
    assert "Add a caption in at least one language: a photo needs one before it is" in page
    assert "Add alt text (what the photo shows, for people who cannot see it)" in page


def test_submitting_without_caption_is_refused_and_the_page_says_so_first(
    client, sign_in, make_site, editor
):
    photo = stored(make_site("published"), editor)
    sign_in(editor)
    url = f"/staff/photos/{photo.id}"
    before = client.get(f"{url}?lang=en").get_data(as_text=True)

    client.post(
        f"{url}/workflow/submit", data={"csrf_token": form_token(client, url), "version": "1"}
    )

    assert "needed before the photo can be submitted for review or published" in before
    page = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "Add a caption in at least one language" in page
    assert "In review" not in page.split("<h1")[1].split("</h1>")[0]


def test_a_stale_description_is_refused(client, sign_in, make_site, editor):
    photo = stored(make_site(), editor)
    photos.update_photo(photo.id, {"caption_en": "First"}, actor=editor, version=1)
    sign_in(editor)
    url = f"/staff/photos/{photo.id}"

    response = client.post(
        url, data={"csrf_token": form_token(client, url), "version": "1", "caption_en": "Mine"}
    )

    assert response.status_code == 409
    assert "Someone else saved changes" in response.get_data(as_text=True)


def test_originals_are_for_signed_in_staff_and_only_as_downloads(
    client, sign_in, make_site, editor, make_user
):
    data = files.jpeg_with_gps()
    photo = stored(make_site("published"), editor, data)
    url = f"/staff/photos/{photo.id}/original"

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]

    sign_in(make_user("researcher"))
    response = client.get(url, buffered=True)

    assert response.status_code == 200
    assert response.data == data, "the original, byte for byte, EXIF and all"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=photo-{photo.id}-{photo.sha256[:12]}.jpg"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_draft_photos_derivatives_are_for_staff_only(client, sign_in, make_site, editor):
    photo = stored(make_site("published"), editor)

    assert client.get(derivative_url(photo), buffered=True).status_code == 404
    sign_in(editor)
    response = client.get(derivative_url(photo), buffered=True)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert "Cookie" in response.headers["Vary"]


def test_published_derivatives_are_public_cached_and_clean(client, make_site, editor):
    photo = stored(make_site("published", location_sensitive=True), editor, **DESCRIBED)
    photos.publish_photo(photo.id, actor=editor, version=photo.version)

    response = client.get(derivative_url(photo, "large.webp"), buffered=True)

    assert response.status_code == 200
    assert response.content_type == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"]
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "WEBP"
    assert not image.getexif()
    assert b"GPS" not in response.data
    assert b"iPhone" not in response.data
    again = client.get(
        derivative_url(photo, "large.webp"),
        headers={"If-None-Match": response.headers["ETag"]},
        buffered=True,
    )
    assert again.status_code == 304


@pytest.mark.parametrize("name", ["huge.webp", "thumb.gif", "../thumb.jpg", "thumb.jpg.html"])
def test_only_known_derivatives_are_served(client, make_site, editor, name):
    photo = stored(make_site("published"), editor, **DESCRIBED)
    photos.publish_photo(photo.id, actor=editor, version=photo.version)

    assert (
        client.get(
            f"/media/{photo.sha256}/{photo.derivative_key}/{name}", buffered=True
        ).status_code
        == 404
    )


def test_derivatives_are_made_on_first_request_if_missing(app, client, make_site, editor):
    photo = stored(make_site("published"), editor, **DESCRIBED)
    photos.publish_photo(photo.id, actor=editor, version=photo.version)
    folder = photos.media_store().derivative_path(photo.sha256, "thumb.jpg").parent
    resized = [path for path in folder.iterdir() if path.is_file()]  # tiles/ is IIIF's
    for path in resized:
        path.unlink()

    response = client.get(derivative_url(photo, "thumb.jpg"), buffered=True)

    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size == (320, 240)
    assert len([path for path in folder.iterdir() if path.is_file()]) == 6


def test_the_photo_list_filters_by_status(client, sign_in, make_site, editor):
    site = make_site()
    draft = stored(site, editor, files.jpeg(seed=1))
    described = stored(site, editor, files.jpeg(seed=2), **DESCRIBED)
    photos.submit_photo(described.id, actor=editor, version=1)
    sign_in(editor)

    page = client.get("/staff/photos?status=in_review").get_data(as_text=True)

    assert f"/staff/photos/{described.id}" in page
    assert f"/staff/photos/{draft.id}" not in page
    assert "No caption yet" not in page


def test_public_pages_never_show_photo_gps(client, make_site, editor):
    site = make_site("published", location_sensitive=True)
    photo = stored(site, editor, **DESCRIBED)
    photos.publish_photo(photo.id, actor=editor, version=photo.version)

    page = client.get(f"/sites/{site.slug}").get_data(as_text=True)

    assert str(files.LATITUDE) not in page
    assert f"{files.LATITUDE:.4f}" not in page
