"""Use cases for photos: upload, describe, publish, serve, verify.

An upload is kept only if it is a real image that decodes completely: the bytes are staged
and hashed, decoded, then linked into media/originals under their hash inside the database
transaction that adds the photo's row, so the row is committed only once its original is in
place, and a refused upload leaves neither. Derivatives are made after the commit; they are
derived data and an upload never fails for want of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import func, select

from heritage import media
from heritage.extensions import db
from heritage.media import derivatives, fixity
from heritage.models import FixityRun, Photo, Site, User, utcnow
from heritage.schemas.photo import PhotoInput
from heritage.services import editing, parts, slots
from heritage.services.errors import (
    Busy,
    InvalidTransition,
    MediaUnavailable,
    NotFound,
    ServiceError,
)
from heritage.services.permissions import can, require
from heritage.services.public import published_photos
from heritage.services.transaction import write_transaction
from heritage.text import N_, Message
from heritage.vocab import PUBLISHED, WITHDRAWN

# The file's own facts, kept in the audit trail of a new photo besides its editable fields.
# GPS stays out of it: the position is kept once, on the photo, where staff-only rules hold.
_FILE_FACTS = [
    "sha256",
    "size_bytes",
    "media_type",
    "width",
    "height",
    "original_filename",
    "captured_at",
    "camera",
]


# What of its site a photo may show besides the site itself.
SUBJECTS = ("record_id", "object_id", "gravestone_id", "survey_id")


@dataclass(frozen=True)
class PhotoKind(editing.Kind):
    """Photos in the shared life cycle; their history also names the file they hold."""

    @property
    def fields(self) -> list[str]:
        return [*super().fields, "site_id", *_FILE_FACTS]

    def update(self, photo: Photo, data: dict, *, actor: User, **event) -> editing.Saved:
        values = editing.validate_update(self, photo, data, actor=actor)
        _check_target(photo.site_id, values, adding=False)
        if photo.status == PUBLISHED:
            _require_publishable(values)
        return editing.save(self, photo, values, actor=actor, **event)


PHOTO = PhotoKind(name="photo", label=N_("photo"), model=Photo, schema=PhotoInput)


class UploadRefused(ServiceError):
    """The file is not one the archive keeps (not an image, damaged, too many pixels);
    `said` is why, for the page to say in its reader's language."""

    def __init__(self, said: Message, status_code: int) -> None:
        super().__init__(str(said))
        self.said = said
        self.status_code = status_code


@dataclass(frozen=True)
class UploadResult:
    photo: Photo | None  # None: only checked
    # True when the same file was already in the archive: nothing new was stored.
    duplicate: bool
    said: Message

    @property
    def message(self) -> str:
        return str(self.said)


@dataclass(frozen=True)
class Derivative:
    path: Path
    media_type: str
    # Whether anyone may see it (a published photo), or only signed-in staff.
    public: bool


@dataclass
class DerivativesReport:
    built: int = 0
    skipped: int = 0
    removed: int = 0
    # (photo id, why its derivatives could not be made)
    failed: list[tuple[int, str]] = field(default_factory=list)


# Pictures decoded at once on this host, by all its processes (file-lock slots: gunicorn's
# workers are processes): a decode takes up to four bytes a pixel of MAX_IMAGE_PIXELS (about
# 460 MiB at the default 120 MP; see README, Photos), so two bound them to under 1 GiB.
DECODES = 2
# How long an upload, or a derivative made on first request, waits for a slot, in seconds;
# then DecodeBusy (503 with Retry-After). An upload's decode takes a few seconds at most.
DECODE_WAIT = 20.0


class DecodeBusy(Busy):
    """Every decode slot of this host stayed taken: nothing was saved; try again shortly."""

    retry_after = 10

    def __init__(self) -> None:
        ServiceError.__init__(
            self, N_("The archive is making many images at the moment. Try again shortly.")
        )


@contextmanager
def decoding() -> Iterator[None]:
    """Hold one of the host's DECODES slots for decoding a picture; DecodeBusy if none
    frees up within DECODE_WAIT seconds."""
    with slots.slot(current_app.instance_path, "decode", DECODES, wait=DECODE_WAIT) as held:
        if not held:
            raise DecodeBusy()
        yield


