"""IIIF Image API 3.0 under /iiif/3/<photo id>-<key>/: info.json, every feature it claims checked
on the returned pixels, every refusal with its status, and the public gate."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image, ImageChops

from heritage.services import photos, sites
from tests.media.files import encode, exif, jpeg_with_gps

# Odd sizes, so that edge tiles are partial at every level.
WIDTH, HEIGHT = 777, 555


def grid(width: int = WIDTH, height: int = HEIGHT) -> Image.Image:
    """Squares of 50 pixels, each its own colour: any crop, turn or flip shows."""
    cells = np.zeros((height, width, 3), dtype=np.uint8)
    for row in range(0, height, 50):
        for column in range(0, width, 50):
            cells[row : row + 50, column : column + 50] = (
                (column * 7) % 256,
                (row * 5) % 256,
                (column + row) % 256,
            )
    return Image.fromarray(cells, "RGB")


@pytest.fixture
def upload(ctx, editor):
    """Upload a file through the pipeline, published unless status='draft'."""

    def factory(site, content: bytes, *, status="published", name="grid.png"):
        data = {"caption_en": "A grid", "alt_en": "Coloured squares", "licence": "CC-BY-4.0"}
        photo = photos.upload_photo(site.id, io.BytesIO(content), name, data, actor=editor).photo
        if status == "published":
            photo = photos.submit_photo(photo.id, actor=editor, version=photo.version)
            photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)
        return photo

    return factory


@pytest.fixture
def photo(make_site, upload):
    return upload(make_site("published"), encode(grid(), "PNG"))


def fetch(client, photo, path: str, status: int = 200, **headers):
    response = client.get(f"/iiif/3/{photo.iiif_identifier}/{path}", headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    return response


def picture(client, photo, path: str) -> Image.Image:
    response = fetch(client, photo, path)
    with Image.open(io.BytesIO(response.data)) as image:
        image.load()
        copy = image.copy()
        copy.format = image.format
        return copy


def difference(one: Image.Image, other: Image.Image) -> float:
    """Mean absolute difference per channel, 0-255."""
    assert one.size == other.size
    diff = ImageChops.difference(one.convert("RGB"), other.convert("RGB"))
    return float(np.asarray(diff).mean())


def test_info_json_describes_the_image_its_tiles_and_what_is_offered(client, photo):
    response = fetch(client, photo, "info.json")
    info = response.get_json()

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.mimetype == "application/json"
    assert response.headers["Link"] == '<http://iiif.io/api/image/3/level2.json>;rel="profile"'
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"http://localhost/iiif/3/{photo.iiif_identifier}"
    assert (info["type"], info["protocol"], info["profile"]) == (
        "ImageService3", "http://iiif.io/api/image", "level2"
    )  # fmt: skip
    assert (info["width"], info["height"]) == (WIDTH, HEIGHT)
    assert info["tiles"] == [{"width": 256, "height": 256, "scaleFactors": [1, 2, 4]}]
    # Ascending, and each the size of a tile level as clients compute it.
    assert info["sizes"] == [
        {"width": 195, "height": 139},
        {"width": 389, "height": 278},
        {"width": 777, "height": 555},
    ]
    assert info["extraFormats"] == ["webp"]
    assert set(info["extraQualities"]) == {"color", "gray", "bitonal"}
    assert info["maxArea"] == WIDTH * HEIGHT

    linked_data = fetch(client, photo, "info.json", Accept="application/ld+json")
    assert linked_data.headers["Content-Type"] == (
        'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
    )


def test_info_json_id_follows_the_host_and_scheme_asked(client, photo):
    identifier = photo.iiif_identifier
    response = client.get(f"/iiif/3/{identifier}/info.json", base_url="https://archive.example.org")
    assert response.get_json()["id"] == f"https://archive.example.org/iiif/3/{identifier}"


def test_the_base_address_redirects_to_info_json(client, photo):
    response = client.get(f"/iiif/3/{photo.iiif_identifier}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/iiif/3/{photo.iiif_identifier}/info.json")


def test_a_bare_photo_id_is_sent_on_to_the_current_identifier_uncached(client, photo):
    for path in ("", "/info.json", "/full/max/0/default.jpg"):
        response = client.get(f"/iiif/3/{photo.id}{path}")
        assert response.status_code == 303, path
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        target = "/info.json" if path == "" else path
        assert response.headers["Location"].endswith(f"/iiif/3/{photo.iiif_identifier}{target}")


@pytest.mark.parametrize(
    ("region", "box"),
    [
        ("full", (0, 0, WIDTH, HEIGHT)),
        ("square", (111, 0, 666, 555)),
        ("100,50,200,150", (100, 50, 300, 200)),
        ("700,500,300,300", (700, 500, WIDTH, HEIGHT)),  # cut at the image's edge
        ("pct:10,20,50,40", (78, 111, 78 + 388, 111 + 222)),
    ],
)
def test_regions_match_a_crop_of_the_original(client, photo, region, box):
    got = picture(client, photo, f"{region}/max/0/default.png")
    assert difference(got, grid().crop(box)) < 3


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("max", (WIDTH, HEIGHT)),
        ("300,", (300, 214)),
        (",100", (140, 100)),
        ("200,100", (200, 100)),
        ("!200,200", (200, 143)),
        ("pct:50", (388, 278)),
    ],
)
def test_sizes(client, photo, size, expected):
    got = picture(client, photo, f"full/{size}/0/default.jpg")
    assert got.size == expected
    assert got.format == "JPEG"
    # Small sizes come from a smaller tile level, whose squares' edges blur a little more.
    assert difference(got, grid().resize(expected, Image.Resampling.BICUBIC)) < 12


def test_tiles_at_every_scale_meet_without_gaps_and_match_the_level(client, photo):
    """Every tile OpenSeadragon asks for answers, and the tiles of each level put together
    are the image at that level's size."""
    for scale in (1, 2, 4):
        level = (math.ceil(WIDTH / scale), math.ceil(HEIGHT / scale))
        whole = Image.new("RGB", level)
        span = 256 * scale
        for y in range(0, HEIGHT, span):
            for x in range(0, WIDTH, span):
                w, h = min(span, WIDTH - x), min(span, HEIGHT - y)
                size = (math.ceil(w / scale), math.ceil(h / scale))
                tile = picture(client, photo, f"{x},{y},{w},{h}/{size[0]},{size[1]}/0/default.jpg")
                assert tile.size == size
                whole.paste(tile, (x // scale, y // scale))
        assert difference(whole, grid().resize(level, Image.Resampling.BICUBIC)) < 8


def test_rotation_mirroring_and_qualities(client, photo):
    region = grid().crop((0, 0, 200, 100))
    turned = picture(client, photo, "0,0,200,100/max/90/default.png")
    assert turned.size == (100, 200)
    assert difference(turned, region.transpose(Image.Transpose.ROTATE_270)) < 3
    upside_down = picture(client, photo, "0,0,200,100/max/180/default.png")
    assert difference(upside_down, region.transpose(Image.Transpose.ROTATE_180)) < 3
    left = picture(client, photo, "0,0,200,100/max/270/default.png")
    assert difference(left, region.transpose(Image.Transpose.ROTATE_90)) < 3
    mirrored = picture(client, photo, "0,0,200,100/max/!0/default.png")
    assert difference(mirrored, region.transpose(Image.Transpose.FLIP_LEFT_RIGHT)) < 3

    gray = picture(client, photo, "0,0,200,100/max/0/gray.png")
    assert gray.mode == "L"
    assert difference(gray, region.convert("L")) < 3
    bitonal = picture(client, photo, "full/max/0/bitonal.png")
    assert set(np.unique(np.asarray(bitonal.convert("L")))) <= {0, 255}
    assert picture(client, photo, "full/100,/0/color.webp").format == "WEBP"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("full/max/0/default.tif", 501),
        ("full/max/0/default.xyz", 400),
        ("full/max/0/fancy.jpg", 400),
        ("full/max/0/default", 400),
        ("abc/max/0/default.jpg", 400),
        ("1,2,3/max/0/default.jpg", 400),
        ("0,0,0,10/max/0/default.jpg", 400),
        ("800,0,10,10/max/0/default.jpg", 400),  # outside the image
        ("1.5,0,10,10/max/0/default.jpg", 400),
        ("full/full/0/default.jpg", 400),  # 2.x syntax
        ("full/1000,/0/default.jpg", 400),  # larger than the region
        ("full/pct:200/0/default.jpg", 400),
        ("full/!2000,3000/0/default.jpg", 400),
        ("full/^1000,/0/default.jpg", 501),
        ("full/^max/0/default.jpg", 501),
        ("full/^nhaC3/0/default.jpg", 400),  # malformed, though it asks to upscale
        ("full/^,/0/default.jpg", 400),
        ("full/0,/0/default.jpg", 400),
        ("full/!100,/0/default.jpg", 400),
        ("full/,/0/default.jpg", 400),
        ("full/max/45/default.jpg", 501),
        ("full/max/400/default.jpg", 400),
        ("full/max/abc/default.jpg", 400),
    ],
)
def test_refusals_say_why_with_the_status_the_spec_names(client, photo, path, status):
    response = fetch(client, photo, path, status)
    assert response.mimetype == "text/plain"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_data(as_text=True)


