"""What every API blueprint shares: who is calling (token or session, CSRF for session
writes), rate limits, CORS for anonymous reads, and errors as application/problem+json
(RFC 9457) with a message a person can act on."""

from __future__ import annotations

from flask import Response, current_app, g, request
from flask_smorest import Blueprint
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException, Unauthorized

from heritage.api import auth, http, limits
from heritage.extensions import csrf
from heritage.problems import http_problem, in_language, problem
from heritage.services.errors import Conflict, Forbidden, Gone, ServiceError, from_exception

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What scripts on other sites may read of an anonymous answer.
EXPOSED_HEADERS = "ETag, Link, X-Total-Count, Location, Retry-After"


class ProblemSchema(Schema):
    """An error: what went wrong, for people (`detail`) and per field (`errors`)."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Unsupported Media Type"})
    status = fields.Integer(metadata={"example": 415})
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Messages per field, when the input was invalid."},
    )
    current_version = fields.Integer(
        metadata={"description": "On 409/412: the record's version now."}
    )
    changed = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw(allow_none=True)),
        metadata={"description": "On 409/412: {field: [value you read, value now]}."},
    )
    withdrawal_reason = fields.String(metadata={"description": "On 410: why it was withdrawn."})
    withdrawn_at = fields.DateTime(metadata={"description": "On 410: when."})


def guard(blueprint: Blueprint) -> None:
    """Give an API blueprint its authentication, limits, CORS and problem+json errors."""
    # CSRF is checked below, once the caller is known to use a session (tokens do not).
    csrf.exempt(blueprint)
    limits.apply(blueprint)
    blueprint.before_request(_authenticate)
    blueprint.after_request(_cors)
    blueprint.after_request(http.conditional)
    blueprint.register_error_handler(ValidationError, _invalid)
    blueprint.register_error_handler(ServiceError, _service_error)
    blueprint.register_error_handler(CSRFError, _csrf_error)
    blueprint.register_error_handler(HTTPException, http_problem)
    blueprint.register_error_handler(Exception, _unexpected)


def _authenticate() -> None:
    """A bad token is refused on any request; writes need an account, and a session's
    writes its CSRF token (the X-CSRFToken header)."""
    caller = auth.caller()
    if caller.refused:
        raise Unauthorized(caller.refused)
    if request.method in SAFE_METHODS:
        return
    if caller.actor is None:
        raise Unauthorized(
            "Sign in first: send an API token (Authorization: Bearer …) or use the session "
            "of a signed-in staff member."
        )
    if caller.token is None:
        csrf.protect()


def _cors(response: Response) -> Response:
    """Anonymous reads may be made from any site's scripts; nothing else, and never with
    credentials (the wildcard forbids browsers to send cookies along)."""
    if request.method in ("GET", "HEAD") and "Authorization" not in request.headers:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _invalid(error: ValidationError) -> Response:
    messages = error.normalized_messages()
    fields_ = ", ".join(sorted(map(str, messages))) if isinstance(messages, dict) else ""
    return problem(
        422,
        f"Some fields are not valid ({fields_}); nothing was saved.",
        errors=messages if isinstance(messages, dict) else {"_schema": messages},
    )


def _service_error(error: ServiceError) -> Response:
    if isinstance(error, Conflict):
        # A stale If-Match is a failed precondition; a clash at commit stays a conflict.
        stale = g.get("if_match") and error.current_version is not None
        return problem(
            412 if stale else error.status_code,
            error.message,
            current_version=error.current_version,
            changed=error.changed or None,
        )
    if isinstance(error, Forbidden) and auth.caller().actor is None:
        return http_problem(
            Unauthorized("Sign in first: send an API token (Authorization: Bearer …).")
        )
    if error.retry_after:  # a busy database, a media folder that refuses writes
        response = problem(error.status_code, in_language(error.message))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if isinstance(error, Gone):
        entity = error.entity
        withdrawn_at = entity.status_changed_at.isoformat() if entity.status_changed_at else None
        return problem(
            410,
            error.message,
            withdrawal_reason=entity.withdrawal_reason,
            withdrawn_at=withdrawn_at,
        )
    return problem(error.status_code, error.message)


def _csrf_error(error: CSRFError) -> Response:
    return problem(
        400,
        f"{error.description} Send the CSRF token of your signed-in session in the "
        "X-CSRFToken header, or use an API token instead of the session.",
    )


def _unexpected(error: Exception) -> Response:
    known = from_exception(error)
    if known is not None:  # a busy database, say: the caller can act on it
        return _service_error(known)
    current_app.logger.exception("unhandled error in the API")
    return problem(500, "Something went wrong on our side. It has been logged.")
