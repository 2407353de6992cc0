"""Sites in the JSON API: list, create, and the endpoints every kind has."""

from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import fields, validate
from marshmallow.experimental.context import Context

from heritage.api import auth
from heritage.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    ItemDocs,
    Resource,
    add_item_endpoints,
    documented,
)
from heritage.api.errors import guard
from heritage.api.http import (
    ETAG_DOC,
    LIST_HEADERS_DOC,
    PageArgs,
    json_body,
    json_request_body,
    page_envelope,
    patch_schema,
)
from heritage.schemas import SiteInput
from heritage.schemas.site import EARLIEST_CENTURY, LATEST_CENTURY, SitePublic, SiteStaff
from heritage.services import public, reading, sites
from heritage.services.public import SiteFilters
from heritage.vocab import CATEGORIES, CONDITIONS, DISTRICTS, PUBLICATION_STATUSES, SITE_TYPES

blp = Blueprint("sites_api", __name__, url_prefix="/api/v1", description="Heritage sites.")
guard(blp)

SitePage = page_envelope(SiteStaff, "SitePage")


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


SITE = Resource(
    "site",
    "/sites/<int(max=2147483647):site_id>",
    "site_id",
    SiteStaff,
    SitePublic,
    patch_schema(SiteInput, "SitePatch"),
)


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
    # The public representation names each site's cover: one query for the whole page.
    with Context({"site_covers": public.covers_of(found.items)}):
        return SITE.page(found)


@blp.route("/sites", methods=["POST"])
@blp.doc(**json_request_body(SiteInput))
@blp.alt_response(
    201, schema=SiteStaff, headers=ETAG_DOC, description="Catalogued as a draft.", success=True
)
@documented(blp, {k: v for k, v in WRITE_ERRORS.items() if k not in (404, 409, 412, 428)})
def create_site():
    """Catalogue a new site, as a draft."""
    site = sites.create_site(json_body(), actor=auth.actor())
    return SITE.answer(
        site, status=201, Location=url_for(".get_site", site_id=site.id, _external=True)
    )


add_item_endpoints(
    blp,
    SITE,
    ItemDocs(
        read="One site.",
        read_response="The site; the public get fewer fields.",
        patch="Change some of a site's fields (send only those), with the ETag you read in "
        "If-Match.",
        history="Every change of a site, oldest first: who, when, what, old → new (staff).",
        read_errors={**READ_ERRORS, 410: "Withdrawn after it was published (says when and why)."},
    ),
    update=sites.update_site,
    change_status=sites.change_site_status,
)
