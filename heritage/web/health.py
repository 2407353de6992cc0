"""/health: whether the database and the media folder are usable, for load balancers.

Redis, when configured, is reported too, but does not make a host unhealthy: without it
the host still serves, counting rate limits in its own memory until Redis answers again.
"""

from __future__ import annotations

import os
import tempfile

import redis
from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from heritage.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/health")
def check_health():
    """200 when every part works, 503 naming the part that does not."""
    checks = {"database": _database_state(), "media": _media_state()}
    healthy = all(state == "ok" for state in checks.values())
    shared = {"redis": _redis_state()}
    status = "ok" if healthy else "unavailable"
    if healthy and shared["redis"] not in ("ok", "not configured"):
        status = "degraded"
    body = {"status": status, **checks, **shared}
    return body, 200 if healthy else 503, {"Cache-Control": "no-store"}


def _database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"
    finally:
        db.session.rollback()
    return "ok"


def _redis_state() -> str:
    url = current_app.config["REDIS_URL"]
    if not url:
        return "not configured"
    options = current_app.config["RATELIMIT_STORAGE_OPTIONS"]
    client = redis.Redis.from_url(url, **options)
    try:
        client.ping()
    except redis.RedisError:
        return "unreachable"
    finally:
        client.close()
    return "ok"


def _media_state() -> str:
    """The media root must exist and accept a new file."""
    root = current_app.config["MEDIA_ROOT"]
    if not os.path.isdir(root):
        return "missing"
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".health-"):
            pass
    except OSError:
        return "not writable"
    return "ok"
