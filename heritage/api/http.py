"""HTTP conventions every endpoint shares: ETags and If-Match, pages with Link headers,
201 with Location."""

from __future__ import annotations

import copy
import re
from urllib.parse import urlencode

from flask import Response, g, request
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.exceptions import PreconditionFailed, PreconditionRequired

from heritage import json_input
from heritage.services.pagination import Page

MAX_PER_PAGE = 100


def etag(kind: str, entity) -> str:
    """The strong ETag of a record's staff representation: its kind, id and version."""
    return f'"{kind}-{entity.id}-v{entity.version}"'


def conditional(response: Response) -> Response:
    """Every successful read carries an ETag and answers If-None-Match with 304.

    Records read by staff have theirs from their version (see `etag`); the public's
    records, lists, search results and the vocabularies get a weak one from their content,
    which changes whenever they do.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.is_streamed:  # an original: send_file gives it an ETag of its own
        return response
    if "ETag" not in response.headers:
        response.add_etag(weak=True)
    return response.make_conditional(request)


def etag_header(kind: str, entity) -> dict[str, str]:
    return {"ETag": etag(kind, entity)}


def if_match_version(kind: str, entity_id: int) -> int:
    """The version the caller read, from If-Match: 428 without one, 412 if it is not this
    record's ETag. A stale one is refused by the service (412 too, see errors)."""
    if not request.headers.get("If-Match"):
        raise PreconditionRequired(
            f"Send the ETag you read in an If-Match header: this {kind} may have changed "
            "since, and changes are only made to the version you saw."
        )
    if request.if_match.star_tag:
        raise PreconditionRequired(
            "If-Match: * is not enough here; send the ETag of the version you read."
        )
    pattern = re.compile(rf"{kind}-{entity_id}-v([0-9]{{1,9}})")
    for tag in request.if_match.as_set():
        match = pattern.fullmatch(tag) if tag else None
        if match:
            g.if_match = True
            return int(match.group(1))
    raise PreconditionFailed(
        f"The If-Match header does not hold an ETag of this {kind}; read it again (GET) and "
        "send the ETag you get."
    )


class PageArgs(Schema):
    """Which page of a list, and how long pages are."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_body(page: Page, items: list) -> dict:
    return {
        "items": items,
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
    }


def page_headers(total: int, page: int, per_page: int) -> dict[str, str]:
    """RFC 8288 Link header (first, prev, next, last) and the total in X-Total-Count."""
    last = max(1, -(-total // per_page))

    def url(number: int) -> str:
        args = request.args.to_dict(flat=False)
        args["page"], args["per_page"] = [str(number)], [str(per_page)]
        return f"{request.base_url}?{urlencode(args, doseq=True)}"

    links = [("first", 1)]
    if page > 1:
        links.append(("prev", min(page - 1, last)))
    if page < last:
        links.append(("next", page + 1))
    links.append(("last", last))
    return {
        "Link": ", ".join(f'<{url(number)}>; rel="{rel}"' for rel, number in links),
        "X-Total-Count": str(total),
    }


def page_envelope(item_schema: type[Schema], name: str) -> type[Schema]:
    """The schema of one page of `item_schema` items, with the totals."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "total": fields.Integer(metadata={"description": "Items over all pages."}),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "pages": fields.Integer(),
        },
        name=name,
    )


ETAG_DOC = {
    "ETag": {
        "description": "Send it back in If-Match to change this record.",
        "schema": {"type": "string"},
    }
}
LIST_HEADERS_DOC = {
    "Link": {
        "description": "RFC 8288 links: first, prev, next, last.",
        "schema": {"type": "string"},
    },
    "X-Total-Count": {"description": "Items over all pages.", "schema": {"type": "integer"}},
}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag of the version you read (428 without it, 412 when stale).",
}


def patch_schema(schema: type[Schema], name: str) -> type[Schema]:
    """`schema` with no field required, for documenting a PATCH body (only what changes)."""
    copied = {}
    for field_name, field in schema._declared_fields.items():
        field = copy.copy(field)
        field.required = False
        copied[field_name] = field
    return Schema.from_dict(copied, name=name)


def json_body() -> dict:
    """The request's JSON object; a marshmallow error (422) if it is not one."""
    if not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise ValidationError({"_schema": ["The body is not valid JSON."]})
    try:
        data = json_input.loads(request.get_data(cache=True))
    except json_input.NotValidJSON as error:
        raise ValidationError({"_schema": [f"The body is not valid JSON: {error}"]}) from None
    if not isinstance(data, dict):
        raise ValidationError({"_schema": ["Expected a JSON object of fields."]})
    return data


def json_request_body(schema) -> dict:
    """The OpenAPI requestBody of a JSON endpoint taking `schema`."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
