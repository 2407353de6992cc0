"""Pieces the resource blueprints share: documented errors, the workflow endpoints, one
record's answer with its ETag."""

from __future__ import annotations

from collections.abc import Callable

from flask_smorest import Blueprint
from marshmallow import Schema

from heritage.api import auth
from heritage.api.errors import PROBLEM_JSON, ProblemSchema
from heritage.api.http import IF_MATCH_PARAMETER, etag_header, if_match_version, json_body
from heritage.schemas.workflow import StepInput
from heritage.services import editing, reading

READ_ERRORS = {
    401: "The API token is not valid.",
    404: "No such record, or not one the caller may see.",
    429: "Too many requests; see Retry-After.",
}
WRITE_ERRORS = {
    400: "The body is not JSON, or the session's CSRF token is missing.",
    401: "Not signed in, and no valid API token.",
    403: "The account (or a read-only token) may not do this.",
    404: "No such record.",
    409: "Not possible in the record's current status, or clashes with a change made at "
    "the same moment.",
    412: "The If-Match ETag is not the current version: read the record again.",
    422: "A field is invalid; `errors` says which and why. Nothing was saved.",
    428: "The If-Match header is missing.",
    429: "Too many requests; see Retry-After.",
    503: "The database is busy with other work; nothing was saved. Try again after "
    "Retry-After seconds.",
}


PENDING_DOC = (
    "Published, and the caller may not publish: the change waits for an editor's review as "
    "the record's `pending_change`; the record itself is unchanged until it is published."
)


def documented(blp: Blueprint, errors: dict[int, str]):
    """Document `errors` as problem+json responses of a view."""

    def decorator(view):
        for status, description in errors.items():
            view = blp.alt_response(
                status, schema=ProblemSchema, description=description, content_type=PROBLEM_JSON
            )(view)
        return view

    return decorator


# URL segment: (service action, summary, whether it needs a note)
STEPS = {
    "submit": ("submit", "Send a draft for an editor's review.", False),
    "publish": ("publish", "Publish (editors): the public can then see it.", False),
    "send-back": ("send_back", "Return it to its authors as a draft, with a `note`.", True),
    "withdraw": ("withdraw", "Withdraw it from public view, with a `note` (the reason).", True),
    "restore": ("restore", "Bring a withdrawn record back to the status it had.", False),
}


def one(kind: str, entity, staff_schema: type[Schema], public_schema: type[Schema], **extra):
    """One record's answer: the staff or public representation, with its ETag."""
    staff = reading.sees_everything(auth.actor())
    body = (staff_schema if staff else public_schema)().dump(entity)
    return body, extra.pop("status", 200), {**etag_header(kind, entity, public=not staff), **extra}


def changed(kind: str, entity, staff_schema: type[Schema], public_schema: type[Schema]):
    """The answer to a change: 200 with the record, or 202 when the change waits for an
    editor's review (the record as published, its `pending_change` holding the change)."""
    waits = editing.proposes(kind, entity, auth.actor())
    return one(kind, entity, staff_schema, public_schema, status=202 if waits else 200)


def add_workflow(
    blp: Blueprint,
    rule: str,
    kind: str,
    id_name: str,
    change_status: Callable,
    staff_schema: type[Schema],
    public_schema: type[Schema],
) -> None:
    """POST <rule>/submit, /publish, /send-back, /withdraw and /restore, with If-Match."""
    for segment, (action, summary, needs_note) in STEPS.items():

        def step(_action=action, **kwargs):
            entity_id = kwargs[id_name]
            version = if_match_version(kind, entity_id)
            note = StepInput().load(json_body()).get("note")
            entity = change_status(
                entity_id, _action, actor=auth.actor(), version=version, note=note
            )
            return one(kind, entity, staff_schema, public_schema)

        step.__name__ = f"{action}_{kind}"
        step.__doc__ = summary
        body = {"required": needs_note, "content": {"application/json": {"schema": StepInput}}}
        step = blp.doc(parameters=[IF_MATCH_PARAMETER], requestBody=body)(step)
        step = blp.alt_response(
            200, schema=staff_schema, description="Done; the new version.", success=True
        )(step)
        step = documented(blp, WRITE_ERRORS)(step)
        blp.route(f"{rule}/{segment}", methods=["POST"], endpoint=step.__name__)(step)
