"""The arguments of a search, one set of rules for both doors: the API refuses what breaks
them (422, naming the argument); the search page leaves such an argument out, as if it had
not been given, since people edit and share its addresses by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from heritage.search.documents import FACETS
from heritage.search.query import MAX_QUERY_LENGTH
from heritage.vocab import LANGUAGES

SORTS = ("relevance", "name", "date", "-date", "recent")
# Deep pages cost the engine as much as all the pages before them.
MAX_PAGE = 250
MAX_PER_PAGE = 100


def _facet(name: str) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=40)),
        metadata={"description": f"Only results whose {name} is one of these codes."},
    )


class _Arguments(Schema):
    class Meta:
        unknown = EXCLUDE  # other arguments (a cache buster, say) are not the search's


SearchArgs = _Arguments.from_dict(
    {
        "q": fields.String(
            load_default="",
            validate=validate.Length(max=MAX_QUERY_LENGTH),
            metadata={"description": 'Words, "phrases", OR, NOT, prefix*, field:value.'},
        ),
        "sort": fields.String(load_default="relevance", validate=validate.OneOf(SORTS)),
        "page": fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE)),
        "per_page": fields.Integer(
            load_default=None,
            validate=validate.Range(min=1, max=MAX_PER_PAGE),
            metadata={"description": "Results a page (default 20)."},
        ),
        "lang": fields.String(
            load_default="az",
            validate=validate.OneOf(LANGUAGES),
            metadata={"description": "Language of titles and snippets (default az)."},
        ),
        **{name: _facet(name) for name in FACETS},
    },
    name="SearchArgs",
)


def load_leniently(args: Mapping[str, Any]) -> dict[str, Any]:
    """`args` (a query string's MultiDict) loaded with SearchArgs, leaving out each value
    that breaks its rules: a malformed page is page 1, an empty facet value no choice.

    The query itself is kept as given, so that the page can say what is wrong with it.
    """
    schema = SearchArgs()
    getlist = getattr(args, "getlist", lambda name: [args[name]] if name in args else [])
    given: dict[str, Any] = {}
    for name, field in schema.fields.items():
        values = getlist(name)
        if isinstance(field, fields.List):
            kept = [v for v in values if _valid(field.inner, v)]
            if kept:
                given[name] = kept
        elif values and (name == "q" or _valid(field, values[0])):
            given[name] = values[0]
    query = given.pop("q", "")
    return {**schema.load(given), "q": str(query)}


def _valid(field: fields.Field, value: Any) -> bool:
    try:
        field.deserialize(value)
    except ValidationError:
        return False
    return True
