"""Search in the JSON API: the query language of /search, facets, highlights, suggestion."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from heritage.api import auth
from heritage.api.common import documented
from heritage.api.errors import guard, problem
from heritage.api.http import LIST_HEADERS_DOC, page_headers
from heritage.search import FACETS
from heritage.services import search as search_service
from heritage.vocab import LANGUAGES

blp = Blueprint("search_api", __name__, url_prefix="/api/v1", description="Search.")
guard(blp)


def _facet_field(name: str):
    return fields.List(
        fields.String(validate=validate.Length(max=40)),
        metadata={"description": f"Only results whose {name} is one of these codes."},
    )


SearchArgs = Schema.from_dict(
    {
        "q": fields.String(
            validate=validate.Length(max=500),
            metadata={"description": 'Words, "phrases", OR, NOT, prefix*, field:value.'},
        ),
        "sort": fields.String(validate=validate.OneOf(search_service.SORTS)),
        "page": fields.Integer(validate=validate.Range(min=1, max=search_service.MAX_PAGE)),
        "per_page": fields.Integer(
            validate=validate.Range(min=1, max=search_service.MAX_PER_PAGE),
            metadata={"description": "Results a page (default 20)."},
        ),
        "lang": fields.String(
            validate=validate.OneOf(LANGUAGES),
            metadata={"description": "Language of titles and snippets (default az)."},
        ),
        **{name: _facet_field(name) for name in FACETS},
    },
    name="SearchArgs",
)


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


_API_PATHS = {"site": "sites", "record": "records", "photo": "photos"}


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
@blp.arguments(SearchArgs, location="query", as_kwargs=True)
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
def search(**_args):
    """Search sites, restoration records and photo captions (published ones unless staff).

    Names match across Azerbaijani, English and Russian spellings (Şuşa, Shusha, Шуша).
    """
    lang = request.args.get("lang", "az")
    params = search_service.SearchParams.from_args(request.args, lang)
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
    total = min(page.total, search_service.MAX_PAGE * page.per_page)
    return body, 200, page_headers(total, params.page, page.per_page)
