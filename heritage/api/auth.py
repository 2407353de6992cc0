"""Who is calling the API: a bearer token, a signed-in session, or nobody.

A request with `Authorization: Bearer <token>` is the token's account (read-only if the
token is) and never looks at cookies, so it needs no CSRF token. Without that header the
session decides, and writes need the session's CSRF token (X-CSRFToken).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from werkzeug.exceptions import Unauthorized

from heritage.identity import current_actor
from heritage.models import ApiToken, User
from heritage.services import tokens


@dataclass(frozen=True)
class Caller:
    actor: User | None
    token: ApiToken | None = None
    # Why a bearer token was refused; the request then fails with 401.
    refused: str | None = None


def caller() -> Caller:
    """The caller of this request, worked out once."""
    if "api_caller" not in g:
        g.api_caller = _identify()
    return g.api_caller


def actor() -> User | None:
    """The account the request acts for, or None (anonymous); 401 for a bad token."""
    found = caller()
    if found.refused:
        raise Unauthorized(found.refused)
    return found.actor


def _identify() -> Caller:
    header = request.headers.get("Authorization")
    if header is None:
        return Caller(actor=current_actor())
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return Caller(None, refused="Use `Authorization: Bearer <token>` with an API token.")
    token = tokens.authenticate(secret.strip())
    if token is None:
        return Caller(
            None,
            refused="This API token is not valid: unknown, revoked, or its account is deactivated.",
        )
    user = token.user
    user.read_only = token.read_only
    return Caller(actor=user, token=token)