def test_no_response_is_larger_than_max_area(app, client, photo):
    app.config["IIIF_MAX_AREA"] = 100_000
    info = fetch(client, photo, "info.json").get_json()
    assert info["maxArea"] == 100_000
    assert all(size["width"] * size["height"] <= 100_000 for size in info["sizes"])
    got = picture(client, photo, "full/max/0/default.jpg")
    assert got.width * got.height <= 100_000
    assert got.width / got.height == pytest.approx(WIDTH / HEIGHT, rel=0.01)
    fetch(client, photo, "full/700,/0/default.jpg", 400)


def test_public_images_are_cacheable_and_answer_if_none_match(client, photo):
    response = fetch(client, photo, "0,0,256,256/256,256/0/default.jpg")
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert 'rel="profile"' in response.headers["Link"]
    assert response.headers["Link"].startswith(
        f"<http://localhost/iiif/3/{photo.iiif_identifier}/0,0,256,256/max/0/default.jpg>;"
        'rel="canonical"'
    )
    etag = response.headers["ETag"]
    tile = "0,0,256,256/256,256/0/default.jpg"
    again = fetch(client, photo, tile, 304, **{"If-None-Match": etag})
    assert again.data == b""
    other = fetch(client, photo, "0,0,256,256/128,128/0/default.jpg")
    assert other.headers["ETag"] != etag
    info = fetch(client, photo, "info.json")
    fetch(client, photo, "info.json", 304, **{"If-None-Match": info.headers["ETag"]})


