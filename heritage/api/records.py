"""Restoration records in the JSON API: list, log, and the endpoints every kind has."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import fields, validate

from heritage.api import auth
from heritage.api.common import (
    READ_ERRORS,
    ItemDocs,
    Resource,
    add_create_endpoint,
    add_item_endpoints,
    documented,
)
from heritage.api.errors import guard
from heritage.api.http import (
    LIST_HEADERS_DOC,
    PageArgs,
    page_envelope,
    patch_schema,
)
from heritage.schemas import RestorationInput
from heritage.schemas.restoration import RecordPublic, RecordStaff
from heritage.services import reading, restorations
from heritage.vocab import PUBLICATION_STATUSES, WORK_STATUSES, WORK_TYPES

blp = Blueprint("records_api", __name__, url_prefix="/api/v1", description="Restoration records.")
guard(blp)

RecordPage = page_envelope(RecordStaff, "RecordPage")


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


@blp.route("/records", methods=["GET"])
@blp.arguments(RecordListArgs, location="query", as_kwargs=True)
@blp.alt_response(200, schema=RecordPage, headers=LIST_HEADERS_DOC, success=True)
@documented(blp, {401: READ_ERRORS[401], 429: READ_ERRORS[429]})
def list_records(page: int, per_page: int, **args):
    """Restoration records, most recently changed first (published ones unless staff)."""
    return RECORD.page(reading.records(actor=auth.actor(), page=page, per_page=per_page, **args))


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
