"""Sites in the JSON API: list, read, create, update, workflow steps, history."""

from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import fields, validate

from heritage.api import auth
from heritage.api.common import (
    PENDING_DOC,
    READ_ERRORS,
    WRITE_ERRORS,
    add_workflow,
    changed,
    documented,
    one,
)
from heritage.api.errors import guard
from heritage.api.http import (
    ETAG_DOC,
    IF_MATCH_PARAMETER,
    LIST_HEADERS_DOC,
    PageArgs,
    if_match_version,
    json_body,
    json_request_body,
    page_body,
    page_envelope,
    page_headers,
    patch_schema,
)
from heritage.schemas import SiteInput
from heritage.schemas.audit import EventOutput
from heritage.schemas.site import EARLIEST_CENTURY, LATEST_CENTURY, SitePublic, SiteStaff
from heritage.services import reading, sites
from heritage.services.public import SiteFilters
from heritage.vocab import CATEGORIES, CONDITIONS, DISTRICTS, PUBLICATION_STATUSES, SITE_TYPES

blp = Blueprint("sites_api", __name__, url_prefix="/api/v1", description="Heritage sites.")
guard(blp)

SitePage = page_envelope(SiteStaff, "SitePage")
SitePatch = patch_schema(SiteInput, "SitePatch")


class SiteListArgs(PageArgs):
    category = fields.String(validate=validate.OneOf(CATEGORIES.codes))
    type = fields.String(validate=validate.OneOf(SITE_TYPES.codes))
    district = fields.String(validate=validate.OneOf(DISTRICTS.codes))
    condition = fields.String(validate=validate.OneOf(CONDITIONS.codes))
    century = fields.Integer(
        validate=[
            validate.Range(min=EARLIEST_CENTURY, max=LATEST_CENTURY),
            validate.NoneOf([0], error="There is no century 0: -1 is the 1st BCE, 1 the 1st."),
        ],
        metadata={"description": "Century of origin: 14 is 1301–1400; -1 the 1st BCE."},
    )
    status = fields.String(
        validate=validate.OneOf(PUBLICATION_STATUSES.codes),
        metadata={"description": "Staff only; others always get published sites."},
    )
    slug = fields.String(validate=validate.Length(max=120))


def _site(entity, **extra):
    return one("site", entity, SiteStaff, SitePublic, **extra)


@blp.route("/sites", methods=["GET"])
@blp.arguments(SiteListArgs, location="query", as_kwargs=True)
@blp.alt_response(200, schema=SitePage, headers=LIST_HEADERS_DOC, success=True)
@documented(blp, {401: READ_ERRORS[401], 429: READ_ERRORS[429]})
def list_sites(page: int, per_page: int, **args):
    """Sites: published ones for everyone, every status for staff (newest first)."""
    actor = auth.actor()
    filters = SiteFilters(
        category=args.get("category"),
        site_type=args.get("type"),
        district=args.get("district"),
        condition=args.get("condition"),
        century=args.get("century"),
    )
    found = reading.sites(
        filters,
        actor=actor,
        status=args.get("status"),
        slug=args.get("slug"),
        page=page,
        per_page=per_page,
    )
    schema = SiteStaff if reading.sees_everything(actor) else SitePublic
    body = page_body(found, schema(many=True).dump(found.items))
    return body, 200, page_headers(found.total, found.page, found.per_page)


@blp.route("/sites", methods=["POST"])
@blp.doc(**json_request_body(SiteInput))
@blp.alt_response(
    201, schema=SiteStaff, headers=ETAG_DOC, description="Catalogued as a draft.", success=True
)
@documented(blp, {k: v for k, v in WRITE_ERRORS.items() if k not in (404, 409, 412, 428)})
def create_site():
    """Catalogue a new site, as a draft."""
    site = sites.create_site(json_body(), actor=auth.actor())
    return _site(site, status=201, Location=url_for(".get_site", site_id=site.id, _external=True))


@blp.route("/sites/<int(max=2147483647):site_id>", methods=["GET"])
@blp.alt_response(
    200,
    schema=SiteStaff,
    headers=ETAG_DOC,
    success=True,
    description="The site; the public get fewer fields.",
)
@documented(blp, {**READ_ERRORS, 410: "Withdrawn after it was published (says when and why)."})
def get_site(site_id: int):
    """One site."""
    return _site(reading.site(site_id, actor=auth.actor()))


@blp.route("/sites/<int(max=2147483647):site_id>", methods=["PATCH"])
@blp.doc(parameters=[IF_MATCH_PARAMETER], **json_request_body(SitePatch))
@blp.alt_response(200, schema=SiteStaff, headers=ETAG_DOC, success=True)
@blp.alt_response(202, schema=SiteStaff, headers=ETAG_DOC, description=PENDING_DOC)
@documented(blp, WRITE_ERRORS)
def update_site(site_id: int):
    """Change some of a site's fields (send only those), with the ETag you read in If-Match."""
    version = if_match_version("site", site_id)
    site = sites.update_site(site_id, json_body(), actor=auth.actor(), version=version)
    return changed("site", site, SiteStaff, SitePublic)


@blp.route("/sites/<int(max=2147483647):site_id>/history", methods=["GET"])
@blp.alt_response(200, schema=EventOutput(many=True), success=True)
@documented(blp, {**READ_ERRORS, 401: "Staff only.", 403: "Staff only."})
def site_history(site_id: int):
    """Every change of a site, oldest first: who, when, what, old → new (staff)."""
    return EventOutput(many=True).dump(reading.history("site", site_id, actor=auth.actor()))


add_workflow(
    blp,
    "/sites/<int(max=2147483647):site_id>",
    "site",
    "site_id",
    sites.change_site_status,
    SiteStaff,
    SitePublic,
)