def test_tiles_are_cut_once_and_served_from_the_media_folder(app, client, photo):
    fetch(client, photo, "full/max/0/default.jpg")
    tile = (
        app.config["MEDIA_ROOT"]
        + f"/derivatives/{photo.sha256[:2]}/{photo.sha256[2:4]}/{photo.sha256}/tiles/4/0_0.jpg"
    )
    with open(tile, "rb") as handle:
        stored = handle.read()
    assert fetch(client, photo, "full/195,139/0/default.jpg").data == stored


def test_nothing_but_pixels_leaves_no_exif_gps_icc_or_comment(client, make_site, upload):
    photo = upload(make_site("published"), jpeg_with_gps(), name="phone.jpg")
    for path in ("full/max/0/default.jpg", "0,0,256,256/256,256/0/default.jpg",
                 "full/200,/0/gray.png", "full/200,/0/default.webp"):  # fmt: skip
        data = fetch(client, photo, path).data
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
            assert not {"icc_profile", "comment", "exif"} & set(image.info)
        assert b"iPhone" not in data


def test_exif_orientation_is_applied_and_gone(client, make_site, upload):
    # Stored sideways (orientation 6: turn clockwise to see it upright).
    sideways = grid(300, 200).transpose(Image.Transpose.ROTATE_90)
    content = encode(sideways, "JPEG", quality=95, exif=exif(orientation=6))
    photo = upload(make_site("published"), content, name="sideways.jpg")
    info = fetch(client, photo, "info.json").get_json()
    assert (info["width"], info["height"]) == (300, 200)
    got = picture(client, photo, "full/max/0/default.jpg")
    assert got.size == (300, 200)
    assert not got.getexif()
    assert difference(got, grid(300, 200)) < 8


# --- the public gate ------------------------------------------------------------------------


def test_unknown_and_malformed_identifiers_are_404(client, photo):
    stale = f"{photo.id}-{'0' * 16}"
    for identifier in ("999999", "abc", "-1", "1e3", "٣", stale, f"{photo.iiif_identifier}0"):
        response = client.get(f"/iiif/3/{identifier}/info.json")
        assert response.status_code == 404
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/iiif/3/a/b/full/max/0/default.jpg").status_code == 404


