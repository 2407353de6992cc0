"""The workspace's flows in a real browser, on a phone and a desktop: the review queue with
its previews, sending back from it and the comment reaching the restorer, the catalogue's
search and filters, the withdrawal's confirmation and history on a phone; each page passes
the accessibility check, and on a phone its controls are big enough to tap and to read."""

from __future__ import annotations

import re

import pytest

from heritage.services import restorations
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_staff_journey import sign_in, sign_out


@pytest.fixture
def waiting(make_site, make_record, make_user, editor):
    """A restorer's record in review on a published site, and a site in review."""
    restorer = make_user("restorer", name="Rauf Restorer")
    site = make_site("published", name_en="Garabaghlar Mausoleum", condition="poor")
    make_site("in_review", name_en="Upper Govhar Agha Mosque")
    record = make_record(site, actor=restorer, title="Consolidation of the glazed drum")
    restorations.submit_record(record.id, actor=restorer, version=record.version)
    return {"restorer": restorer, "editor": editor, "site": site, "record": record}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_review_send_back_and_find_in_the_workspace(
    browser, live_server, waiting, screenshot, accessibility, phone_controls, viewport
):
    width = "phone" if viewport is PHONE else "desktop"
    page = browser.new_page(viewport=viewport)

    def check(name):
        screenshot(page, f"workspace-{name}-{width}")
        assert accessibility(page) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
        if viewport is PHONE:
            assert phone_controls(page) == {"small": [], "tiny": []}, name

    # The editor reviews: both waiting records, each with a look at it; sends one back.
    sign_in(page, live_server, waiting["editor"])
    check("dashboard-editor")
    page.click(".staff-nav >> text=Review")
    assert page.locator(".review-item").count() == 2
    assert "New: never published" in page.locator(".review-item").first.inner_text()
    check("review-queue")
    item = page.locator(".review-item", has_text="Consolidation of the glazed drum")
    item.locator("input[name=note]").fill("Say which mortar was used.")
    item.locator("button:has-text('Send back')").click()
    page.wait_for_url(re.compile(r".*/staff/review$"))
    assert "Sent back: Consolidation of the glazed drum." in page.locator(".flash").inner_text()
    assert page.locator(".review-item").count() == 1

    # The catalogue: words, a filter, the export links above the table.
    page.click(".staff-nav >> text=Catalogue")
    page.fill("#catalogue-q", "Garabaghlar")
    page.select_option("#catalogue-condition", "poor")
    page.click("form.catalogue-filters button[type=submit]")
    assert page.locator("table.list tbody tr").count() == 1
    check("catalogue-search")

    # Withdrawing asks for the box to be ticked first.
    page.goto(f"{live_server}/staff/sites/{waiting['site'].id}?lang=en")
    withdraw = page.locator("form.workflow-step", has_text="Withdraw")
    withdraw.locator("input[name=note]").fill("Duplicate entry.")
    check("site-withdraw")
    withdraw.locator("button").click()
    assert "Published" in page.locator("h1 .badge").inner_text()  # the browser asked first
    withdraw.locator("input[name=confirm]").check()
    withdraw.locator("button").click()
    assert "Withdrawn" in page.locator("h1 .badge").inner_text()
    page.goto(f"{live_server}/staff/sites/{waiting['site'].id}/history?lang=en")
    check("history")
    sign_out(page)

    # The restorer finds the comment on the dashboard and on the record.
    sign_in(page, live_server, waiting["restorer"])
    sent_back = page.locator("section.sent-back-list")
    assert "Say which mortar was used." in sent_back.inner_text()
    check("dashboard-sent-back")
    sent_back.locator("a").first.click()
    assert "Say which mortar was used." in page.locator(".send-back").inner_text()
    check("record-sent-back")


def test_use_my_location_fills_the_coordinates_on_a_phone(
    browser, live_server, editor, screenshot, accessibility, phone_controls
):
    context = browser.new_context(
        viewport=PHONE,
        geolocation={"latitude": 39.601234, "longitude": 47.145678, "accuracy": 12},
        permissions=["geolocation"],
    )
    page = context.new_page()
    sign_in(page, live_server, editor)
    page.goto(f"{live_server}/staff/sites/new?lang=en")
    page.click("button:has-text('Use my location')")
    page.wait_for_function("document.getElementById('latitude').value !== ''")

    assert page.input_value("#latitude") == "39.601234"
    assert page.input_value("#longitude") == "47.145678"
    assert "within 12 m" in page.locator("[data-use-location] [role=status]").inner_text()
    screenshot(page, "workspace-use-my-location-phone")
    assert accessibility(page) == []
    assert phone_controls(page) == {"small": [], "tiny": []}
    context.close()
