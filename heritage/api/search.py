"""Search in the JSON API: the query language of /search, facets, highlights, suggestion."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from heritage.api import auth
from heritage.api.common import documented
from heritage.api.errors import guard, problem
from heritage.api.http import LIST_HEADERS_DOC, page_headers
from heritage.schemas.search import MAX_PAGE, SearchArgs
from heritage.services import search as search_service

blp = Blueprint("search_api", __name__, url_prefix="/api/v1", description="Search.")
guard(blp)


class Segment(Schema):
    text = fields.String()
    match = fields.Boolean(metadata={"description": "A word the query matched."})


class SiteRef(Schema):
    id = fields.Integer()
    slug = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))


class SearchItem(Schema):
    kind = fields.String(metadata={"description": "site, record or photo"})
    id = fields.Integer()
    site = fields.Nested(SiteRef)
    title = fields.List(fields.Nested(Segment), metadata={"description": "Highlighted."})
    snippet = fields.List(fields.Nested(Segment), metadata={"description": "Highlighted."})
    url = fields.String(metadata={"description": "This item in the API."})


class FacetCount(Schema):
    code = fields.String()
    count = fields.Integer()
    selected = fields.Boolean()


class SearchOutput(Schema):
    items = fields.List(fields.Nested(SearchItem))
    total = fields.Integer()
    exact = fields.Boolean(metadata={"description": "False when the total is an estimate."})
    page = fields.Integer()
    per_page = fields.Integer()
    pages = fields.Integer()
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetCount)))
    suggestion = fields.String(allow_none=True, metadata={"description": "Did you mean …"})
    timed_out = fields.Boolean(
        metadata={"description": "The search ran out of time: results may be incomplete."}
    )
    truncated = fields.Boolean(
        metadata={"description": "Some prefix or typo variants were left out (too many)."}
    )
    rebuilding = fields.Boolean()


_API_PATHS = {
    "site": "sites",
    "record": "records",
    "photo": "photos",
    "object": "objects",
    "gravestone": "gravestones",
    "survey": "surveys",
}


def _segments(snippet) -> list[dict]:
    return [{"text": text, "match": matched} for text, matched in snippet]


def _item(item) -> dict:
    return {
        "kind": item.kind,
        "id": item.entity.id,
        "site": {"id": item.site.id, "slug": item.site.slug, "names": item.site.names},
        "title": _segments(item.title),
        "snippet": _segments(item.snippet),
        "url": f"{request.host_url}api/v1/{_API_PATHS[item.kind]}/{item.entity.id}",
    }


@blp.route("/search", methods=["GET"])
@blp.arguments(SearchArgs, location="query")
@blp.alt_response(200, schema=SearchOutput, headers=LIST_HEADERS_DOC, success=True)
@documented(
    blp,
    {
        400: "The query cannot be understood; `detail` says why.",
        401: "The API token is not valid.",
        422: "A parameter is invalid.",
        429: "Too many requests; see Retry-After.",
        503: "Search is busy or not available right now; see Retry-After.",
    },
)
def search(args: dict):
    """Search sites, restoration records and photo captions (published ones unless staff).

    Names match across Azerbaijani, English and Russian spellings (Şuşa, Shusha, Шуша).
    """
    params = search_service.SearchParams.from_loaded(args)
    page = search_service.search_for(params, actor=auth.actor())
    if page.error:
        return problem(400, page.error)
    if page.unavailable:
        response = problem(503, "Search is not available at the moment; try again shortly.")
        response.headers["Retry-After"] = str(search_service.RETRY_AFTER_UNAVAILABLE)
        return response
    body = {
        "items": [_item(item) for item in page.items],
        "total": page.total,
        "exact": page.exact,
        "page": params.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "facets": {
            name: [{"code": v.code, "count": v.count, "selected": v.selected} for v in values]
            for name, values in page.facets.items()
        },
        "suggestion": page.suggestion,
        "timed_out": page.timed_out,
        "truncated": page.truncated,
        "rebuilding": page.rebuilding,
    }
    total = min(page.total, MAX_PAGE * page.per_page)
    return body, 200, page_headers(total, params.page, page.per_page)
