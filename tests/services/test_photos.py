"""The photo use cases: an upload is all or nothing, photos follow the shared publication
workflow and audit trail, and nothing public ever carries GPS."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from heritage.extensions import db
from heritage.media import MediaStore
from heritage.models import AuditEvent, Photo
from heritage.schemas.photo import PhotoPublic, PhotoStaff
from heritage.services import collection, photos, restorations, sites
from heritage.services.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    MediaUnavailable,
    NotFound,
)
from tests.media import files

DESCRIBED = {"caption_en": "The west façade before work.", "alt_en": "A stone mosque, roofless."}


def upload(site, actor, data=None, name="IMG_1.JPG", **fields):
    data = data or files.jpeg_with_gps()
    return photos.upload_photo(site.id, io.BytesIO(data), name, fields, actor=actor)


def photo_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo))


def media_files(app) -> set[str]:
    return files.tree(Path(app.config["MEDIA_ROOT"]))


def test_upload_makes_a_draft_with_its_original_and_derivatives(ctx, make_site, restorer):
    site = make_site()

    result = upload(site, restorer, stage="general", photographer="Aysel Məmmədova")

    photo = result.photo
    assert not result.duplicate
    assert (photo.status, photo.version, photo.photographer) == ("draft", 1, "Aysel Məmmədova")
    on_disk = media_files(ctx)
    assert f"originals/{photo.sha256[:2]}/{photo.sha256[2:4]}/{photo.sha256}" in on_disk
    made = {path.rsplit("/", 1)[1] for path in on_disk if path.startswith("derivatives/")}
    sizes = {f"{size}.{ext}" for size in ("thumb", "display", "large") for ext in ("webp", "jpg")}
    assert sizes <= made
    assert "pyramid.json" in made, "the IIIF tile pyramid is cut on upload too"


def test_no_row_unless_the_original_is_in_place(ctx, make_site, restorer, monkeypatch):
    site = make_site()

    def disk_full(self, staged):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(MediaStore, "keep_original", disk_full)

    # A folder that refuses the write is the archive's trouble, said as such (503).
    with pytest.raises(MediaUnavailable):
        upload(site, restorer)

    db.session.rollback()
    assert photo_count() == 0
    assert media_files(ctx) == set()


def test_a_failed_commit_takes_back_the_original_it_placed(ctx, make_site, restorer, monkeypatch):
    site = make_site()

    def fail():
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(db.session, "commit", fail)

    with pytest.raises(OperationalError):
        upload(site, restorer)

    monkeypatch.undo()
    db.session.rollback()
    assert photo_count() == 0
    assert media_files(ctx) == set()


def test_publishing_needs_a_caption_and_alt_text(ctx, make_site, editor, restorer):
    site = make_site("published")
    photo = upload(site, restorer).photo
    with pytest.raises(ValidationError) as unsubmitted:
        photos.submit_photo(photo.id, actor=restorer, version=photo.version)
    assert set(unsubmitted.value.normalized_messages()) == {"caption_az", "alt_az"}

    with pytest.raises(Forbidden):
        photos.publish_photo(photo.id, actor=restorer, version=photo.version)
    with pytest.raises(ValidationError) as missing:
        photos.publish_photo(photo.id, actor=editor, version=photo.version)
    assert set(missing.value.normalized_messages()) == {"caption_az", "alt_az"}

    photo = photos.update_photo(photo.id, DESCRIBED, actor=restorer, version=photo.version)
    photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)

    assert photo.status == "published"
    with pytest.raises(ValidationError):
        photos.update_photo(photo.id, {"alt_en": ""}, actor=editor, version=photo.version)
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "photo", AuditEvent.entity_id == photo.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "update", "publish"]


def test_a_withdrawn_photo_returns_to_public_only_with_its_description(ctx, make_site, editor):
    photo = upload(make_site("published"), editor, **DESCRIBED).photo
    photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)
    photo = photos.withdraw_photo(photo.id, actor=editor, version=photo.version, reason="Mixup.")
    photo = photos.update_photo(photo.id, {"alt_en": ""}, actor=editor, version=photo.version)

    with pytest.raises(ValidationError):
        photos.restore_photo(photo.id, actor=editor, version=photo.version)

    db.session.rollback()
    assert photos.get_photo(photo.id, actor=editor).status == "withdrawn"
    photo = photos.update_photo(photo.id, DESCRIBED, actor=editor, version=photo.version)
    assert photos.restore_photo(photo.id, actor=editor, version=photo.version).status == (
        "published"
    )


def test_a_stale_edit_is_refused(ctx, make_site, editor, restorer):
    photo = upload(make_site(), restorer).photo
    photos.update_photo(photo.id, {"caption_az": "Qərb fasadı"}, actor=editor, version=1)

    with pytest.raises(Conflict) as conflict:
        photos.update_photo(photo.id, {"caption_az": "Şərq fasadı"}, actor=restorer, version=1)

    assert conflict.value.changed == {"caption_az": [None, "Qərb fasadı"]}


def test_a_withdrawn_sites_photos_can_be_described_but_none_added(ctx, make_site, editor):
    site = make_site("published")
    photo = upload(site, editor).photo
    site = sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Duplicate.")

    photo = photos.update_photo(photo.id, {"caption_en": "West front"}, actor=editor, version=1)

    assert photo.caption_en == "West front"
    with pytest.raises(InvalidTransition):
        upload(site, editor, name="IMG_2.JPG", data=files.jpeg(seed=2))


def test_before_and_after_photos_belong_to_a_record_of_the_same_site(
    ctx, make_site, make_record, restorer
):
    site = make_site()
    record = make_record(site)

    before = upload(site, restorer, files.jpeg(seed=1), stage="before", record_id=record.id)
    after = upload(site, restorer, files.jpeg(seed=2), stage="after", record_id=record.id)

    db.session.expire_all()
    assert [p.stage for p in restorations.get_record(record.id, actor=restorer).photos] == [
        "before",
        "after",
    ]
    assert before.photo.record_id == after.photo.record_id == record.id


def test_the_public_sees_a_photo_only_when_it_and_everything_above_it_is_published(
    ctx, make_site, make_record, editor
):
    site = make_site("published")
    record = make_record(site)
    photo = upload(site, editor, stage="after", record_id=record.id, **DESCRIBED).photo
    photos.publish_photo(photo.id, actor=editor, version=photo.version)

    def public() -> bool:
        db.session.expire_all()  # the key follows the statuses as they are now
        current = db.session.get(Photo, photo.id)
        try:
            photos.derivative(photo.sha256, current.derivative_key, "thumb.jpg", actor=None)
        except NotFound:
            return False
        return True

    assert not public(), "its restoration record is a draft"
    restorations.publish_record(record.id, actor=editor, version=record.version)
    assert public()
    site = sites.get_site(site.id, actor=editor)
    sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Under review.")
    assert not public(), "its site is withdrawn"
    key = db.session.get(Photo, photo.id).derivative_key
    assert photos.derivative(photo.sha256, key, "thumb.jpg", actor=editor).public is False


def test_gps_stays_with_staff_even_on_a_sensitive_site(app, ctx, make_site, editor):
    site = make_site("published", location_sensitive=True)
    photo = upload(site, editor, **DESCRIBED).photo
    photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)

    with app.test_request_context():
        public = PhotoPublic().dump(photo)
        staff = PhotoStaff().dump(photo)

    assert staff["gps"] == {"latitude": files.LATITUDE, "longitude": files.LONGITUDE}
    assert not {"gps", "gps_latitude", "original_filename", "internal_note", "camera"} & set(public)
    assert str(files.LATITUDE) not in str(public)
    found = photos.derivative(photo.sha256, photo.derivative_key, "large.jpg", actor=None)
    assert found.public
    assert b"GPS" not in found.path.read_bytes()
    assert b"Exif" not in found.path.read_bytes()


def test_staff_reads_check_their_permission_in_the_service(
    ctx, make_site, make_record, make_object, editor
):
    """Reading drafts is a permission like writing: no door can forget it."""
    site = make_site("draft")
    photo = upload(site, editor).photo
    record, obj = make_record(site), make_object(site)
    reads = [
        lambda actor: sites.get_site(site.id, actor=actor),
        lambda actor: sites.list_sites(actor=actor),
        lambda actor: restorations.get_record(record.id, actor=actor),
        lambda actor: collection.get_object(obj.id, actor=actor),
        lambda actor: photos.get_photo(photo.id, actor=actor),
    ]
    editor.active = False  # a deactivated account reads nothing either
    for read in reads:
        with pytest.raises(Forbidden):
            read(None)
        with pytest.raises(Forbidden):
            read(editor)
    editor.active = True
    assert all(read(editor) is not None for read in reads)
