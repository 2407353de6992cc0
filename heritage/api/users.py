"""Staff accounts in the JSON API (admins): list, read, create, change role or deactivate."""

from __future__ import annotations

from flask import request, url_for
from flask_smorest import Blueprint
from werkzeug.exceptions import PreconditionFailed, PreconditionRequired

from heritage.api import auth
from heritage.api.common import READ_ERRORS, WRITE_ERRORS, documented
from heritage.api.errors import guard
from heritage.api.http import (
    ETAG_DOC,
    IF_MATCH_PARAMETER,
    LIST_HEADERS_DOC,
    PageArgs,
    json_body,
    json_request_body,
    page_body,
    page_envelope,
    page_headers,
)
from heritage.schemas.user import UserInput, UserOutput, UserUpdate
from heritage.services import users

blp = Blueprint("users_api", __name__, url_prefix="/api/v1", description="Accounts (admins).")
guard(blp)

UserPage = page_envelope(UserOutput, "UserPage")
ADMIN_ERRORS = {**READ_ERRORS, 401: "Not signed in.", 403: "Admins only."}


def _etag(user) -> str:
    return f'"user-{user.id}-{users.fingerprint(user)}"'


def _user(user, status: int = 200, **headers):
    return UserOutput().dump(user), status, {"ETag": _etag(user), **headers}


@blp.route("/users", methods=["GET"])
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.alt_response(200, schema=UserPage, headers=LIST_HEADERS_DOC, success=True)
@documented(blp, ADMIN_ERRORS)
def list_users(page: int, per_page: int):
    """Every account, active ones first."""
    found = users.users_page(actor=auth.actor(), page=page, per_page=per_page)
    body = page_body(found, UserOutput(many=True).dump(found.items))
    return body, 200, page_headers(found.total, found.page, found.per_page)


@blp.route("/users", methods=["POST"])
@blp.doc(**json_request_body(UserInput))
@blp.alt_response(201, schema=UserOutput, headers=ETAG_DOC, success=True)
@documented(blp, {k: v for k, v in WRITE_ERRORS.items() if k not in (404, 409, 412, 428)})
def create_user():
    """Create a staff account."""
    user = users.create_user(json_body(), actor=auth.actor())
    return _user(user, 201, Location=url_for(".get_user", user_id=user.id, _external=True))


@blp.route("/users/<int(max=2147483647):user_id>", methods=["GET"])
@blp.alt_response(200, schema=UserOutput, headers=ETAG_DOC, success=True)
@documented(blp, ADMIN_ERRORS)
def get_user(user_id: int):
    """One account."""
    return _user(users.read_user(user_id, actor=auth.actor()))


@blp.route("/users/<int(max=2147483647):user_id>", methods=["PATCH"])
@blp.doc(parameters=[IF_MATCH_PARAMETER], **json_request_body(UserUpdate))
@blp.alt_response(200, schema=UserOutput, headers=ETAG_DOC, success=True)
@documented(blp, WRITE_ERRORS)
def update_user(user_id: int):
    """Change an account's role, or deactivate (`active: false`) or activate it."""
    actor = auth.actor()
    current = users.read_user(user_id, actor=actor)
    if not request.headers.get("If-Match"):
        raise PreconditionRequired("Send the ETag you read in an If-Match header.")
    if _etag(current) not in request.headers["If-Match"]:
        raise PreconditionFailed("This account changed since you read it; read it again.")
    return _user(users.update_user(user_id, json_body(), actor=actor))
