"""A restoration's before/after pair in two synchronised deep-zoom viewers on the site page:
zooming one zooms the other (its finer tiles load), with the keyboard, side by side on a
desktop and stacked on a phone; without JavaScript both photos show."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from heritage.services import photos, restorations
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_deep_zoom import tile_scales
from tests.conftest import record_data
from tests.media.files import jpeg

OPEN = "Compare side by side at full resolution"


@pytest.fixture
def pair(make_site, editor):
    """A published site with finished, published work and its before and after photos."""
    site = make_site("published")
    record = restorations.create_record(
        site.id,
        record_data(work_status="completed", start_date="2022-01-10", end_date="2023-04-01"),
        actor=editor,
    )
    restorations.submit_record(record.id, actor=editor, version=1)
    restorations.publish_record(record.id, actor=editor, version=2)
    made = {}
    for seed, stage in enumerate(("before", "after")):
        data = {
            "stage": stage,
            "record_id": record.id,
            "caption_en": f"The portal, {stage}",
            "alt_en": f"The stone portal {stage} the work",
            "licence": "CC-BY-4.0",
        }
        content = io.BytesIO(jpeg(seed=seed, width=2400, height=1800))
        photo = photos.upload_photo(site.id, content, f"{stage}.jpg", data, actor=editor).photo
        photo = photos.submit_photo(photo.id, actor=editor, version=photo.version)
        made[stage] = photos.publish_photo(photo.id, actor=editor, version=photo.version)
    return site, made["before"], made["after"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_zooming_one_photo_zooms_the_other(browser, live_server, pair, screenshot, viewport):
    site, before, after = pair
    context = browser.new_context(viewport=viewport, locale="en")
    page = context.new_page()
    asked: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.goto(f"{live_server}/sites/{site.slug}?lang=en")

    page.get_by_role("button", name=OPEN).focus()
    page.keyboard.press("Enter")
    page.locator(".compare.is-zoom-ready").wait_for(timeout=15_000)
    toggle = page.get_by_role("button", name="Back to the slider")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    first = page.get_by_role("img", name="Before: The stone portal before the work")
    second = page.get_by_role("img", name="After: The stone portal after the work")
    expect(first).to_be_visible()
    expect(second).to_be_visible()
    one, other = first.bounding_box(), second.bounding_box()
    if viewport is DESKTOP:  # side by side
        assert one["y"] == pytest.approx(other["y"], abs=2)
        assert other["x"] >= one["x"] + one["width"]
    else:  # one above the other, each the page's width
        assert one["x"] == pytest.approx(other["x"], abs=2)
        assert other["y"] >= one["y"] + one["height"]
        assert one["width"] > viewport["width"] * 0.8
    page.wait_for_load_state("networkidle")
    at_first = min(tile_scales(asked, after.iiif_identifier))
    name = "desktop" if viewport is DESKTOP else "phone"
    screenshot(page, f"compare-zoom-{name}")

    # Zoomed with the keyboard in the "before" viewer only.
    canvas = first.locator(".openseadragon-canvas")
    canvas.scroll_into_view_if_needed()
    canvas.focus()
    expect(canvas).to_be_focused()  # a key pressed while the page scrolls can be lost
    for _ in range(12):  # each 1.2 times closer: near full resolution even on a phone
        page.keyboard.press("+")
        page.wait_for_timeout(200)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"compare-zoom-{name}-zoomed")

    # The "after" viewer followed: it asked for finer tiles of its own photo.
    assert min(tile_scales(asked, before.iiif_identifier)) < at_first
    assert min(tile_scales(asked, after.iiif_identifier)) < at_first
    assert not failed

    toggle.click()
    expect(page.locator(".compare input[type=range]")).to_be_visible()
    expect(first).to_have_count(0)
    context.close()


def test_without_javascript_both_photos_show(browser, live_server, pair):
    site, _before, _after = pair
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/sites/{site.slug}?lang=en")
    expect(page.locator(".compare-before img")).to_be_visible()
    expect(page.locator(".compare-after img")).to_be_visible()
    expect(page.get_by_role("button", name=OPEN)).to_be_hidden()
    context.close()
