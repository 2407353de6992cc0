"""A restorer uploads several photos from a phone: a progress bar per file and one for all,
a clear message for the file that is not a photo, then describes one and an editor publishes
it. In a real browser, against the real app."""

from __future__ import annotations

import re

from sqlalchemy import select

from heritage.extensions import db
from heritage.models import Photo
from tests.browser.conftest import PHONE
from tests.browser.test_staff_journey import sign_in
from tests.media import files


def test_upload_several_photos_from_a_phone(browser, live_server, make_site, make_user, screenshot):
    site = make_site("published", name_en="Shusha Fortress")
    restorer = make_user("restorer", name="Rauf Restorer")
    phone = browser.new_page(viewport=PHONE)
    sign_in(phone, live_server, restorer)

    phone.goto(f"{live_server}/staff/sites/{site.id}/photos?lang=en")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.select_option("#stage", "before")
    phone.set_input_files(
        "#file",
        files=[
            {"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": files.jpeg_with_gps(1)},
            {"name": "Кладбище.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg(seed=2)},
            {"name": "page.jpg", "mimeType": "image/jpeg", "buffer": files.HTML},
        ],
    )
    phone.click("#upload-form button[type=submit]")

    finished = phone.locator("#upload-list li.upload-saved, #upload-list li.upload-refused")
    finished.nth(2).wait_for()
    screenshot(phone, "photo-upload-phone")
    rows = phone.locator("#upload-list li")
    assert rows.nth(0).locator(".upload-status").inner_text() == "“IMG_0001.JPG” was saved."
    assert rows.nth(1).locator(".upload-status").inner_text() == "“Кладбище.jpg” was saved."
    assert "“page.jpg” was not saved" in rows.nth(2).locator(".upload-status").inner_text()
    for n in range(3):
        bar = rows.nth(n).locator("progress")
        assert bar.get_attribute("value") == bar.get_attribute("max")
    assert phone.locator("#upload-summary").inner_text() == "3 of 3 files done"
    assert phone.locator("#upload-done").is_visible()
    assert phone.evaluate(
        "document.getElementById('upload-overall').value"
        " === document.getElementById('upload-overall').max"
    )

    # Describe the first photo on its own page, from the link in its row.
    rows.nth(0).locator("a").click()
    phone.wait_for_url(re.compile(r".*/staff/photos/\d+$"))
    phone.fill("#caption_en", "The north wall before consolidation.")
    phone.fill("#alt_en", "A stone wall with a wide crack.")
    phone.click("form.form button[type=submit]")
    phone.click("button:has-text('Submit for review')")
    assert "In review" in phone.locator("h1 .badge").inner_text()
    screenshot(phone, "photo-page-phone")

    db.session.rollback()
    stored = db.session.scalars(select(Photo).order_by(Photo.id)).all()
    assert [(p.original_filename, p.stage) for p in stored] == [
        ("IMG_0001.JPG", "before"),
        ("Кладбище.jpg", "before"),
    ]
    assert stored[0].status == "in_review"
