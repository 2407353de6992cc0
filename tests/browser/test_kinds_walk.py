"""A visitor walks what sites hold: a museum's object with its photo, a cemetery with its map,
its chart of condition over time and a gravestone's page with its right-to-left inscription,
in each language, on a phone and on a desktop; axe finds nothing serious on any page."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from heritage.services import photos
from tests.browser.conftest import DESKTOP, PHONE
from tests.media.files import jpeg


def _published_photo(site, editor, seed: int, **subject):
    data = {
        "caption_en": "Photo of the part",
        "alt_en": "A carved stone",
        "alt_az": "Oyma daş",
        "alt_ru": "Резной камень",
        **subject,
    }
    photo = photos.upload_photo(
        site.id, io.BytesIO(jpeg(seed=seed, width=1000, height=750)), f"{seed}.jpg", data,
        actor=editor,
    ).photo  # fmt: skip
    photos.submit_photo(photo.id, actor=editor, version=1)
    return photos.publish_photo(photo.id, actor=editor, version=2)


@pytest.fixture
def holdings(make_site, make_object, make_gravestone, make_survey, editor):
    """A museum with a looted carpet pictured, and a cemetery with two stones on its map,
    one of them pictured, and three surveys of its condition."""
    museum = make_site("published", category="museum", site_type="museum", slug="museum")
    carpet = make_object(museum, "published")
    _published_photo(museum, editor, 1, object_id=carpet.id)
    cemetery = make_site(
        "published",
        category="cemetery",
        site_type="cemetery",
        slug="cemetery",
        latitude=39.985,
        longitude=46.918,
    )
    stone = make_gravestone(cemetery, "published", latitude=39.98512, longitude=46.91794)
    make_gravestone(cemetery, "published", number="18", latitude=39.9853, longitude=46.9182)
    _published_photo(cemetery, editor, 2, gravestone_id=stone.id)
    for day, condition in (("2021-05-14", "ruined"), ("2023-10-02", "critical")):
        make_survey(cemetery, "published", survey_date=day, overall_condition=condition)
    make_survey(cemetery, "published", survey_date="2025-06-20", overall_condition="poor")
    return {"object": carpet, "stone": stone}


@pytest.mark.parametrize("lang", ["az", "en", "ru"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_walk_objects_gravestones_and_surveys(
    browser, live_server, holdings, screenshot, accessibility, lang, viewport
):
    page = browser.new_page(viewport=viewport)
    width = viewport["width"]
    problems = {}

    def visit(name):
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        problems[name] = accessibility(page)
        screenshot(page, f"kinds-{name}-{lang}-{width}")

    page.goto(f"{live_server}/objects/{holdings['object'].id}?lang={lang}")
    picture = page.locator(".gallery img").first
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    visit("object")

    page.goto(f"{live_server}/sites/cemetery?lang={lang}")
    chart = page.locator("figure.condition-chart svg")
    expect(chart).to_be_visible()
    assert page.locator("figure.condition-chart circle").count() == 3
    markers = page.locator(".gravestone-map .leaflet-marker-icon")
    markers.first.wait_for(state="visible", timeout=10_000)
    assert markers.count() == 2
    visit("cemetery")

    page.goto(f"{live_server}/gravestones/{holdings['stone'].id}?lang={lang}")
    inscription = page.locator("blockquote.inscription")
    assert inscription.get_attribute("dir") == "rtl"
    assert inscription.get_attribute("lang") == "ar"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.inscription')).direction") == "rtl"
    )
    expect(page.locator(".gallery img").first).to_be_visible()
    visit("gravestone")

    page.close()
    assert all(found == [] for found in problems.values()), problems
