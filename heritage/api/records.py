"""Restoration records in the JSON API: list, read, log, update, workflow steps, history."""

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
from heritage.schemas import RestorationInput
from heritage.schemas.audit import EventOutput
from heritage.schemas.restoration import RecordPublic, RecordStaff
from heritage.services import reading, restorations
from heritage.vocab import PUBLICATION_STATUSES, WORK_STATUSES, WORK_TYPES

blp = Blueprint("records_api", __name__, url_prefix="/api/v1", description="Restoration records.")
guard(blp)

RecordPage = page_envelope(RecordStaff, "RecordPage")
RecordPatch = patch_schema(RestorationInput, "RestorationPatch")


class RecordListArgs(PageArgs):
    site_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    work_type = fields.String(validate=validate.OneOf(WORK_TYPES.codes))
    work_status = fields.String(validate=validate.OneOf(WORK_STATUSES.codes))
    status = fields.String(
        validate=validate.OneOf(PUBLICATION_STATUSES.codes),
        metadata={"description": "Staff only; others always get published records."},
    )


def _record(entity, **extra):
    return one("record", entity, RecordStaff, RecordPublic, **extra)


@blp.route("/records", methods=["GET"])
@blp.arguments(RecordListArgs, location="query", as_kwargs=True)
@blp.alt_response(200, schema=RecordPage, headers=LIST_HEADERS_DOC, success=True)
@documented(blp, {401: READ_ERRORS[401], 429: READ_ERRORS[429]})
def list_records(page: int, per_page: int, **args):
    """Restoration records, most recently changed first (published ones unless staff)."""
    actor = auth.actor()
    found = reading.records(actor=actor, page=page, per_page=per_page, **args)
    schema = RecordStaff if reading.sees_everything(actor) else RecordPublic
    body = page_body(found, schema(many=True).dump(found.items))
    return body, 200, page_headers(found.total, found.page, found.per_page)


@blp.route("/sites/<int(max=2147483647):site_id>/records", methods=["POST"])
@blp.doc(**json_request_body(RestorationInput))
@blp.alt_response(
    201, schema=RecordStaff, headers=ETAG_DOC, description="Logged as a draft.", success=True
)
@documented(blp, {k: v for k, v in WRITE_ERRORS.items() if k not in (412, 428)})
def create_record(site_id: int):
    """Log work (done or planned) on a site, as a draft."""
    record = restorations.create_record(site_id, json_body(), actor=auth.actor())
    location = url_for(".get_record", record_id=record.id, _external=True)
    return _record(record, status=201, Location=location)


@blp.route("/records/<int(max=2147483647):record_id>", methods=["GET"])
@blp.alt_response(
    200,
    schema=RecordStaff,
    headers=ETAG_DOC,
    success=True,
    description="The record; the public get fewer fields.",
)
@documented(blp, READ_ERRORS)
def get_record(record_id: int):
    """One restoration record."""
    return _record(reading.record(record_id, actor=auth.actor()))


@blp.route("/records/<int(max=2147483647):record_id>", methods=["PATCH"])
@blp.doc(parameters=[IF_MATCH_PARAMETER], **json_request_body(RecordPatch))
@blp.alt_response(200, schema=RecordStaff, headers=ETAG_DOC, success=True)
@blp.alt_response(202, schema=RecordStaff, headers=ETAG_DOC, description=PENDING_DOC)
@documented(blp, WRITE_ERRORS)
def update_record(record_id: int):
    """Change some of a record's fields (send only those), with If-Match."""
    version = if_match_version("record", record_id)
    record = restorations.update_record(record_id, json_body(), actor=auth.actor(), version=version)
    return changed("record", record, RecordStaff, RecordPublic)


@blp.route("/records/<int(max=2147483647):record_id>/history", methods=["GET"])
@blp.alt_response(200, schema=EventOutput(many=True), success=True)
@documented(blp, {**READ_ERRORS, 401: "Staff only.", 403: "Staff only."})
def record_history(record_id: int):
    """Every change of a restoration record, oldest first (staff)."""
    return EventOutput(many=True).dump(reading.history("record", record_id, actor=auth.actor()))


add_workflow(
    blp,
    "/records/<int(max=2147483647):record_id>",
    "record",
    "record_id",
    restorations.change_record_status,
    RecordStaff,
    RecordPublic,
)
