"""What every API blueprint shares: session auth with CSRF for writes, and errors as
application/problem+json (RFC 9457) with a message a person can act on."""

from __future__ import annotations

from http import HTTPStatus

from flask import Response, current_app, jsonify, request
from flask_smorest import Blueprint
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, Unauthorized

from heritage.extensions import csrf
from heritage.services.errors import Conflict, ServiceError
from heritage.web.auth import current_actor

PROBLEM_JSON = "application/problem+json"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ProblemSchema(Schema):
    """An error: what went wrong, for people (`detail`) and per field (`errors`)."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Unsupported Media Type"})
    status = fields.Integer(metadata={"example": 415})
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages per field, when the input was invalid."},
    )


def problem(status: int, detail: str, **extra: object) -> Response:
    """An application/problem+json response."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    body["detail"] = detail
    body.update({key: value for key, value in extra.items() if value})
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    return response


def guard(blueprint: Blueprint) -> None:
    """Give an API blueprint its authentication and its problem+json error handlers."""
    # CSRF is checked below, once the caller is known to use a session (tokens will not).
    csrf.exempt(blueprint)
    blueprint.before_request(_authenticate)
    blueprint.register_error_handler(ValidationError, _invalid)
    blueprint.register_error_handler(ServiceError, _service_error)
    blueprint.register_error_handler(CSRFError, _csrf_error)
    blueprint.register_error_handler(RequestEntityTooLarge, _too_large)
    blueprint.register_error_handler(HTTPException, _http_error)
    blueprint.register_error_handler(Exception, _unexpected)


def _authenticate() -> None:
    """Writes need a signed-in staff session and its CSRF token (the X-CSRFToken header)."""
    if request.method in SAFE_METHODS:
        return
    if current_actor() is None:
        raise Unauthorized(
            "Sign in first: the API accepts the session of a signed-in staff member."
        )
    csrf.protect()


def _invalid(error: ValidationError) -> Response:
    messages = error.normalized_messages()
    fields_ = ", ".join(sorted(messages)) if isinstance(messages, dict) else ""
    return problem(
        422,
        f"Some fields are not valid ({fields_}); nothing was saved.",
        errors=messages if isinstance(messages, dict) else {"_schema": messages},
    )


def _service_error(error: ServiceError) -> Response:
    if isinstance(error, Conflict):
        return problem(
            error.status_code,
            error.message,
            current_version=error.current_version,
            changed=error.changed,
        )
    return problem(error.status_code, error.message)


def _csrf_error(error: CSRFError) -> Response:
    return problem(
        400,
        f"{error.description} Send the CSRF token of your signed-in session in the "
        "X-CSRFToken header.",
    )


def _too_large(_error: RequestEntityTooLarge) -> Response:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return problem(
        413,
        f"The upload is larger than {limit / 2**20:.3g} MB, the most the archive accepts in "
        "one request. Nothing was saved.",
    )


def _http_error(error: HTTPException) -> Response:
    messages = (getattr(error, "data", None) or {}).get("messages")
    return problem(error.code or 500, error.description or error.name, errors=messages)


def _unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled error in the API")
    return problem(500, "Something went wrong on our side. It has been logged.")