def media_store() -> media.MediaStore:
    """The application's media folder."""
    return media.MediaStore(current_app.config["MEDIA_ROOT"])


# --- upload ---------------------------------------------------------------------------------


def staging_file() -> media.StagingFile:
    """A new staging file in the media folder, for an upload's body to stream into."""
    with _writing_media():
        return media_store().staging_file()


@contextmanager
def _writing_media() -> Iterator[None]:
    """A write into the media folder that fails (read-only, full, not a folder) is the
    folder's state, not the request's fault: MediaUnavailable, with the cause logged."""
    try:
        yield
    except OSError as error:
        current_app.logger.error("the media folder refused a write: %s", error)
        raise MediaUnavailable() from None


@contextmanager
def making_from_original(what: str) -> Iterator[None]:
    """Derived data being made from an original, into the media folder: a missing original
    or one refused is NotFound (the image cannot be shown), a refused write MediaUnavailable."""
    with _writing_media():
        try:
            yield
        except (FileNotFoundError, media.ImageRefused) as error:
            # A missing original is also what `heritage fixity` reports; a refused one was
            # accepted under a larger pixel limit than today's.
            current_app.logger.error("cannot make %s: %s", what, error)
            raise NotFound(N_("This image cannot be shown at the moment.")) from None


def upload_photo(
    site_id: int,
    stream: BinaryIO,
    filename: str | None,
    data: dict,
    *,
    actor: User,
    check_only: bool = False,
) -> UploadResult:
    """Add an image file to a site as a draft, optionally of one of its restoration records,
    collection objects, gravestones or condition surveys.

    An identical file already in the archive is reported, not stored twice. `check_only`
    (a dry run) makes every check and stores nothing: the result then has no photo.
    """
    require(actor, "photo.upload")
    name = clean_filename(filename)
    values = editing.validate_create(PHOTO, data)
    _check_target(site_id, values)
    store = media_store()
    with _writing_media():
        staged = store.receive(stream)
    with staged:
        existing = _photo_with_sha256(staged.sha256)
        if existing is not None:
            return _duplicate(existing, name)
        try:
            with decoding():
                examined = media.examine(
                    staged.path,
                    max_pixels=current_app.config["MAX_IMAGE_PIXELS"],
                    default_offset=current_app.config["EXIF_DEFAULT_UTC_OFFSET"],
                )
        except media.ImageRefused as refusal:
            said = Message(
                N_("%(file)s was not saved. %(reason)s"),
                {"file": _label(name), "reason": refusal.said},
            )
            raise UploadRefused(said, refusal.status) from None
        if check_only:
            said = Message(N_("%(file)s would be saved."), {"file": _label(name)})
            return UploadResult(None, duplicate=False, said=said)
        placed = False
        try:
            with write_transaction():
                _check_target(site_id, values)
                existing = _photo_with_sha256(staged.sha256)
                if existing is not None:  # an identical upload committed meanwhile
                    return _duplicate(existing, name)
                facts = examined.exif
                photo = editing.insert(
                    PHOTO,
                    {
                        **values,
                        "site_id": site_id,
                        "sha256": staged.sha256,
                        "size_bytes": staged.size,
                        "media_type": examined.media_type,
                        "width": examined.width,
                        "height": examined.height,
                        "original_filename": name,
                        "captured_at": facts.captured_at,
                        "camera": facts.camera,
                        "orientation": facts.orientation,
                        "gps_latitude": facts.latitude,
                        "gps_longitude": facts.longitude,
                    },
                    actor=actor,
                )
                # After the row's insert (which holds its unique hash until commit, so a
                # concurrent identical upload waits) and before the commit.
                with _writing_media():
                    placed = store.keep_original(staged)
        except BaseException:
            if placed:  # this use case put the file there and its row never committed
                store.remove_new_original(staged.sha256)
            raise
    try:
        media.write_derivatives(
            store, photo.sha256, examined, max_pixels=current_app.config["MAX_IMAGE_PIXELS"]
        )
    except Exception:  # derivatives are remade on first request; the original is safe
        current_app.logger.exception("derivatives of photo %s failed", photo.id)
    said = Message(N_("%(file)s was saved."), {"file": _label(name)})
    return UploadResult(photo, duplicate=False, said=said)


