"""Rate limits on the API: per client address for anonymous callers, per token for tokens.

Signed-in staff using the web workspace's session are not limited here (their pages are
not either). Over the limit the answer is 429 with Retry-After, as problem+json.
"""

from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint

from heritage.api import auth
from heritage.extensions import limiter


def apply(blueprint: Blueprint) -> None:
    """Count every request to `blueprint` against one limit shared by the whole API."""
    limiter.shared_limit(_limit, scope="api", key_func=_key, exempt_when=_session_user)(blueprint)


def _limit() -> str:
    if auth.caller().token is not None:
        return current_app.config["API_RATE_LIMIT_TOKEN"]
    return current_app.config["API_RATE_LIMIT_ANONYMOUS"]


def _key() -> str:
    token = auth.caller().token
    return f"token:{token.id}" if token is not None else f"address:{request.remote_addr}"


def _session_user() -> bool:
    caller = auth.caller()
    return caller.token is None and caller.actor is not None
