"""Photos in bulk from a ZIP: each file through the upload's own checks, with a manifest or
by folder, a dry run that stores nothing, and hostile members refused one by one."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import Photo
from heritage.services import importing
from tests.media import files


def pack(members: dict[str, bytes], *, compress: bool = False) -> io.BytesIO:
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def photos_stored() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Photo))


def originals(app) -> list[Path]:
    return [p for p in (Path(app.config["MEDIA_ROOT"]) / "originals").rglob("*") if p.is_file()]


def run(buffer, actor, *, dry_run: bool):
    return importing.import_file(buffer, "photos.zip", actor=actor, dry_run=dry_run)


def manifest(site) -> bytes:
    return (
        "file,site,stage,caption_en,alt_en,photographer\n"
        f"north.jpg,{site.inventory_number},before,North wall,The north wall,A. Aliyev\n"
        f"south.jpg,{site.slug},Sonra,South wall,The south wall,\n"
    ).encode()


def test_a_dry_run_checks_every_file_and_stores_nothing(app, make_site, restorer):
    site = make_site(inventory_number="INV-77")
    zipped = {"manifest.csv": manifest(site), "north.jpg": files.jpeg(1)}
    zipped["south.jpg"] = files.jpeg(2)
    report = run(pack(zipped), restorer, dry_run=True)
    assert report.problems == []
    assert [o.action for o in report.outcomes] == ["create", "create"]
    assert photos_stored() == 0
    assert originals(app) == []


def test_the_manifest_describes_each_photo(app, make_site, restorer):
    site = make_site(inventory_number="INV-77")
    zipped = {"manifest.csv": manifest(site), "north.jpg": files.jpeg(1)}
    zipped["south.jpg"] = files.jpeg(2)
    report = run(pack(zipped), restorer, dry_run=False)
    assert report.problems == []
    assert report.written
    stored = db.session.scalars(select(Photo).order_by(Photo.id)).all()
    assert [(p.original_filename, p.stage, p.caption_en, p.status) for p in stored] == [
        ("north.jpg", "before", "North wall", "draft"),
        ("south.jpg", "after", "South wall", "draft"),
    ]
    assert stored[0].photographer == "A. Aliyev"
    assert len(originals(app)) == 2
    again = run(pack(zipped), restorer, dry_run=False)
    assert [o.action for o in again.outcomes] == ["unchanged", "unchanged"], "duplicates"
    assert photos_stored() == 2


def test_without_a_manifest_the_folder_names_the_site(make_site, restorer):
    site = make_site()
    report = run(pack({f"{site.slug}/view.jpg": files.jpeg(3)}), restorer, dry_run=False)
    assert report.problems == []
    assert db.session.scalar(select(Photo.site_id)) == site.id


def test_hostile_members_are_refused_one_by_one(app, make_site, restorer):
    site = make_site()
    folder = site.slug
    members = {
        f"{folder}/good.jpg": files.jpeg(4),
        f"{folder}/copy.jpg": files.jpeg(4),
        "../outside.jpg": files.jpeg(5),
        f"{folder}/notes.jpg": b"not a picture at all",
        f"{folder}/bomb.jpg": b"\0" * (20 * 1024 * 1024),
        "nowhere/lost.jpg": files.jpeg(6),
    }
    report = run(pack(members, compress=True), restorer, dry_run=False)
    refused = {p.value: str(p.message) for p in report.problems}
    assert "outside" in refused["../outside.jpg"]
    assert "ZIP bomb" in refused[f"{folder}/bomb.jpg"]
    assert "same picture" in refused[f"{folder}/copy.jpg"]
    assert "notes.jpg" in refused[f"{folder}/notes.jpg"]
    assert "No site" in refused["nowhere"]
    assert [o.key for o in report.outcomes if o.action == "create"] == [
        f"{folder}: photo {db.session.scalar(select(Photo.id))}"
    ]
    assert photos_stored() == 1
    assert len(originals(app)) == 1


def test_a_file_that_is_no_zip_and_a_manifest_naming_missing_files(make_site, restorer):
    not_zip = run(io.BytesIO(b"plain text"), restorer, dry_run=True)
    assert (not_zip.problems[0].row, "ZIP" in str(not_zip.problems[0].message)) == (0, True)
    site = make_site(inventory_number="INV-77")
    report = run(pack({"manifest.csv": manifest(site), "north.jpg": files.jpeg(1)}), restorer,
                 dry_run=True)  # fmt: skip
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "file", "south.jpg")]
