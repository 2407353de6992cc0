"""The photo page's deep zoom in a real browser: OpenSeadragon reads the IIIF info.json,
and zooming in loads tiles of a finer level; without JavaScript the plain image stays."""

from __future__ import annotations

import io
import shutil

import pytest

from heritage.media import MediaStore
from heritage.media.pyramid import Pyramid
from heritage.services import photos
from tests.browser.conftest import DESKTOP, PHONE
from tests.media.files import jpeg


@pytest.fixture
def big_photo(make_site, editor):
    data = {"caption_en": "The dome", "alt_en": "A stone dome", "licence": "CC-BY-4.0"}
    content = io.BytesIO(jpeg(seed=3, width=3000, height=2000))
    photo = photos.upload_photo(
        make_site("published").id, content, "dome.jpg", data, actor=editor
    ).photo
    photo = photos.submit_photo(photo.id, actor=editor, version=photo.version)
    return photos.publish_photo(photo.id, actor=editor, version=photo.version)


def tile_scales(requests: list[str], identifier: str) -> set[int]:
    """The scale factors of the IIIF tiles asked for (region width / size width)."""
    scales = set()
    for url in requests:
        if f"/iiif/3/{identifier}/" not in url or url.endswith("info.json"):
            continue
        region, size = url.split(f"/iiif/3/{identifier}/")[1].split("/")[:2]
        if region == "full":
            continue
        width = int(region.split(",")[2])
        asked = int(size.split(",")[0])
        scales.add(round(width / asked))
    return scales


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_zooming_in_loads_finer_tiles(browser, live_server, big_photo, screenshot, viewport):
    context = browser.new_context(viewport=viewport, locale="en")
    page = context.new_page()
    asked: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))

    page.goto(f"{live_server}/photos/{big_photo.id}?lang=en")
    viewer = page.locator("[data-deep-zoom].is-ready")
    viewer.wait_for(timeout=15_000)
    assert page.locator(".photo-large picture").is_hidden()
    page.wait_for_load_state("networkidle")
    before = tile_scales(asked, big_photo.iiif_identifier)
    name = "desktop" if viewport is DESKTOP else "phone"
    screenshot(page, f"deep-zoom-{name}")

    for _ in range(4):
        page.get_by_title("Zoom in").first.click()
        page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    after = tile_scales(asked, big_photo.iiif_identifier)
    screenshot(page, f"deep-zoom-{name}-zoomed")

    assert after, asked
    assert min(after) < min(before), (before, after)  # a finer level than at first
    assert min(after) == 1  # full resolution reached
    assert not failed
    context.close()


def test_keyboard_zooms_once_the_viewer_has_focus(browser, live_server, big_photo):
    page = browser.new_page(viewport=DESKTOP)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live_server}/photos/{big_photo.id}?lang=en")
    page.locator("[data-deep-zoom].is-ready").wait_for(timeout=15_000)
    page.wait_for_load_state("networkidle")
    first = min(tile_scales(asked, big_photo.iiif_identifier))
    page.locator("[data-deep-zoom] .openseadragon-canvas").focus()
    for _ in range(6):
        page.keyboard.press("+")
        page.wait_for_timeout(200)
    page.wait_for_load_state("networkidle")
    assert min(tile_scales(asked, big_photo.iiif_identifier)) < first
    page.close()


def test_without_javascript_the_plain_image_stays(browser, live_server, big_photo):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/photos/{big_photo.id}?lang=en")
    assert page.locator(".photo-large picture img").is_visible()
    assert page.locator("[data-deep-zoom]").is_hidden()
    context.close()


def test_a_photo_whose_tiles_were_deleted_opens_whole(browser, app, live_server, big_photo):
    """The viewer's first requests come at once; while one cuts the tiles, the rest wait for
    them instead of failing."""
    tiles = Pyramid.of(MediaStore(app.config["MEDIA_ROOT"]), big_photo.sha256).folder
    shutil.rmtree(tiles)
    page = browser.new_page(viewport=DESKTOP)
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.goto(f"{live_server}/photos/{big_photo.id}?lang=en")
    page.locator("[data-deep-zoom].is-ready").wait_for(timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert not failed
    assert (tiles / "pyramid.json").is_file()
    page.close()
