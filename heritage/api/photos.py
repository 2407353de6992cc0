"""Photos in the JSON API: upload, list, read, describe, workflow steps, history, and the
original file for staff. Each photo lists the URLs of its derivatives."""

from __future__ import annotations

from flask import request, send_file, url_for
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields, validate

from heritage.api import auth
from heritage.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    ItemDocs,
    Resource,
    add_item_endpoints,
    add_list_endpoint,
    documented,
)
from heritage.api.errors import guard, in_language, problem
from heritage.api.http import (
    PageArgs,
    etag_header,
    patch_schema,
)
from heritage.bodies import streams_uploads
from heritage.schemas.photo import (
    PhotoInput,
    PhotoPublic,
    PhotoStaff,
    PhotoUploaded,
    PhotoUploadForm,
)
from heritage.services import photos, reading
from heritage.services.permissions import can
from heritage.vocab import LANGUAGES, PHOTO_STAGES, PUBLICATION_STATUSES

blp = Blueprint("photos_api", __name__, url_prefix="/api/v1", description="Photos.")
guard(blp)


_UPLOAD_ERRORS = {
    401: "Not signed in.",
    403: "The account may not upload photos.",
    404: "No such site.",
    409: "The site is withdrawn.",
    413: "The request is larger than the configured limit (200 MB by default).",
    415: "The file is not a JPEG, PNG, TIFF, WebP or HEIC image.",
    422: "The file is empty, damaged or has too many pixels, or a field is invalid.",
    429: "Too many requests; see Retry-After.",
    503: WRITE_ERRORS[503],
}


class PhotoListArgs(PageArgs):
    site_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    record_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    stage = fields.String(validate=validate.OneOf(PHOTO_STAGES.codes))
    status = fields.String(
        validate=validate.OneOf(PUBLICATION_STATUSES.codes),
        metadata={"description": "Staff only; others always get published photos."},
    )


PHOTO = Resource(
    "photo",
    "/photos/<int(max=2147483647):photo_id>",
    "photo_id",
    PhotoStaff,
    PhotoPublic,
    patch_schema(PhotoInput, "PhotoPatch"),
)


@blp.route("/sites/<int(max=2147483647):site_id>/photos", methods=["POST"])
@streams_uploads(lambda: can(auth.caller().actor, "photo.upload"))
@blp.doc(
    requestBody={"required": True, "content": {"multipart/form-data": {"schema": PhotoUploadForm}}},
    parameters=[
        {
            "in": "query",
            "name": "lang",
            "schema": {"type": "string", "enum": list(LANGUAGES)},
            "description": "Language of `message` and of a refusal's `detail` (default en).",
        }
    ],
)
@blp.alt_response(201, schema=PhotoUploaded, description="Stored as a draft.", success=True)
@blp.alt_response(
    200,
    schema=PhotoUploaded,
    description="An identical file is already in the archive; nothing new was stored.",
    success=True,
)
@documented(blp, _UPLOAD_ERRORS)
def upload_photo(site_id: int):
    """Upload one image (multipart field `file`) with its description to a site."""
    files = request.files.getlist("file")
    if len(files) != 1:
        raise ValidationError({"file": ["Send exactly one image file in the field 'file'."]})
    data = {key: value for key, value in request.form.items() if key != "csrf_token"}
    try:
        result = photos.upload_photo(
            site_id, files[0].stream, files[0].filename, data, actor=auth.actor()
        )
    except photos.UploadRefused as refusal:
        return problem(refusal.status_code, in_language(refusal.said))
    body = {
        **PhotoStaff().dump(result.photo),
        "duplicate": result.duplicate,
        "message": in_language(result.said),
    }
    if result.duplicate:
        return body, 200
    location = url_for(".get_photo", photo_id=result.photo.id, _external=True)
    return body, 201, {**etag_header("photo", result.photo), "Location": location}


add_list_endpoint(
    blp,
    PHOTO,
    PhotoListArgs,
    find=reading.photos,
    summary="Photos in upload order (published ones unless staff), with their derivatives' URLs.",
)


@blp.route("/photos/<int(max=2147483647):photo_id>/original", methods=["GET"])
@blp.doc(
    responses={
        "200": {
            "description": "The original file, as uploaded (an attachment).",
            "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
@documented(blp, {**READ_ERRORS, 401: "Staff only.", 403: "Staff only."})
def get_original(photo_id: int):
    """The original file, for staff: byte for byte as uploaded."""
    photo, path = photos.original(photo_id, actor=auth.actor())
    response = send_file(
        path,
        mimetype=photo.media_type,
        as_attachment=True,
        download_name=photos.original_download_name(photo),
        conditional=True,
        etag=photo.sha256,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


add_item_endpoints(
    blp,
    PHOTO,
    ItemDocs(
        read="One photo, with the URLs of its derivatives (thumb, display, large; WebP and JPEG).",
        read_response="The photo; the public get fewer fields (never GPS).",
        patch="Change a photo's description (caption, alt text, stage, credit…), with If-Match.",
        history="Every change of a photo, oldest first (staff).",
    ),
    update=photos.update_photo,
    change_status=photos.change_photo_status,
)