def clean_filename(filename: str | None) -> str | None:
    """The uploader's file name as metadata: NFC, no control characters, at most 255."""
    if not filename:
        return None
    text = unicodedata.normalize("NFC", filename)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    return text[:255] or None


def _label(name: str | None) -> str | Message:
    """How messages name an uploaded file."""
    return f"“{name}”" if name else Message(N_("The file"))


def _duplicate(existing: Photo, name: str | None) -> UploadResult:
    said = Message(
        N_("%(file)s is already in the archive as photo %(id)s of “%(site)s”; nothing new saved."),
        {"file": _label(name), "id": existing.id, "site": existing.site.names},
    )
    return UploadResult(existing, duplicate=True, said=said)


def _photo_with_sha256(sha256: str) -> Photo | None:
    return db.session.scalar(select(Photo).where(Photo.sha256 == sha256))


def _check_target(site_id: int, values: dict, *, adding: bool = True) -> None:
    """The site exists and, when a photo is being added, is not withdrawn; the record,
    object, gravestone or survey it shows, if any (one at most), is of that site. (The
    photos a withdrawn site has can still be edited, as its restoration records can.)"""
    site = db.session.get(Site, site_id)
    if site is None:
        raise NotFound(
            Message(N_("No %(kind)s with id %(id)s."), {"kind": Message(N_("site")), "id": site_id})
        )
    if adding and site.status == WITHDRAWN:
        raise InvalidTransition(N_("This site is withdrawn; restore it before adding photos."))
    parts.check_parts(site.id, values, SUBJECTS, one_of=True)


# --- reading and editing --------------------------------------------------------------------


def get_photo(photo_id: int, *, actor: User | None) -> Photo:
    """A photo of any status, for staff."""
    return editing.get(PHOTO, photo_id, actor=actor)


def site_photos(site_id: int) -> list[Photo]:
    """Every photo of a site, for staff: the site's own first, then each record's, in order."""
    query = (
        select(Photo)
        .where(Photo.site_id == site_id)
        .order_by(Photo.record_id.is_not(None), Photo.record_id, Photo.id)
    )
    return list(db.session.scalars(query))


def recent_photos(status: str | None = None, limit: int = 100) -> list[Photo]:
    """The latest photos, optionally of one publication status, for staff."""
    query = select(Photo).order_by(Photo.id.desc()).limit(limit)
    if status:
        query = query.where(Photo.status == status)
    return list(db.session.scalars(query))


def update_photo(photo_id: int, data: dict, *, actor: User, version: int) -> Photo:
    """Change a photo's description, refusing a stale version."""
    return editing.update(PHOTO, photo_id, data, actor=actor, version=version)


def change_photo_status(
    photo_id: int, action: str, *, actor: User, version: int, note: str | None = None
) -> Photo:
    """Take the workflow step named `action` (submit, publish, send_back, withdraw, restore)."""
    if action == "submit":
        return submit_photo(photo_id, actor=actor, version=version)
    if action == "publish":
        return publish_photo(photo_id, actor=actor, version=version)
    if action == "restore":
        return restore_photo(photo_id, actor=actor, version=version)
    return editing.transition(PHOTO, photo_id, action, actor=actor, version=version, note=note)


def submit_photo(photo_id: int, *, actor: User, version: int) -> Photo:
    """Send a draft photo for an editor's review; like publishing, it needs a caption and
    alt text first (an editor cannot publish what lacks them)."""
    require(actor, "photo.submit")
    with write_transaction():
        photo = editing.load_for_write(PHOTO, photo_id)
        editing.check_version(PHOTO, photo, version)
        _require_publishable(PhotoInput().dump(photo))
        return editing.transition(PHOTO, photo_id, "submit", actor=actor, version=version)


def publish_photo(photo_id: int, *, actor: User, version: int) -> Photo:
    """Make a photo public; it needs a caption and alt text first."""
    require(actor, "photo.publish")
    with write_transaction():
        photo = editing.load_for_write(PHOTO, photo_id)
        editing.check_version(PHOTO, photo, version)
        _require_publishable(PhotoInput().dump(photo))
        return editing.transition(PHOTO, photo_id, "publish", actor=actor, version=version)


