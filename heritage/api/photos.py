"""Photos in the JSON API: upload (more with the API issue)."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from heritage.api.errors import ProblemSchema, guard
from heritage.schemas.photo import PhotoStaff, PhotoUploaded, PhotoUploadForm
from heritage.services import photos
from heritage.web.auth import current_actor

blp = Blueprint("photos_api", __name__, url_prefix="/api/v1", description="Photos.")
guard(blp)

_ERRORS = {
    401: "Not signed in.",
    403: "The account may not upload photos.",
    404: "No such site.",
    409: "The site is withdrawn.",
    413: "The request is larger than the configured limit (200 MB by default).",
    415: "The file is not a JPEG, PNG, TIFF, WebP or HEIC image.",
    422: "The file is empty, damaged or has too many pixels, or a field is invalid.",
}


def _document_errors(view):
    for status, description in _ERRORS.items():
        view = blp.alt_response(status, schema=ProblemSchema, description=description)(view)
    return view


@blp.route("/sites/<int:site_id>/photos", methods=["POST"])
@blp.doc(
    requestBody={"required": True, "content": {"multipart/form-data": {"schema": PhotoUploadForm}}}
)
@blp.alt_response(201, schema=PhotoUploaded, description="Stored as a draft.", success=True)
@blp.alt_response(
    200,
    schema=PhotoUploaded,
    description="An identical file is already in the archive; nothing new was stored.",
    success=True,
)
@_document_errors
def upload_photo(site_id: int):
    """Upload one image (multipart field `file`) with its description to a site."""
    files = request.files.getlist("file")
    if len(files) != 1:
        raise ValidationError({"file": ["Send exactly one image file in the field 'file'."]})
    data = {key: value for key, value in request.form.items() if key != "csrf_token"}
    result = photos.upload_photo(
        site_id, files[0].stream, files[0].filename, data, actor=current_actor()
    )
    body = {
        **PhotoStaff().dump(result.photo),
        "duplicate": result.duplicate,
        "message": result.message,
    }
    return body, 200 if result.duplicate else 201
