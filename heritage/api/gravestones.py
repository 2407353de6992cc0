"""Gravestones in the JSON API: list, record, and the endpoints every kind has."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import fields, validate

from heritage.api.common import (
    ItemDocs,
    Resource,
    add_create_endpoint,
    add_item_endpoints,
    add_list_endpoint,
)
from heritage.api.errors import guard
from heritage.api.http import (
    PageArgs,
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


add_list_endpoint(
    blp,
    GRAVESTONE,
    GravestoneListArgs,
    find=reading.gravestones,
    summary="Gravestones by cemetery, as recorded (published ones unless staff).",
)


add_create_endpoint(
    blp,
    GRAVESTONE,
    GravestoneInput,
    create=gravestones.create_gravestone,
    summary="Record a gravestone of a cemetery (its people, years in the stone's calendar, and "
    "inscription), as a draft.",
    created="Recorded as a draft.",
)

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