def test_drafts_and_photos_of_unpublished_or_withdrawn_sites_are_404(
    client, make_site, upload, editor
):
    draft = upload(make_site("published"), encode(grid(), "PNG"), status="draft")
    site = make_site("published")
    of_withdrawn = upload(site, encode(grid(60, 40), "PNG"))
    sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Test withdrawal.")
    of_draft_site = upload(make_site("draft"), encode(grid(70, 40), "PNG"))
    withdrawn_photo = upload(make_site("published"), encode(grid(80, 40), "PNG"))
    photos.withdraw_photo(
        withdrawn_photo.id, actor=editor, version=withdrawn_photo.version, reason="Private."
    )

    for hidden in (draft, of_withdrawn, of_draft_site, withdrawn_photo):
        for identifier in (hidden.id, hidden.iiif_identifier):
            for path in ("info.json", "full/max/0/default.jpg", "0,0,10,10/10,10/0/default.jpg"):
                response = client.get(f"/iiif/3/{identifier}/{path}")
                assert response.status_code == 404, (identifier, path)
            assert client.get(f"/iiif/3/{identifier}").status_code == 404


def served_iiif_urls(client, photo, site) -> list[str]:
    """Every IIIF address the public is given for `photo` (the API's, the manifest's and
    info.json's ids agree), each fetched once: the info.json, a stored tile, a composed
    picture and the base address. Each was public and cacheable."""
    service = client.get(f"/api/v1/photos/{photo.id}").get_json()["iiif"]
    manifest = client.get(f"/iiif/3/sites/{site.slug}/manifest").get_json()
    ids = {
        body["service"][0]["id"]
        for canvas in manifest["items"]
        for page in canvas["items"]
        for annotation in page["items"]
        for body in [annotation["body"]]
    }
    info = client.get(service).get_json()
    assert ids == {info["id"]}
    assert service == f"{info['id']}/info.json"
    urls = [service, f"{info['id']}/0,0,256,256/256,256/0/default.jpg"]
    urls.append(f"{info['id']}/full/100,/0/gray.png")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert client.get(info["id"]).status_code == 303
    return [*urls, info["id"]]


@pytest.mark.parametrize("withdrawn", ["photo", "site"])
def test_after_a_withdrawal_every_iiif_address_served_is_404_and_never_again_linked(
    client, make_site, upload, editor, withdrawn
):
    site = make_site("published")
    photo = upload(site, encode(grid(), "PNG"))
    before = served_iiif_urls(client, photo, site)

    if withdrawn == "photo":
        photo = photos.withdraw_photo(photo.id, actor=editor, version=photo.version, reason="Hm.")
    else:
        site = sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Hm.")
    for url in [*before, f"/iiif/3/{photo.id}/info.json", f"/iiif/3/{photo.id}"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "public" not in response.headers.get("Cache-Control", ""), url

    # Published again, it has new addresses; the ones cached under its first publication
    # stay 404 (what caches hold of them is never linked again).
    if withdrawn == "photo":
        photos.restore_photo(photo.id, actor=editor, version=photo.version)
    else:
        site = sites.restore_site(site.id, actor=editor, version=site.version)
    after = served_iiif_urls(client, photo, site)
    assert not set(after) & set(before)
    for url in before:
        assert client.get(url).status_code == 404, url


def test_staff_see_unpublished_photos_privately(client, make_site, upload, editor, sign_in):
    draft = upload(make_site("published"), encode(grid(), "PNG"), status="draft")
    assert client.get(f"/iiif/3/{draft.iiif_identifier}/info.json").status_code == 404
    sign_in(editor)
    for path in ("info.json", "full/max/0/default.jpg", "0,0,256,256/256,256/0/default.jpg"):
        response = client.get(f"/iiif/3/{draft.iiif_identifier}/{path}")
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in response.headers["Vary"]
        assert "ETag" not in response.headers
        assert "Access-Control-Allow-Origin" not in response.headers


def test_a_busy_host_answers_503_with_retry_after(app, client, photo):
    from heritage.services import slots

    with slots.slot(app.instance_path, "iiif", app.config["IIIF_CONCURRENCY"], wait=0) as held:
        assert held
        app.config["IIIF_CONCURRENCY"] = 1
        response = fetch(client, photo, "full/100,/0/default.jpg", 503)
    assert response.headers["Retry-After"] == "2"
