"""/health: whether the database and the media folder are usable, for load balancers."""

from __future__ import annotations

import os
import tempfile

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
    body = {"status": "ok" if healthy else "unavailable", **checks}
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
