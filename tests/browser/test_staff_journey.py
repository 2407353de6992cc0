"""An editor catalogues a site, a restorer logs work on it from a phone, the editor publishes
both and reads the history: in a real browser, against the real app."""

from __future__ import annotations

import re

from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD


def sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/login?lang=en")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/$"))


def sign_out(page) -> None:
    page.click("text=Sign out")
    page.wait_for_url(re.compile(r".*/$"))


def test_catalogue_log_publish_and_read_history(browser, live_server, make_user, screenshot):
    editor = make_user("editor", name="Leyla Editor")
    restorer = make_user("restorer", name="Rauf Restorer")
    desktop = browser.new_page(viewport=DESKTOP)
    phone = browser.new_page(viewport=PHONE)

    # The editor catalogues a site with its names in three languages.
    sign_in(desktop, live_server, editor)
    desktop.click("text=Catalogue")
    desktop.click("text=New site")
    desktop.fill("#name_az", "Qarabağlar türbəsi")
    desktop.fill("#name_en", "Garabaghlar Mausoleum")
    desktop.fill("#name_ru", "Мавзолей Гарабаглар")
    desktop.fill("#description_en", "A tall cylindrical tomb tower of brick with turquoise glaze.")
    desktop.select_option("#category", "monument")
    desktop.select_option("#site_type", "mausoleum")
    desktop.select_option("#district", "fuzuli")
    desktop.fill("#settlement", "Qarabağlar")
    desktop.fill("#latitude", "39.601")
    desktop.fill("#longitude", "47.145")
    desktop.fill("#period_en", "14th century")
    desktop.select_option("#clearance_status", "cleared")
    desktop.fill("#clearance_date", "2022-05-14")
    desktop.click("form.form button[type=submit]")
    desktop.wait_for_url(re.compile(r".*/staff/sites/\d+$"))
    site_url = desktop.url
    assert desktop.locator("h1").inner_text().startswith("Garabaghlar Mausoleum")
    sign_out(desktop)

    # The restorer logs work on it from a phone.
    sign_in(phone, live_server, restorer)
    screenshot(phone, "dashboard-phone")
    phone.goto(site_url)
    phone.click("text=Log work")
    screenshot(phone, "worklog-form-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.fill("#title", "Consolidation of the glazed brick drum")
    phone.select_option("#work_type", "conservation")
    phone.select_option("#work_status", "in_progress")
    phone.fill("#start_date", "2025-04-01")
    phone.fill("#description", "Loose glazed bricks were **re-set** in lime mortar.")
    phone.select_option("#condition_before", "poor")
    phone.click("form.form button[type=submit]")
    phone.wait_for_url(re.compile(r".*/staff/records/\d+$"))
    record_url = phone.url
    assert phone.locator(".prose strong").inner_text() == "re-set"
    phone.click("button:has-text('Submit for review')")
    assert "In review" in phone.locator("h1 .badge").inner_text()

    # The editor publishes both and reads the history.
    sign_in(desktop, live_server, editor)
    screenshot(desktop, "dashboard-desktop")
    desktop.goto(site_url)
    desktop.click("button:has-text('Publish')")
    assert "Published" in desktop.locator("h1 .badge").inner_text()
    desktop.goto(record_url)
    desktop.click("button:has-text('Publish')")
    assert "Published" in desktop.locator("h1 .badge").inner_text()
    desktop.goto(f"{site_url}/records/new")
    screenshot(desktop, "worklog-form-desktop")

    desktop.goto(f"{record_url}/history")
    history = desktop.locator("ol.history").inner_text()
    assert "Leyla Editor published" in history
    assert "Rauf Restorer submitted for review" in history
    assert "Rauf Restorer created" in history
    assert "Consolidation of the glazed brick drum" in history
    desktop.goto(f"{site_url}/history")
    assert "Leyla Editor published" in desktop.locator("ol.history").inner_text()

    # And the public sees the site.
    public = browser.new_page(viewport=PHONE)
    public.goto(f"{live_server}/sites?lang=en")
    public.click("text=Garabaghlar Mausoleum")
    assert public.locator("h1").inner_text() == "Garabaghlar Mausoleum"
