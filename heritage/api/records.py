"""Restoration records in the JSON API: list, log, and the endpoints every kind has."""

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
from heritage.schemas import RestorationInput
from heritage.schemas.restoration import RecordPublic, RecordStaff
from heritage.services import reading, restorations
from heritage.vocab import PUBLICATION_STATUSES, WORK_STATUSES, WORK_TYPES

blp = Blueprint("records_api", __name__, url_prefix="/api/v1", description="Restoration records.")
guard(blp)


class RecordListArgs(PageArgs):
    site_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    work_type = fields.String(validate=validate.OneOf(WORK_TYPES.codes))
    work_status = fields.String(validate=validate.OneOf(WORK_STATUSES.codes))
    status = fields.String(
        validate=validate.OneOf(PUBLICATION_STATUSES.codes),
        metadata={"description": "Staff only; others always get published records."},
    )


RECORD = Resource(
    "record",
    "/records/<int(max=2147483647):record_id>",
    "record_id",
    RecordStaff,
    RecordPublic,
    patch_schema(RestorationInput, "RestorationPatch"),
)


add_list_endpoint(
    blp,
    RECORD,
    RecordListArgs,
    find=reading.records,
    summary="Restoration records, most recently changed first (published ones unless staff).",
)


add_create_endpoint(
    blp,
    RECORD,
    RestorationInput,
    create=restorations.create_record,
    summary="Log work (done or planned) on a site, as a draft.",
    created="Logged as a draft.",
)

add_item_endpoints(
    blp,
    RECORD,
    ItemDocs(
        read="One restoration record.",
        read_response="The record; the public get fewer fields.",
        patch="Change some of a record's fields (send only those), with If-Match.",
        history="Every change of a restoration record, oldest first (staff).",
    ),
    update=restorations.update_record,
    change_status=restorations.change_record_status,
)
