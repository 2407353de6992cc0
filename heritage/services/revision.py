"""The archive's revision: what validates every public page, known without a query.

Every change that can alter a public page writes an audit event marked public, so the newest
such event is the archive's revision; staff work on what the public does not see (drafts,
reviews, proposals, internal notes) moves nothing the public can observe. Asking the
database for it on every public request would cost more than answering a repeat visit, so
each process keeps the last answer and asks again only when a commit has touched the change
stamp (a file in the instance folder that every writing use case replaces after it
commits) or when the answer is older than `PUBLIC_REVISION_TTL` seconds, which bounds how
long a change made outside this host's processes (another host on the same PostgreSQL,
say) can go unseen.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import AuditEvent

STAMP = "archive-changed"


@dataclass(frozen=True)
class Revision:
    number: int
    at: datetime | None


@dataclass
class _Known:
    revision: Revision
    stamp: tuple[int, int] | None
    checked: float


_lock = threading.Lock()
# Per app (tests run many), the last revision read and the stamp it was read under.
_known: dict[str, _Known] = {}


def _stamp_path(app: Flask) -> Path:
    return Path(app.instance_path) / STAMP


def _stamp(app: Flask) -> tuple[int, int] | None:
    try:
        # A plain string join: this runs on every public request.
        info = os.stat(os.path.join(app.instance_path, STAMP))
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns


def note_commit() -> None:
    """Tell every process on this host that the archive changed (after a commit).

    A fresh file renamed over the stamp gets a new inode, so even two commits within the
    clock's resolution are told apart.
    """
    path = _stamp_path(current_app)
    temporary = path.with_name(f".{STAMP}.{uuid.uuid4().hex}")
    try:
        temporary.write_bytes(b"")
        os.replace(temporary, path)
    except OSError:
        # A read-only instance folder: pages are then revalidated by the TTL alone.
        temporary.unlink(missing_ok=True)


def archive_revision() -> Revision:
    """The newest audit event that changed what the public sees, read afresh."""
    query = select(AuditEvent.id, AuditEvent.at).where(AuditEvent.public)
    row = db.session.execute(query.order_by(AuditEvent.id.desc()).limit(1)).first()
    return Revision(number=row.id, at=row.at) if row else Revision(number=0, at=None)


def current_revision(app: Flask) -> Revision:
    """The archive's revision, from memory while nothing says it changed.

    Takes the app rather than using the current one: the public page cache asks before
    Flask has set up a request.
    """
    key = app.instance_path
    stamp = _stamp(app)
    now = time.monotonic()
    known = _known.get(key)
    ttl = app.config["PUBLIC_REVISION_TTL"]
    if known is not None and known.stamp == stamp and now - known.checked < ttl:
        return known.revision
    with app.app_context():
        revision = archive_revision()
    with _lock:
        _known[key] = _Known(revision, stamp, now)
    return revision
