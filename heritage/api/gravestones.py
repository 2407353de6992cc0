"""Gravestones in the JSON API: list, record, and the endpoints every kind has."""

from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import fields, validate

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
from heritage.schemas import GravestoneInput
from heritage.schemas.gravestone import GravestonePublic, GravestoneStaff
from heritage.services import gravestones, reading
from heritage.vocab import MARKER_TYPES, PUBLICATION_STATUSES

blp = Blueprint(
    "gravestones_api",
    __name__,
    url_prefix="/api/v1",
    description="Gravestones: the burial markers of a cemetery, their people and inscriptions.",
)
guard(blp)

GravestonePage = page_envelope(GravestoneStaff, "GravestonePage")

GRAVESTONE = Resource(
    "gravestone",
    "/gravestones/<int(max=2147483647):gravestone_id>",
    "gravestone_id",
    GravestoneStaff,
    GravestonePublic,
    patch_schema(GravestoneInput, "GravestonePatch"),
)


class GravestoneListArgs(PageArgs):
    site_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    marker_type = fields.String(validate=validate.OneOf(MARKER_TYPES.codes))
    status = fields.String(
        validate=validate.OneOf(PUBLICATION_STATUSES.codes),
        metadata={"description": "Staff only; others always get published gravestones."},
    )


@blp.route("/gravestones", methods=["GET"])
@blp.arguments(GravestoneListArgs, location="query", as_kwargs=True)
@blp.alt_response(200, schema=GravestonePage, headers=LIST_HEADERS_DOC, success=True)
@documented(blp, {401: READ_ERRORS[401], 429: READ_ERRORS[429]})
def list_gravestones(page: int, per_page: int, **args):
    """Gravestones by cemetery, as recorded (published ones unless staff)."""
    found = reading.gravestones(actor=auth.actor(), page=page, per_page=per_page, **args)
    return GRAVESTONE.page(found)


@blp.route("/sites/<int(max=2147483647):site_id>/gravestones", methods=["POST"])
@blp.doc(**json_request_body(GravestoneInput))
@blp.alt_response(
    201, schema=GravestoneStaff, headers=ETAG_DOC, description="Recorded as a draft.", success=True
)
@documented(blp, {k: v for k, v in WRITE_ERRORS.items() if k not in (412, 428)})
def create_gravestone(site_id: int):
    """Record a gravestone of a cemetery (its people, years in the stone's calendar, and
    inscription), as a draft."""
    stone = gravestones.create_gravestone(site_id, json_body(), actor=auth.actor())
    location = url_for(".get_gravestone", gravestone_id=stone.id, _external=True)
    return GRAVESTONE.answer(stone, status=201, Location=location)


add_item_endpoints(
    blp,
    GRAVESTONE,
    ItemDocs(
        read="One gravestone; Hijri years come with their Gregorian years and the computation.",
        read_response="The gravestone; the public get no internal note, nor the coordinates "
        "of a sensitive site.",
        patch="Change some of a gravestone's fields (send only those; `persons` whole), with "
        "If-Match.",
        history="Every change of a gravestone, oldest first (staff).",
    ),
    update=gravestones.update_gravestone,
    change_status=gravestones.change_gravestone_status,
)
