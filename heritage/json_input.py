"""JSON request bodies, parsed once for every door: what no parser or database should be
handed is refused as not valid JSON, before any schema or service sees it."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.json.provider import DefaultJSONProvider

# Deeper than any body the archive takes (its deepest is a list inside an object); far
# below the depth at which the parser itself runs out of stack.
MAX_DEPTH = 32
# UTF-16 halves on their own are not characters: no UTF-8 column can store them.
_SURROGATE = re.compile("[\ud800-\udfff]")


class NotValidJSON(ValueError):
    """A body that is not JSON the archive can take; the message says why, for people."""


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, but loading refuses NaN and Infinity, lone surrogates and deep nesting."""

    def loads(self, s, **kwargs):
        return loads(s, **kwargs)


def init_app(app: Flask) -> None:
    app.json = StrictJSONProvider(app)


def loads(text: str | bytes, **kwargs) -> object:
    """Parse a JSON document as RFC 8259 and I-JSON (RFC 7493) define it, or NotValidJSON."""
    kwargs.setdefault("parse_constant", _refuse_constant)
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise NotValidJSON(f"it nests deeper than {MAX_DEPTH} levels.") from None
    except UnicodeDecodeError:
        raise NotValidJSON("it is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise NotValidJSON(f"{error.msg} (line {error.lineno}, column {error.colno}).") from None
    _check(value)
    return value


def _refuse_constant(name: str) -> float:
    raise NotValidJSON(f"{name} is not a JSON number.")


def _check(value: object) -> None:
    """Refuse nesting deeper than MAX_DEPTH and strings holding lone surrogates (without
    recursion, so a body cannot exhaust the stack here either)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_text(item)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise NotValidJSON(f"it nests deeper than {MAX_DEPTH} levels.")
        if isinstance(item, dict):
            for key in item:
                _check_text(key)
            children = item.values()
        else:
            children = item
        pending.extend((child, depth + 1) for child in children)


def _check_text(text: str) -> None:
    found = _SURROGATE.search(text)
    if found:
        raise NotValidJSON(
            f"a string holds a lone surrogate (\\u{ord(found.group()):04x}), which is not a "
            "character."
        )
