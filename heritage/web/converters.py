"""URL converters shared by every route."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

# The largest id a row can have (a 32-bit signed INTEGER on every database we run on).
MAX_ID = 2**31 - 1


class RowId(IntegerConverter):
    """`<int:…>` everywhere: a number beyond any row id matches no route (404) instead of
    overflowing the database query it would feed."""

    def __init__(self, map: Map, fixed_digits: int = 0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def install(url_map: Map) -> None:
    """Make RowId the `int` converter; before any route is added."""
    url_map.converters["int"] = RowId
