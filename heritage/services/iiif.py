"""IIIF Image API 3.0 for photos: which photo an address names and who may see it, its
info.json, and its pictures, from the tile pyramid (see media/iiif.py).

The public gate is the one every public page uses (public.published_photos): a draft, a
staff-only photo, or any photo of an unpublished or withdrawn site or record is NotFound,
exactly like an id never used. Signed-in staff see every photo through the same addresses,
marked not public so that nothing caches it for anyone else.

An image's identifier is `<photo id>-<derivative key>` (Photo.iiif_identifier): the key
changes whenever the photo, its site or its record changes status, so what caches keep
under one publication is never linked again after a withdrawal, and an identifier with an
earlier key is NotFound even once the photo is published again. A bare photo id still
names the photo, for the address to be sent on to its current identifier.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask import current_app

from heritage import __version__, media
from heritage.extensions import db
from heritage.media import derivatives, iiif
from heritage.models import Photo, User
from heritage.services import slots
from heritage.services.errors import Busy, NotFound, ServiceError
from heritage.services.permissions import can
from heritage.services.photos import making_from_original, media_store
from heritage.services.public import published_photos
from heritage.text import N_

Refused = iiif.Refused
# How long a request waits for the tiles of its photo to be cut, in seconds (a 24-megapixel
# photo takes about two).
_CUTTING_WAIT = 10.0


@dataclass(frozen=True)
class Source:
    """A photo an IIIF address names, as the caller may see it."""

    photo: Photo
    # Whether anyone may see it (published), or only signed-in staff.
    public: bool
    # Whether the address named it by a bare id rather than by its current identifier.
    bare: bool = False

    @property
    def full(self) -> tuple[int, int]:
        return self.photo.width, self.photo.height


@dataclass(frozen=True)
class Picture:
    """An image response: a stored tile as it is, or a picture composed for the request."""

    media_type: str
    etag: str
    canonical: str
    data: bytes


class RenderBusy(Busy):
    """Every IIIF render slot of this host stayed taken: try again shortly."""

    retry_after = 2

    def __init__(self) -> None:
        ServiceError.__init__(
            self, N_("The archive is making many images at the moment. Try again shortly.")
        )


_IDENTIFIER = re.compile(r"([0-9]{1,18})(?:-([0-9a-f]{16}))?")


def source(identifier: str, *, actor: User | None) -> Source:
    """The photo an identifier names (its current identifier, or its bare id), if the
    caller may see it; else NotFound."""
    match = _IDENTIFIER.fullmatch(identifier)
    if match is None:
        raise NotFound(N_("No such image."))
    photo_id, key = int(match.group(1)), match.group(2)
    photo = db.session.scalar(published_photos().where(Photo.id == photo_id))
    public = photo is not None
    if photo is None and can(actor, "read"):
        photo = db.session.get(Photo, photo_id)
    if photo is None or (key is not None and key != photo.derivative_key):
        raise NotFound(N_("No such image."))
    return Source(photo, public=public, bare=key is None)


def max_area() -> int:
    return current_app.config["IIIF_MAX_AREA"]


def largest_size(photo: Photo) -> tuple[int, int]:
    """The size of the photo's full/max picture (smaller than the photo past max_area)."""
    full = iiif.parse("full", "max", "0", "default.jpg", (photo.width, photo.height), max_area())
    return full.width, full.height


def info(found: Source, service_id: str) -> dict:
    """The photo's info.json, whose id is `service_id` (the address it was asked at)."""
    return iiif.info(service_id, found.full, max_area())


def info_etag(found: Source, service_id: str) -> str:
    return _etag(found, f"info:{service_id}")


def picture(found: Source, region: str, size: str, rotation: str, quality: str) -> Picture:
    """The picture a request asks for; Refused (400, 501) if it cannot be answered, NotFound
    if the original cannot be read, RenderBusy if this host is making too many at once."""
    request = iiif.parse(region, size, rotation, quality, found.full, max_area())
    canonical = request.canonical(found.full)
    etag = _etag(found, canonical)
    tile = iiif.tile_of(request, found.full)
    pyramid = media.pyramid.Pyramid.of(media_store(), found.photo.sha256)
    if tile is not None and pyramid.complete:
        try:
            data = pyramid.tile_path(*tile).read_bytes()
        except FileNotFoundError:  # the pyramid was being rebuilt: it is made again below
            pass
        else:
            return Picture(request.media_type, etag, canonical, data)
    config = current_app.config
    # No waiting to compose: a request waiting for a slot holds a worker as surely as one
    # rendering. A viewer's first requests for a photo whose tiles are not cut yet (deleted
    # derivatives) come at once, though: they wait while one of them cuts the tiles, then
    # find them made.
    wait = 0 if pyramid.complete else _CUTTING_WAIT
    with slots.slot(
        current_app.instance_path, "iiif", config["IIIF_CONCURRENCY"], wait=wait
    ) as held:
        if not held:
            raise RenderBusy()
        pyramid = _pyramid(found.photo)
        try:
            if tile is not None:
                data = pyramid.tile_path(*tile).read_bytes()
            else:
                pixels = iiif.render(pyramid, request, found.full)
                data = derivatives.encode(pixels, request.format)
        except FileNotFoundError:  # `heritage derivatives --rebuild` swapped the pyramid
            raise RenderBusy() from None
    return Picture(request.media_type, etag, canonical, data)


def _pyramid(photo: Photo) -> media.pyramid.Pyramid:
    with making_from_original(f"the tiles of photo {photo.id}"):
        return media.tile_pyramid(
            media_store(), photo.sha256, max_pixels=current_app.config["MAX_IMAGE_PIXELS"]
        )


def _etag(found: Source, what: str) -> str:
    """Covers the code, the original's checksum and every parameter of the response."""
    validator = f"{__version__}:{found.photo.sha256}:{max_area()}:{what}"
    return hashlib.blake2b(validator.encode(), digest_size=12).hexdigest()
