"""IIIF on the web: the Image API 3.0 under /iiif/3/<photo id>/.

Every answer, errors too, carries Access-Control-Allow-Origin: * (viewers on other sites read
info.json and draw tiles into a canvas). Public answers are cacheable with an ETag; what only
signed-in staff may see is private and never stored.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, request, url_for

from heritage.identity import current_actor
from heritage.media.iiif import CONTEXT, PROFILE_URI
from heritage.services import iiif
from heritage.services.errors import ServiceError

bp = Blueprint("iiif", __name__, url_prefix="/iiif/3")

_INFO = "/info.json"


@bp.get("/<identifier>")
def base(identifier: str):
    """The image's base address sends the client to its info.json."""
    iiif.source(identifier, actor=current_actor())
    return _cors(redirect(url_for(".info", identifier=identifier), 303))


@bp.get(f"/<identifier>{_INFO}")
def info(identifier: str):
    """The image's info.json: its size, tiles and the features offered."""
    found = iiif.source(identifier, actor=current_actor())
    # The id is the address asked for, byte for byte (scheme and host as the proxy says).
    service_id = request.base_url[: -len(_INFO)]
    response = current_app.json.response(iiif.info(found, service_id))
    if "application/ld+json" in request.headers.get("Accept", ""):
        response.headers["Content-Type"] = f'application/ld+json;profile="{CONTEXT}"'
    response.headers["Link"] = f'<{PROFILE_URI}>;rel="profile"'
    response.vary.add("Accept")
    return _cached(response, found, iiif.info_etag(found, service_id))


@bp.get("/<identifier>/<region>/<size>/<rotation>/<quality>")
def image(identifier: str, region: str, size: str, rotation: str, quality: str):
    """A region of the image, scaled, rotated, in a quality and format."""
    found = iiif.source(identifier, actor=current_actor())
    picture = iiif.picture(found, region, size, rotation, quality)
    response = Response(picture.data, mimetype=picture.media_type)
    canonical = f"{url_for('.base', identifier=found.photo.id, _external=True)}/"
    response.headers["Link"] = (
        f'<{canonical}{picture.canonical}>;rel="canonical",<{PROFILE_URI}>;rel="profile"'
    )
    return _cached(response, found, picture.etag)


@bp.errorhandler(iiif.Refused)
def refused(error: iiif.Refused):
    """400 for a request that breaks the grammar or the image's bounds, 501 for a feature
    not offered: plain text, as the Image API asks."""
    return _cors(Response(error.message, error.status, mimetype="text/plain"))


@bp.errorhandler(ServiceError)
def service_error(error: ServiceError):
    """404 for an unknown or unpublished image, 503 when busy: plain text."""
    response = _cors(Response(error.message, error.status_code, mimetype="text/plain"))
    if retry_after := getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(retry_after)
    return response


def _cached(response: Response, found: iiif.Source, etag: str) -> Response:
    if not found.public:
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
        return response
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["IIIF_MAX_AGE"]
    return _cors(response.make_conditional(request))


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
