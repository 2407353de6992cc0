"""The field photo flow as a restorer meets it: "Add photos" from a record, the record's
photos grouped by stage, and a photo page that puts its description and workflow before its
file's technical facts, with the original a plain download link."""

from __future__ import annotations

import re

from heritage.services import restorations


def test_a_record_offers_add_photos_and_shows_its_photos_by_stage(
    client, sign_in, restorer, make_site, make_photo
):
    site = make_site("published")
    record = restorations.create_record(
        site.id, {"title": "Roof repair", "work_type": "conservation", "work_status": "planned"},
        actor=restorer,
    )  # fmt: skip
    after = make_photo(site, record=record, stage="after", status="draft", caption_en="After")
    before = make_photo(site, record=record, stage="before", status="draft", caption_en="Before")
    sign_in(restorer)

    page = client.get(f"/staff/records/{record.id}?lang=en").get_data(as_text=True)

    add = re.search(r'href="([^"]+)">Add photos</a>', page).group(1).replace("&amp;", "&")
    assert add == f"/staff/sites/{site.id}/photos?record_id={record.id}#upload-heading"
    upload = client.get(add.split("#")[0]).get_data(as_text=True)
    assert re.search(rf'<option value="{record.id}" selected>Roof repair</option>', upload)
    photos_part = page.split('id="record-photos"')[1]
    assert photos_part.index("<h3>Before</h3>") < photos_part.index(f"/staff/photos/{before.id}")
    assert photos_part.index(f"/staff/photos/{before.id}") < photos_part.index("<h3>After</h3>")
    assert photos_part.index("<h3>After</h3>") < photos_part.index(f"/staff/photos/{after.id}")
    assert "<h3>During</h3>" not in photos_part


def test_the_photo_page_puts_description_and_workflow_before_the_file_facts(
    client, sign_in, editor, make_site, make_photo
):
    photo = make_photo(make_site("published"), status="draft")
    sign_in(editor)

    page = client.get(f"/staff/photos/{photo.id}?lang=en").get_data(as_text=True)

    main = page.split("<main")[1]
    assert main.index("Submit for review") < main.index('id="describe"')
    assert main.index('id="describe"') < main.index('id="file-facts"')
    assert main.index('id="file-facts"') < main.index("SHA-256")
    download = re.search(r'<a ([^>]*)href="[^"]+/original">Download the original</a>', main)
    assert download is not None
    assert "button" not in download.group(1)