def send_back_photo(photo_id: int, *, actor: User, version: int, comment: str) -> Photo:
    """Return a photo under review to its authors as a draft, with a comment."""
    return editing.transition(
        PHOTO, photo_id, "send_back", actor=actor, version=version, note=comment
    )


def withdraw_photo(photo_id: int, *, actor: User, version: int, reason: str) -> Photo:
    """Take a photo out of public view, with a reason; the original stays."""
    return editing.transition(
        PHOTO, photo_id, "withdraw", actor=actor, version=version, note=reason
    )


def restore_photo(photo_id: int, *, actor: User, version: int) -> Photo:
    """Bring a withdrawn photo back to the status it had; back to public only if described."""
    with write_transaction():
        photo = editing.transition(PHOTO, photo_id, "restore", actor=actor, version=version)
        if photo.status == PUBLISHED:
            _require_publishable(PhotoInput().dump(photo))
    return photo


def _require_publishable(values: dict) -> None:
    """A photo in review or public has a caption and alt text, each in at least one
    language."""
    errors = {}
    if not any(values.get(f"caption_{lang}") for lang in ("az", "en", "ru")):
        errors["caption_az"] = [
            N_(
                "Add a caption in at least one language: a photo needs one before it is "
                "submitted for review or published."
            )
        ]
    if not any(values.get(f"alt_{lang}") for lang in ("az", "en", "ru")):
        errors["alt_az"] = [
            N_(
                "Add alt text (what the photo shows, for people who cannot see it) in at "
                "least one language: a photo needs it before it is submitted for review or "
                "published."
            )
        ]
    if errors:
        raise ValidationError(errors)


# --- serving --------------------------------------------------------------------------------


def derivative(sha256: str, key: str, name: str, *, actor: User | None) -> Derivative:
    """A derivative to serve: of a published photo to anyone, of any photo to staff, under
    the photo's current derivative key.

    Made on first request if missing. NotFound alike for a photo that does not exist, one
    the caller may not see (so drafts do not reveal themselves) and an address of an
    earlier publication (so a withdrawn photo's cached copies are not served again).
    """
    if name not in derivatives.names() or not media.is_sha256(sha256):
        raise NotFound(N_("No such image."))
    photo = db.session.scalar(published_photos().where(Photo.sha256 == sha256))
    is_public = photo is not None
    if not is_public and can(actor, "read"):
        photo = _photo_with_sha256(sha256)
    if photo is None or photo.derivative_key != key:
        raise NotFound(N_("No such image."))
    with making_from_original(f"derivative {name} of {sha256}"):  # a missing set is made now
        path = media.derivative_file(
            media_store(),
            sha256,
            name,
            max_pixels=current_app.config["MAX_IMAGE_PIXELS"],
            decoding=decoding,
        )
    return Derivative(path=path, media_type=derivatives.media_type(name), public=is_public)


def original(photo_id: int, *, actor: User | None) -> tuple[Photo, Path]:
    """The photo and its original file, for signed-in staff only."""
    photo = get_photo(photo_id, actor=actor)
    path = media_store().original_path(photo.sha256)
    if not path.is_file():
        raise NotFound(
            "The original file of this photo is missing from the media folder. "
            "Run `heritage fixity` and restore it from a backup."
        )
    return photo, path


def original_download_name(photo: Photo) -> str:
    """A name for the downloaded original made by the archive, never from the uploader's."""
    return f"photo-{photo.id}-{photo.sha256[:12]}.{media.EXTENSIONS.get(photo.media_type, 'bin')}"


# --- operations -----------------------------------------------------------------------------


