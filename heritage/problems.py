"""Errors as application/problem+json (RFC 9457): what the API answers, and what the site
answers for an /api/ address that no endpoint matched."""

from __future__ import annotations

from http import HTTPStatus

from flask import Response, jsonify, request
from flask_babel import force_locale
from werkzeug.exceptions import HTTPException

from heritage.bodies import too_large
from heritage.i18n import say
from heritage.ratelimit import retry_after
from heritage.text import Message
from heritage.vocab import LANGUAGES

PROBLEM_JSON = "application/problem+json"


def problem(status: int, detail: str, **extra: object) -> Response:
    """An application/problem+json response."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    body["detail"] = detail
    body.update({key: value for key, value in extra.items() if value is not None})
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    return response


def http_problem(error: HTTPException) -> Response:
    """Any HTTP error as problem+json; webargs' per-location messages flattened to fields."""
    if error.code == 413:  # said with the limit that applied to this request
        return problem(413, in_language(too_large()))
    messages = (getattr(error, "data", None) or {}).get("messages")
    if isinstance(messages, dict):
        flat: dict = {}
        for location in messages.values():
            flat.update(location if isinstance(location, dict) else {"_schema": location})
        messages = flat
    detail = error.description or error.name
    if error.code == 422 and messages:  # webargs' own words name no argument
        detail = f"Not valid: {', '.join(sorted(map(str, messages)))}. Nothing was done."
    response = problem(error.code or 500, detail, errors=messages)
    if error.code == 429:
        response.headers["Retry-After"] = str(retry_after(error))
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="heritage"'
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def in_language(said: str | Message) -> str:
    """`said` in the language asked for with ?lang= (the staff pages ask), else English."""
    lang = request.args.get("lang")
    if lang not in LANGUAGES:
        return str(said)
    with force_locale(lang):
        return say(said)
