"""Public revisions: what validates each public page, and what each public change retires.

Public content is cut into scopes: one per item ("site:12", "photo:7", …), a few lists
("sites" for /sites and the map, "sitemap", "missing", "home") and a grid of cells over
the map (a site page shows its neighbours, so it shows the cells around it). A change the
public can see moves the archive's clock (scope "*") and sets every scope it touched to
the clock's new value, in the change's own transaction (`retire`); a page's validator is
the newest revision among the scopes it shows (`newest`). So a change retires the pages
that show it and leaves every other page as it was, on every host of the archive, since
the revisions live in the database.

Each process keeps what it has learnt of the revisions (`known`): the clock it last read
and every scope changed since it started, asked again only when a commit on this host
touched the change stamp (a file in the instance folder that every writing use case
replaces after it commits) or when the answer is older than `PUBLIC_REVISION_TTL`
seconds, which bounds how long a change made on another host can go unseen. A cached page
is good while none of its scopes has changed after the clock it was rendered under.
"""

from __future__ import annotations

import math
import os
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select

from heritage.db import upsert
from heritage.extensions import db
from heritage.models import PublicRevision, utcnow

STAMP = "archive-changed"
# Moved by every public change: the revision of a page that names no scopes.
CLOCK = "*"
# Where the archive's revision stood when scopes began (migration 0020): every page shows it.
FLOOR = "~"
# The lists: the home page; /sites, the map and its points; the sitemap; the missing objects.
HOME = "home"
SITES = "sites"
SITEMAP = "sitemap"
MISSING = "missing"
# The side of a map cell, in degrees: wider than the neighbourhood a site page shows
# (public.NEARBY_RADIUS), so a page shows a handful of cells.
CELL = 0.2


@dataclass(frozen=True)
class Revision:
    number: int
    at: datetime | None


# --- scope names -----------------------------------------------------------------------


def item(kind: str, entity_id: int | None) -> list[str]:
    """The scope of one record's own page (none for a record it does not belong to)."""
    return [] if entity_id is None else [f"{kind}:{entity_id}"]


def cell(latitude: float | None, longitude: float | None) -> list[str]:
    """The map cell a place lies in (none without coordinates)."""
    if latitude is None or longitude is None:
        return []
    return [f"cell:{math.floor(latitude / CELL)}:{math.floor(longitude / CELL)}"]


def cells(south: float, west: float, north: float, east: float) -> list[str]:
    """Every map cell a box overlaps."""
    rows = range(math.floor(south / CELL), math.floor(north / CELL) + 1)
    columns = range(math.floor(west / CELL), math.floor(east / CELL) + 1)
    return [f"cell:{row}:{column}" for row in rows for column in columns]


# --- a change retires scopes (in its transaction) ------------------------------------------


def retire(scopes: Iterable[str]) -> None:
    """Move the clock and set each of `scopes` to its new value, in the current transaction.

    The clock's row stays locked until the commit, so the numbers it hands out are in the
    order the changes commit: a process that has read the clock at N has seen every change
    numbered N or less.
    """
    now = utcnow()
    clock = upsert(PublicRevision, [{"scope": CLOCK, "revision": 1, "changed_at": now}])
    number = db.session.scalar(
        clock.on_conflict_do_update(
            index_elements=["scope"],
            set_={"revision": PublicRevision.revision + 1, "changed_at": now},
        ).returning(PublicRevision.revision)
    )
    rows = [{"scope": s, "revision": number, "changed_at": now} for s in sorted(set(scopes))]
    if rows:
        statement = upsert(PublicRevision, rows)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["scope"],
                set_={"revision": statement.excluded.revision, "changed_at": now},
            )
        )


def newest(scopes: Iterable[str]) -> Revision:
    """The newest revision among `scopes` (and the floor), read afresh: a page's validator."""
    query = (
        select(PublicRevision.revision, PublicRevision.changed_at)
        .where(PublicRevision.scope.in_(sorted({FLOOR, *scopes})))
        .order_by(PublicRevision.revision.desc())
        .limit(1)
    )
    row = db.session.execute(query).first()
    return Revision(row.revision, row.changed_at) if row else Revision(0, None)


def archive_revision() -> Revision:
    """The archive's clock, read afresh."""
    return newest([CLOCK])


# --- what this process knows --------------------------------------------------------------


@dataclass
class Known:
    """The clock as last read, and the revision of every scope changed since this process
    first asked (older changes are older than any page it has rendered)."""

    clock: int
    changed: dict[str, int] = field(default_factory=dict)
    stamp: tuple[int, int] | None = None
    checked: float = 0.0

    def unchanged_since(self, scopes: Iterable[str], clock: int) -> bool:
        """Whether none of `scopes` has changed after `clock`, as far as this process knows."""
        return all(self.changed.get(scope, 0) <= clock for scope in scopes)


_lock = threading.Lock()
# Per app (tests run many): what it knows.
_known: dict[str, Known] = {}


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


def known(app: Flask) -> Known:
    """What this process knows of the revisions, from memory while nothing says it changed.

    Takes the app rather than using the current one: the public page cache asks before
    Flask has set up a request.
    """
    key = app.instance_path
    stamp = _stamp(app)
    now = time.monotonic()
    knowledge = _known.get(key)
    ttl = app.config["PUBLIC_REVISION_TTL"]
    if knowledge is not None and knowledge.stamp == stamp and now - knowledge.checked < ttl:
        return knowledge
    with app.app_context():
        if knowledge is None:
            found = Known(clock=archive_revision().number)
        else:
            # Only what changed since the clock last read: an index range, however big
            # the archive.
            query = select(PublicRevision.scope, PublicRevision.revision).where(
                PublicRevision.revision > knowledge.clock
            )
            rows = db.session.execute(query).all()
            changed = {**knowledge.changed, **dict(rows)}
            found = Known(clock=max([knowledge.clock, *changed.values()]), changed=changed)
    found.stamp, found.checked = stamp, now
    with _lock:
        _known[key] = found
    return found
