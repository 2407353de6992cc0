"""Validation and serialisation of photos: one input schema for the upload form, the API and
the demo loader; output schemas that keep staff-only facts (GPS above all) out of public use."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields

from heritage.media import derivatives
from heritage.schemas.audit import pending_change_field, public_version_field
from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Code, Reference, Text, WholeNumber
from heritage.vocab import LANGUAGES, LICENCES, PHOTO_STAGES


class PhotoInput(InputSchema):
    """The fields staff may write on a photo; the file's own facts come from the file."""

    # What of its site the photo shows, if not the site itself: one at most.
    record_id = Reference()
    object_id = Reference()
    gravestone_id = Reference()
    survey_id = Reference()
    stage = Code(PHOTO_STAGES, load_default="general")
    caption_az = Text(max_length=2000, multiline=True, allow_none=True)
    caption_en = Text(max_length=2000, multiline=True, allow_none=True)
    caption_ru = Text(max_length=2000, multiline=True, allow_none=True)
    alt_az = Text(max_length=500, allow_none=True)
    alt_en = Text(max_length=500, allow_none=True)
    alt_ru = Text(max_length=500, allow_none=True)
    photographer = Text(max_length=200, allow_none=True)
    credit = Text(max_length=300, allow_none=True)
    licence = Code(LICENCES, allow_none=True)
    internal_note = Text(max_length=20000, multiline=True, allow_none=True)


class PhotoUploadForm(PhotoInput):
    """The multipart body of an upload: the file plus PhotoInput's fields (for the API docs)."""

    file = fields.Raw(
        required=True,
        metadata={"type": "string", "format": "binary", "description": "The image file."},
    )


def _by_language(prefix: str):
    return fields.Function(
        lambda photo: {lang: getattr(photo, f"{prefix}_{lang}") for lang in LANGUAGES},
        metadata={"description": "Keyed by language: az, en, ru."},
    )


def derivative_url(photo, name: str, **url_options) -> str:
    """The URL of one of a photo's derivatives (name: "thumb.webp", …), as it is now."""
    return url_for(
        "photos.serve_derivative",
        sha256=photo.sha256,
        key=photo.derivative_key,
        name=name,
        **url_options,
    )


def derivative_links(photo) -> dict[str, dict[str, str]]:
    """{size: {format: URL}} of a photo's derivatives; serialised inside a request only."""
    return {
        size: {ext: derivative_url(photo, f"{size}.{ext}") for ext in derivatives.FORMATS}
        for size in derivatives.SIZES
    }


class PhotoPublic(Schema):
    """A photo as anyone may see it once published: no GPS, no file name, no internal note."""

    id = fields.Integer()
    site_id = fields.Integer()
    record_id = WholeNumber(allow_none=True)
    object_id = WholeNumber(allow_none=True)
    gravestone_id = WholeNumber(allow_none=True)
    survey_id = WholeNumber(allow_none=True)
    stage = fields.String()
    status = fields.String()
    version = public_version_field()
    sha256 = fields.String()
    media_type = fields.String()
    size_bytes = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    captured_at = fields.DateTime(allow_none=True)
    captions = _by_language("caption")
    alt = _by_language("alt")
    photographer = fields.String(allow_none=True)
    credit = fields.String(allow_none=True)
    licence = fields.String(allow_none=True)
    derivatives = fields.Function(
        derivative_links,
        metadata={"description": "{size: {format: URL}}; sizes thumb, display, large."},
    )
    iiif = fields.Function(
        lambda photo: url_for("iiif.info", identifier=photo.iiif_identifier, _external=True),
        metadata={
            "type": "string",
            "description": "The photo's IIIF Image API 3.0 info.json (level 2); it answers "
            "the public once the photo is published.",
        },
    )


class PhotoStaff(PhotoPublic):
    """A photo as staff see it: with the EXIF position and camera, file name and note."""

    version = fields.Integer()

    original_filename = fields.String(allow_none=True)
    camera = fields.String(allow_none=True)
    orientation = fields.Integer(allow_none=True)
    gps = fields.Method(
        "position", allow_none=True, metadata={"description": "From EXIF; staff only."}
    )
    internal_note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    pending_change = pending_change_field()

    def position(self, photo) -> dict | None:
        if photo.gps_latitude is None or photo.gps_longitude is None:
            return None
        return {"latitude": photo.gps_latitude, "longitude": photo.gps_longitude}


class PhotoUploaded(PhotoStaff):
    """The answer to an upload: the photo, and whether it was already in the archive."""

    duplicate = fields.Boolean(
        metadata={"description": "True when an identical file was already in the archive."}
    )
    message = fields.String()
