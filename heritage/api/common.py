"""Pieces the resource blueprints share: documented errors, one record's answer with its
ETag, and the endpoints every kind of record has (create under a site, read, patch,
history, workflow steps) and the list of records of a kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema

from heritage.api import auth
from heritage.api.errors import ProblemSchema
from heritage.api.http import (
    ETAG_DOC,
    IF_MATCH_PARAMETER,
    LIST_HEADERS_DOC,
    etag_header,
    if_match_version,
    json_body,
    json_request_body,
    page_body,
    page_envelope,
    page_headers,
)
from heritage.problems import PROBLEM_JSON
from heritage.schemas.audit import EventOutput
from heritage.schemas.workflow import StepInput
from heritage.services import editing, reading
from heritage.services.pagination import Page

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
# A new record has no version to match yet.
CREATE_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k not in (412, 428)}
SITE_RULE = "/sites/<int(max=2147483647):site_id>"


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
    """One record's answer: the staff representation with its version's ETag, or the
    public one, whose ETag (`http.conditional` makes it from the body) moves only when what
    the public sees does, not with staff work on the record (a proposal, an internal note)."""
    status = extra.pop("status", 200)
    if not reading.sees_everything(auth.actor()):
        return public_schema().dump(entity), status, extra
    return staff_schema().dump(entity), status, {**etag_header(kind, entity), **extra}


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


@dataclass(frozen=True)
class Resource:
    """One kind of record as the API serves it: the URL of one record and its schemas."""

    kind: str
    # The URL rule of one record, e.g. /records/<int(max=2147483647):record_id>.
    rule: str
    id_name: str
    staff: type[Schema]
    public: type[Schema]
    patch: type[Schema]

    @property
    def collection(self) -> str:
        """The URL segment of the records of this kind, e.g. /records."""
        return "/" + self.rule.split("/")[1]

    def answer(self, entity, **extra):
        """One record's answer, with its ETag."""
        return one(self.kind, entity, self.staff, self.public, **extra)

    def page(self, found: Page):
        """A page of records, staff or public representation, with its Link headers."""
        schema = self.staff if reading.sees_everything(auth.actor()) else self.public
        body = page_body(found, schema(many=True).dump(found.items))
        return body, 200, page_headers(found.total, found.page, found.per_page)


@dataclass(frozen=True)
class ItemDocs:
    """What the OpenAPI document says of a kind's read, patch and history endpoints."""

    read: str
    read_response: str
    patch: str
    history: str
    read_errors: dict[int, str] | None = None


def add_item_endpoints(
    blp: Blueprint,
    resource: Resource,
    docs: ItemDocs,
    *,
    update: Callable,
    change_status: Callable,
) -> None:
    """GET and PATCH (with If-Match) of one record, its history, and its workflow steps."""
    kind, id_name = resource.kind, resource.id_name

    def read(**kwargs):
        return resource.answer(reading.item(kind, kwargs[id_name], actor=auth.actor()))

    def patch(**kwargs):
        entity_id = kwargs[id_name]
        version = if_match_version(kind, entity_id)
        entity = update(entity_id, json_body(), actor=auth.actor(), version=version)
        return changed(kind, entity, resource.staff, resource.public)

    def history(**kwargs):
        events = reading.history(kind, kwargs[id_name], actor=auth.actor())
        return EventOutput(many=True).dump(events)

    read.__name__, read.__doc__ = f"get_{kind}", docs.read
    read = blp.alt_response(
        200, schema=resource.staff, headers=ETAG_DOC, success=True, description=docs.read_response
    )(read)
    read = documented(blp, docs.read_errors or READ_ERRORS)(read)
    blp.route(resource.rule, methods=["GET"], endpoint=read.__name__)(read)

    patch.__name__, patch.__doc__ = f"update_{kind}", docs.patch
    patch = blp.doc(parameters=[IF_MATCH_PARAMETER], **json_request_body(resource.patch))(patch)
    patch = blp.alt_response(200, schema=resource.staff, headers=ETAG_DOC, success=True)(patch)
    patch = blp.alt_response(202, schema=resource.staff, headers=ETAG_DOC, description=PENDING_DOC)(
        patch
    )
    patch = documented(blp, WRITE_ERRORS)(patch)
    blp.route(resource.rule, methods=["PATCH"], endpoint=patch.__name__)(patch)

    history.__name__, history.__doc__ = f"{kind}_history", docs.history
    history = blp.alt_response(200, schema=EventOutput(many=True), success=True)(history)
    history = documented(blp, {**READ_ERRORS, 401: "Staff only.", 403: "Staff only."})(history)
    blp.route(f"{resource.rule}/history", methods=["GET"], endpoint=history.__name__)(history)

    add_workflow(blp, resource.rule, kind, id_name, change_status, resource.staff, resource.public)


def add_create_endpoint(
    blp: Blueprint,
    resource: Resource,
    schema: type[Schema],
    *,
    create: Callable,
    summary: str,
    created: str,
) -> None:
    """POST /sites/<site_id>/<records of the kind>: a new record of a site, answered 201
    with its ETag and Location; `summary` documents it, `created` its 201."""
    kind = resource.kind

    def create_view(site_id: int):
        entity = create(site_id, json_body(), actor=auth.actor())
        location = url_for(f".get_{kind}", **{resource.id_name: entity.id}, _external=True)
        return resource.answer(entity, status=201, Location=location)

    create_view.__name__, create_view.__doc__ = f"create_{kind}", summary
    view = blp.doc(**json_request_body(schema))(create_view)
    view = blp.alt_response(
        201, schema=resource.staff, headers=ETAG_DOC, description=created, success=True
    )(view)
    view = documented(blp, CREATE_ERRORS)(view)
    blp.route(f"{SITE_RULE}{resource.collection}", methods=["POST"], endpoint=view.__name__)(view)


def add_list_endpoint(
    blp: Blueprint, resource: Resource, args: type[Schema], *, find: Callable, summary: str
) -> None:
    """GET /<records of the kind>: a page of them, filtered by the query arguments `args`;
    `find` (a `reading` function) admits only published ones unless the caller is staff."""
    plural = resource.collection.lstrip("/")

    def list_view(page: int, per_page: int, **filters):
        return resource.page(find(actor=auth.actor(), page=page, per_page=per_page, **filters))

    list_view.__name__, list_view.__doc__ = f"list_{plural}", summary
    envelope = page_envelope(resource.staff, f"{resource.kind.capitalize()}Page")
    view = blp.arguments(args, location="query", as_kwargs=True)(list_view)
    view = blp.alt_response(200, schema=envelope, headers=LIST_HEADERS_DOC, success=True)(view)
    view = documented(blp, {401: READ_ERRORS[401], 429: READ_ERRORS[429]})(view)
    blp.route(resource.collection, methods=["GET"], endpoint=view.__name__)(view)