def build_derivatives(
    *, rebuild: bool, progress: Callable[[int], None] | None = None
) -> DerivativesReport:
    """Make missing derivatives and IIIF tile pyramids (all of them with `rebuild`, which
    also drops orphans)."""
    store = media_store()
    photos = db.session.execute(select(Photo.id, Photo.sha256).order_by(Photo.id)).all()
    db.session.rollback()  # no transaction stays open through the long work below
    report = DerivativesReport()
    names = derivatives.names()
    max_pixels = current_app.config["MAX_IMAGE_PIXELS"]
    for photo_id, sha256 in photos:
        if not rebuild and _derivatives_complete(store, sha256, names):
            report.skipped += 1
        else:
            try:
                with decoding():
                    media.rebuild_derivatives(store, sha256, max_pixels=max_pixels)
                    media.pyramid.build(store, sha256, max_pixels=max_pixels)
                report.built += 1
            except DecodeBusy:
                report.failed.append((photo_id, "the host stayed busy decoding; run it again"))
            except FileNotFoundError:
                report.failed.append((photo_id, "the original is missing"))
            except media.ImageRefused as refusal:
                report.failed.append((photo_id, refusal.message))
            except Exception as error:  # an original Pillow can no longer read
                report.failed.append((photo_id, f"the original cannot be decoded ({error})"))
        if progress:
            progress(1)
    if rebuild:
        known = {sha256 for _photo_id, sha256 in photos}
        report.removed = store.remove_derivatives_except(known)
    return report


def _derivatives_complete(store: media.MediaStore, sha256: str, names: list[str]) -> bool:
    """Whether every resized copy and the IIIF tile pyramid of an original are there."""
    return media.pyramid.Pyramid.of(store, sha256).complete and all(
        store.derivative_path(sha256, name).exists() for name in names
    )


def photo_count() -> int:
    """How many photos the archive holds, of any status."""
    return db.session.scalar(select(func.count()).select_from(Photo)) or 0


def fixity_bytes() -> int:
    """How many bytes `check_fixity` will read."""
    return fixity.total_bytes(media_store())


def check_fixity(progress: Callable[[int], None] | None = None) -> FixityRun:
    """Re-hash every original, record the run with its findings, and return it.

    Reports what is changed, missing or untracked; it never repairs anything.
    """
    store = media_store()
    started = utcnow()
    expected: dict[str, int] = dict(db.session.execute(select(Photo.sha256, Photo.id)).all())
    db.session.rollback()  # no transaction stays open while every original is read
    findings = fixity.check(store, set(expected), progress)
    # An original uploaded while the files were being read is new, not untracked.
    findings.untracked = _still_untracked(store, findings.untracked)
    with write_transaction():
        run = FixityRun(
            started_at=started,
            finished_at=utcnow(),
            photos=len(expected),
            files=findings.files,
            bytes_read=findings.bytes_read,
            changed=[
                {"photo_id": expected[sha], "sha256": sha, "path": path, "found_sha256": found}
                for sha, path, found in findings.changed
            ],
            missing=[
                {
                    "photo_id": expected[sha],
                    "sha256": sha,
                    "path": str(store.original_path(sha).relative_to(store.root)),
                }
                for sha in findings.missing
            ],
            untracked=[{"path": path, "sha256": found} for path, found in findings.untracked],
        )
        db.session.add(run)
    return run


def _still_untracked(
    store: media.MediaStore, untracked: list[tuple[str, str | None]]
) -> list[tuple[str, str | None]]:
    """The untracked files that no photo accounts for even now."""
    claimed = {path: store.sha256_of_path(store.root / path) for path, _found in untracked}
    hashes = {sha for sha in claimed.values() if sha}
    known = set(db.session.scalars(select(Photo.sha256).where(Photo.sha256.in_(hashes))))
    db.session.rollback()
    return [(path, found) for path, found in untracked if claimed[path] not in known]


def last_fixity_run() -> FixityRun | None:
    """The most recent fixity run, if any."""
    return db.session.scalar(select(FixityRun).order_by(FixityRun.id.desc()).limit(1))


def fixity_verdict(photo: Photo, run: FixityRun | None) -> str:
    """What the last fixity run says of a photo: verified, changed, missing or unchecked."""
    if run is None or photo.created_at > run.started_at:
        return "unchecked"
    if any(entry["sha256"] == photo.sha256 for entry in run.changed):
        return "changed"
    if any(entry["sha256"] == photo.sha256 for entry in run.missing):
        return "missing"
    return "verified"
