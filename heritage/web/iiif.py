"""IIIF on the web: the Image API 3.0 under /iiif/3/<photo id>/, and the Presentation API
3.0 manifests of published sites and restoration records and their collection.

Every answer, errors too, carries Access-Control-Allow-Origin: * (viewers on other sites read
info.json and draw tiles into a canvas). Public answers are cacheable with an ETag; what only
signed-in staff may see is private and never stored.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, request, url_for

from heritage.identity import current_actor
from heritage.media.iiif import CONTEXT, PROFILE_URI
from heritage.services import iiif, public
from heritage.services.errors import NotFound, ServiceError
from heritage.text import N_
from heritage.web import manifests
from heritage.web.caching import public_page

bp = Blueprint("iiif", __name__, url_prefix="/iiif/3")

_INFO = "/info.json"


@bp.get("/<identifier>")
def base(identifier: str):
    """The image's base address sends the client to its info.json."""
    found = iiif.source(identifier, actor=current_actor())
    return _moved(url_for(".info", identifier=found.photo.iiif_identifier))


@bp.get(f"/<identifier>{_INFO}")
def info(identifier: str):
    """The image's info.json: its size, tiles and the features offered."""
    found = iiif.source(identifier, actor=current_actor())
    if found.bare:
        return _moved(url_for(".info", identifier=found.photo.iiif_identifier))
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
    if found.bare:
        parts = {"region": region, "size": size, "rotation": rotation, "quality": quality}
        return _moved(url_for(".image", identifier=found.photo.iiif_identifier, **parts))
    picture = iiif.picture(found, region, size, rotation, quality)
    response = Response(picture.data, mimetype=picture.media_type)
    canonical = f"{url_for('.base', identifier=found.photo.iiif_identifier, _external=True)}/"
    response.headers["Link"] = (
        f'<{canonical}{picture.canonical}>;rel="canonical",<{PROFILE_URI}>;rel="profile"'
    )
    return _cached(response, found, picture.etag)


@bp.get("/sites/<slug>/manifest")
@public_page
def site_manifest(slug: str):
    """A published site's manifest: a canvas for each of its published photos."""
    page = public.site_page(slug)
    return _presentation(manifests.site_manifest(page.site, page.photos))


@bp.get("/records/<int:record_id>/manifest")
@public_page
def record_manifest(record_id: int):
    """A published restoration record's manifest: its photos before, during and after."""
    record, photos = public.record_page(record_id)
    return _presentation(manifests.record_manifest(record, photos))


@bp.get("/collection", defaults={"part": None})
@bp.get("/collection/<int:part>")
@public_page
def collection(part: int | None):
    """Every published site's manifest; past COLLECTION_SIZE, parts that are collections."""
    size = current_app.config["IIIF_COLLECTION_SIZE"]
    page = public.list_published_sites(page=part or 1, per_page=size)
    if part is not None and (page.past_the_end or page.pages == 1):
        raise NotFound(N_("There is no such page in the archive."))
    return _presentation(manifests.collection(page, part=part))


def _presentation(document: dict) -> Response:
    """A Presentation API document, cached like the public pages (by the archive's revision,
    so its ETag changes whenever anything in it may have)."""
    response = current_app.json.response(document)
    return _cors(response)


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


def _moved(location: str) -> Response:
    """303 to the image's current address; never stored, since that address changes with
    publication (and the redirect itself must not outlive a withdrawal)."""
    response = redirect(location, 303)
    response.headers["Cache-Control"] = "no-store"
    return _cors(response)


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
