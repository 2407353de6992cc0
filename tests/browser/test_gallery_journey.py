"""A visitor walks the public gallery in each language, on a phone and on a desktop."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from heritage.services import photos, restorations
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import record_data
from tests.media.files import jpeg

HEADINGS = {"az": "Abidələr", "en": "Sites", "ru": "Объекты"}
SEARCH = {"az": "Axtarış", "en": "Search", "ru": "Поиск"}
ZOOM_IN = {"az": "Yaxınlaşdır", "en": "Zoom in", "ru": "Приблизить"}
# The fortress is named Şuşa qalası, Shusha Fortress and Шушинская крепость.
SHUSHA = {"az": "Susa", "en": "Shusha", "ru": "Шуша"}
ALT = {
    "az": "Namaz zalı (general)",
    "en": "The prayer hall, general",
    "ru": "Молельный зал (general)",
}


@pytest.fixture
def gallery(make_site, editor):
    """A few published sites, one with finished restoration work and its photos."""
    site = make_site(
        "published",
        description_en="A mosque with two brick minarets and a stone prayer hall.",
        description_ru="Мечеть с двумя кирпичными минаретами и каменным молельным залом.",
        description_az="İki kərpic minarəli və daş namaz zallı məscid.",
    )
    make_site(
        "published",
        name_en="Shusha Fortress",
        name_az="Şuşa qalası",
        name_ru="Шушинская крепость",
        site_type="fortress",
        latitude=39.75,
        longitude=46.74,
        slug="shusha-fortress",
    )
    record = restorations.create_record(
        site.id,
        record_data(work_status="completed", start_date="2022-01-10", end_date="2023-04-01",
                    condition_before="poor", condition_after="good"),
        actor=editor,
    )  # fmt: skip
    restorations.submit_record(record.id, actor=editor, version=1)
    restorations.publish_record(record.id, actor=editor, version=2)
    for n, (stage, on_record) in enumerate((("before", True), ("after", True), ("general", False))):
        data = {
            "stage": stage,
            "caption_en": f"{stage} view",
            "alt_en": f"The prayer hall, {stage}",
            "alt_az": f"Namaz zalı ({stage})",
            "alt_ru": f"Молельный зал ({stage})",
        }
        if on_record:
            data["record_id"] = record.id
        photo = photos.upload_photo(
            site.id, io.BytesIO(jpeg(seed=n, width=1200, height=900)), f"{stage}.jpg", data,
            actor=editor,
        ).photo  # fmt: skip
        photos.submit_photo(photo.id, actor=editor, version=1)
        photos.publish_photo(photo.id, actor=editor, version=2)
    return site


@pytest.mark.parametrize("lang", ["az", "en", "ru"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_walk_the_gallery(browser, live_server, gallery, screenshot, accessibility, lang, viewport):
    page = browser.new_page(viewport=viewport)
    width = viewport["width"]
    problems = {}

    def visit(name):
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        problems[name] = accessibility(page)
        screenshot(page, f"gallery-{name}-{lang}-{width}")

    page.goto(f"{live_server}/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    visit("home")

    page.click(f"nav.main-nav >> text={HEADINGS[lang]}")
    assert page.locator("h1").inner_text() == HEADINGS[lang]
    # The mosque's card shows its general view, loaded when scrolled to, with its alt text.
    cover = page.locator(f".card:has(a[href='/sites/{gallery.slug}']) img")
    cover.scroll_into_view_if_needed()
    expect(cover).to_have_attribute("alt", ALT[lang])
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=cover.element_handle()
    )
    assert page.locator(".card img").count() == 1  # the fortress has no photo
    visit("browse")

    # The order control: the oldest first, then back to names in this language's order.
    page.select_option(".sort-form select", "recent")
    page.click(".sort-form button")
    page.wait_for_url("**sort=recent**")
    first = page.locator(".card a >> nth=0").get_attribute("href")
    assert first == "/sites/shusha-fortress"  # published after the mosque
    visit("browse-recent")

    page.click(f"a[href='/sites/{gallery.slug}']")
    assert page.locator("h1 [itemprop=name]").get_attribute("lang") == lang
    assert page.locator(".timeline h3").inner_text() == "Conservation of the prayer hall roof"
    visit("site")

    # The lightbox, with the keyboard only.
    page.focus("a[data-lightbox] >> nth=0")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    expect(page.locator("[data-position]")).to_have_text("1 / 3")
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-position]")).to_have_text("2 / 3")
    visit("lightbox")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.lightbox") == ""

    # The before/after slider, with the keyboard only.
    slider = page.locator(".compare input[type=range]")
    # Focused first, and seen focused: a key pressed while the page scrolls the control into
    # view can be lost.
    slider.focus()
    expect(slider).to_be_focused()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Key presses reach the page asynchronously: wait for the last one to land.
    expect(slider).to_have_attribute("aria-valuetext", "55%")
    position = "getComputedStyle(document.querySelector('.compare')).getPropertyValue('--position')"
    assert page.evaluate(position).strip() == "55%"

    page.goto(live_server + page.locator("a[data-lightbox] >> nth=2").get_attribute("href"))
    # The photo opens in the deep-zoom viewer, in place of the plain image.
    page.locator("figure.photo-large [data-deep-zoom].is-ready").wait_for()
    visit("photo")

    page.goto(f"{live_server}/map")
    assert page.locator(".place-list a").count() == 2
    # The map is drawn at its size: its places show (as markers or a cluster of them).
    places = page.locator(".all-sites-map .leaflet-marker-icon, .all-sites-map .marker-cluster")
    places.first.wait_for(state="visible", timeout=10_000)
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == ZOOM_IN[lang]
    visit("map")

    # Search by the name as this language spells it; the other spellings are in the index.
    page.click(f"nav.main-nav >> text={SEARCH[lang]}")
    page.fill("input[name=q]", SHUSHA[lang])
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?*")
    results = page.locator(".search-results .result-title")
    # The fortress by its name first, then the mosque that stands in the district of Şuşa.
    assert results.count() == 2
    assert results.first.get_attribute("href") == "/sites/shusha-fortress"
    assert page.locator(".search-results mark").count() >= 1
    assert page.locator(".search-result >> nth=1").locator("img").get_attribute("alt") == ALT[lang]
    visit("search")
    results.first.click()
    assert page.locator("h1 [itemprop=name]").get_attribute("lang") == lang

    assert problems == {name: [] for name in problems}
