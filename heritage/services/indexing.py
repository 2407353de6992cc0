"""Keeping the search index in step with the database.

Every change writes an outbox row in its own transaction (services/outbox.py). After the
commit, `apply_pending` turns the rows into index updates and deletes them. It never lets
indexing trouble reach the user: if the index is busy or broken it logs, leaves the rows,
and they are applied by the next write or by `heritage reindex --pending`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import selectinload

from heritage.db import begin_write
from heritage.extensions import db
from heritage.models import (
    CollectionObject,
    ConditionSurvey,
    Gravestone,
    IndexOutbox,
    Photo,
    RestorationRecord,
    Site,
)
from heritage.periods import period_of
from heritage.schemas.gravestone import gregorian
from heritage.search import IndexBusy, IndexDamaged, get_backend
from heritage.search.documents import Document
from heritage.services import outbox
from heritage.vocab import (
    CATEGORIES,
    CONDITIONS,
    DAMAGE_EXTENTS,
    DAMAGE_TYPES,
    DISTRICTS,
    LANGUAGES,
    MARKER_TYPES,
    OBJECT_STATUSES,
    OBJECT_TYPES,
    PHOTO_STAGES,
    PUBLISHED,
    RISK_LEVELS,
    SITE_TYPES,
    SURVEY_METHODS,
    URGENCIES,
    WORK_STATUSES,
    WORK_TYPES,
)

log = logging.getLogger(__name__)

# Outbox rows applied per index commit.
BATCH = 200
# Sites per batch while rebuilding (their records and photos come along).
REBUILD_BATCH = 1000
# Archives up to this many records are rebuilt at once when the index is found missing;
# larger ones in the background.
SYNC_REBUILD_LIMIT = 20_000


def century(year: int | None) -> str | None:
    """The period of a year (heritage.periods) as a facet value: "18", "-3" for the 3rd
    century BCE, "-20" for the 2nd millennium BCE."""
    period = period_of(year)
    return None if period is None else str(period)


def _labels(vocabulary, code: str | None) -> list[str]:
    """A code's labels in every language, so a word of any of them finds the record."""
    if not code or code not in vocabulary:
        return []
    return list(vocabulary[code].labels().values())


def _day(value: date | datetime | None) -> int | None:
    return None if value is None else value.year * 10000 + value.month * 100 + value.day


def _names(site: Any) -> dict[str, str | None]:
    return {lang: getattr(site, f"name_{lang}") for lang in LANGUAGES}


def _all_names(site: Any) -> list[str]:
    return [*(name for name in _names(site).values() if name), *(site.alternative_names or [])]


def _sort_names(names: dict[str, str | None]) -> dict[str, str]:
    # As written: the index sorts them by each language's collation.
    return {lang: name for lang, name in names.items() if name}


def _published(entity: Any) -> int | None:
    """When `entity` was first published, in microseconds since 1970."""
    moment = entity.published_at
    if moment is None:
        return None
    return round(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp() * 1_000_000)


def _site_facets(site: Any) -> dict[str, str | None]:
    return {
        "category": site.category,
        "site_type": site.site_type,
        "district": site.district,
        "condition": site.condition,
        "clearance_status": site.clearance_status,
        "century": century(site.year_from),
    }


# The builders read attributes only, so they take ORM objects and plain rows alike.


def site_document(site: Any) -> Document:
    """The index entry of a site."""
    return Document(
        kind="site",
        entity_id=site.id,
        site_id=site.id,
        public=site.status == PUBLISHED,
        names=[*_all_names(site), site.inventory_number or ""],
        short=[site.settlement or "", *_labels(DISTRICTS, site.district)],
        text=[
            *(getattr(site, f"description_{lang}") or "" for lang in LANGUAGES),
            *(getattr(site, f"period_{lang}") or "" for lang in LANGUAGES),
            *_labels(SITE_TYPES, site.site_type),
            *_labels(CATEGORIES, site.category),
            *_labels(CONDITIONS, site.condition),
        ],
        facets={**_site_facets(site), "kind": "site", "status": site.status},
        year_from=site.year_from,
        year_to=site.year_to,
        sort_names=_sort_names(_names(site)),
        date=None if site.year_from is None else site.year_from * 10000,
        published=_published(site),
    )


def record_document(record: Any, site: Any) -> Document:
    """The index entry of a restoration record; it carries its site's names and facets."""
    return Document(
        kind="record",
        entity_id=record.id,
        site_id=site.id,
        public=record.status == PUBLISHED and site.status == PUBLISHED,
        names=[record.title],
        short=[record.organisation or "", record.team or ""],
        related=_all_names(site),
        text=[
            record.description or "",
            record.materials or "",
            record.techniques or "",
            *_labels(WORK_TYPES, record.work_type),
            *_labels(WORK_STATUSES, record.work_status),
        ],
        facets={
            **_site_facets(site),
            "kind": "record",
            "work_type": record.work_type,
            "status": record.status,
        },
        year_from=site.year_from,
        year_to=site.year_to,
        sort_names=_sort_names({"az": record.title}),
        date=_day(record.start_date),
        published=_published(record),
    )


def photo_document(photo: Any, site: Any, record: Any | None, part: Any | None = None) -> Document:
    """The index entry of a photo: its captions, credit and its site's names. `part` is the
    object, gravestone or survey it shows, if any: public only while that one is too."""
    public = photo.status == PUBLISHED and site.status == PUBLISHED
    for subject in (record, part):
        if subject is not None:
            public = public and subject.status == PUBLISHED
    captions = {lang: getattr(photo, f"caption_{lang}") for lang in LANGUAGES}
    return Document(
        kind="photo",
        entity_id=photo.id,
        site_id=site.id,
        public=public,
        short=[photo.photographer or "", photo.credit or ""],
        related=_all_names(site),
        text=[
            *(caption or "" for caption in captions.values()),
            *(getattr(photo, f"alt_{lang}") or "" for lang in LANGUAGES),
            *_labels(PHOTO_STAGES, photo.stage),
        ],
        facets={
            **_site_facets(site),
            "kind": "photo",
            "work_type": record.work_type if record is not None else None,
            "status": photo.status,
        },
        year_from=site.year_from,
        year_to=site.year_to,
        sort_names=_sort_names(captions),
        date=_day(photo.captured_at),
        published=_published(photo),
    )


def object_document(obj: Any, site: Any) -> Document:
    """The index entry of a collection object: its titles and inventory number as names,
    what is known of it, and its site's names and facets."""
    titles = {lang: getattr(obj, f"title_{lang}") for lang in LANGUAGES}
    history = obj.status_history or []
    return Document(
        kind="object",
        entity_id=obj.id,
        site_id=site.id,
        public=obj.status == PUBLISHED and site.status == PUBLISHED,
        names=[*(title for title in titles.values() if title), obj.inventory_number],
        short=[obj.maker or "", obj.current_location or ""],
        related=_all_names(site),
        text=[
            *(getattr(obj, f"description_{lang}") or "" for lang in LANGUAGES),
            obj.materials or "",
            obj.technique or "",
            obj.provenance or "",
            obj.date_text or "",
            *(change.get("evidence") or "" for change in history),
            *_labels(OBJECT_TYPES, obj.object_type),
            *_labels(OBJECT_STATUSES, obj.object_status),
        ],
        facets={
            **_site_facets(site),
            "kind": "object",
            "object_type": obj.object_type,
            "object_status": obj.object_status,
            "status": obj.status,
        },
        year_from=obj.year_from,
        year_to=obj.year_to,
        sort_names=_sort_names(titles),
        date=None if obj.year_from is None else obj.year_from * 10000,
        published=_published(obj),
    )


def gravestone_document(stone: Any, site: Any) -> Document:
    """The index entry of a gravestone: the names it bears as inscribed and as read (so any
    spelling finds them), its inscription with its reading and translations."""
    persons = stone.persons or []
    names = [
        person.get(part) or "" for person in persons for part in ("name_read", "name_inscribed")
    ]
    years = [gregorian(person.get("death_year"), stone.calendar) for person in persons]
    death = min((year["gregorian"][0] for year in years if year), default=None)
    return Document(
        kind="gravestone",
        entity_id=stone.id,
        site_id=site.id,
        public=stone.status == PUBLISHED and site.status == PUBLISHED,
        names=[*names, stone.number],
        short=[stone.inscription_reading or ""],
        related=_all_names(site),
        text=[
            stone.inscription or "",
            *(getattr(stone, f"translation_{lang}") or "" for lang in LANGUAGES),
            stone.decoration or "",
            stone.material or "",
            *_labels(MARKER_TYPES, stone.marker_type),
        ],
        facets={
            **_site_facets(site),
            "kind": "gravestone",
            "marker_type": stone.marker_type,
            "status": stone.status,
        },
        year_from=death,
        year_to=death,
        sort_names=_sort_names({"az": next((name for name in names if name), stone.number)}),
        date=None if death is None else death * 10000,
        published=_published(stone),
    )


def gravest_damage(damages: list[dict]) -> str | None:
    """The type of the most extensive damage found (the first of equals), for the facet."""
    extents = DAMAGE_EXTENTS.codes
    ranked = [d for d in damages or [] if d.get("extent") in extents]
    if not ranked:
        return None
    return max(ranked, key=lambda d: extents.index(d["extent"]))["damage_type"]


def survey_document(survey: Any, site: Any, part: Any | None = None) -> Document:
    """The index entry of a condition survey: who assessed, what was found and recommended,
    the damage; it carries its site's names and facets, with the condition it found. `part`
    is the object or gravestone surveyed, if any."""
    public = survey.status == PUBLISHED and site.status == PUBLISHED
    if part is not None:
        public = public and part.status == PUBLISHED
    damages = survey.damages or []
    return Document(
        kind="survey",
        entity_id=survey.id,
        site_id=site.id,
        public=public,
        short=[survey.assessor or "", survey.organisation or ""],
        related=_all_names(site),
        text=[
            *(getattr(survey, f"findings_{lang}") or "" for lang in LANGUAGES),
            *(getattr(survey, f"recommendations_{lang}") or "" for lang in LANGUAGES),
            *_labels(SURVEY_METHODS, survey.method),
            *_labels(CONDITIONS, survey.overall_condition),
            *_labels(RISK_LEVELS, survey.risk_level),
            *_labels(URGENCIES, survey.urgency),
            *(label for d in damages for label in _labels(DAMAGE_TYPES, d.get("damage_type"))),
        ],
        facets={
            **_site_facets(site),
            "kind": "survey",
            "condition": survey.overall_condition,
            "risk_level": survey.risk_level,
            "urgency": survey.urgency,
            "damage_type": gravest_damage(damages),
            "status": survey.status,
        },
        year_from=site.year_from,
        year_to=site.year_to,
        sort_names=_sort_names(_names(site)),
        date=_day(survey.survey_date),
        published=_published(survey),
    )


def _family(
    site: Any,
    records: list[Any],
    photos: list[Any],
    objects: list[Any],
    stones: list[Any],
    surveys: list[Any],
) -> Iterator[Document]:
    """A site's entry and those of its records, photos, collection objects, gravestones and
    surveys, whose facets (and whether the public may see them) follow the site."""
    yield site_document(site)
    by_id = {record.id: record for record in records}
    objects_by_id = {obj.id: obj for obj in objects}
    stones_by_id = {stone.id: stone for stone in stones}
    surveys_by_id = {survey.id: survey for survey in surveys}
    for record in records:
        yield record_document(record, site)
    for photo in photos:
        part = (
            objects_by_id.get(photo.object_id)
            or stones_by_id.get(photo.gravestone_id)
            or surveys_by_id.get(photo.survey_id)
        )
        yield photo_document(photo, site, by_id.get(photo.record_id), part)
    for obj in objects:
        yield object_document(obj, site)
    for stone in stones:
        yield gravestone_document(stone, site)
    for survey in surveys:
        part = objects_by_id.get(survey.object_id) or stones_by_id.get(survey.gravestone_id)
        yield survey_document(survey, site, part)


def _documents_for(entity_type: str, ids: set[int]) -> Iterator[Document]:
    """The current entries of the outbox's records (a site brings its children)."""
    if not ids:
        return
    if entity_type == "site":
        query = (
            select(Site)
            .where(Site.id.in_(ids))
            .options(
                selectinload(Site.records),
                selectinload(Site.photos),
                selectinload(Site.objects),
                selectinload(Site.gravestones),
                selectinload(Site.surveys),
            )
        )
        for site in db.session.scalars(query):
            yield from _family(
                site, site.records, site.photos, site.objects, site.gravestones, site.surveys
            )
    elif entity_type == "record":
        query = (
            select(RestorationRecord)
            .where(RestorationRecord.id.in_(ids))
            .options(selectinload(RestorationRecord.site), selectinload(RestorationRecord.photos))
        )
        for record in db.session.scalars(query):
            yield record_document(record, record.site)
            for photo in record.photos:
                yield photo_document(photo, record.site, record)
    elif entity_type == "photo":
        query = (
            select(Photo)
            .where(Photo.id.in_(ids))
            .options(selectinload(Photo.site), selectinload(Photo.record))
        )
        for photo in db.session.scalars(query):
            part = photo.object or photo.gravestone or photo.survey
            yield photo_document(photo, photo.site, photo.record, part)
    elif entity_type == "object":
        query = (
            select(CollectionObject)
            .where(CollectionObject.id.in_(ids))
            .options(selectinload(CollectionObject.site))
        )
        for obj in db.session.scalars(query):
            yield object_document(obj, obj.site)
            yield from _parts_photos(obj)
    elif entity_type == "gravestone":
        query = (
            select(Gravestone).where(Gravestone.id.in_(ids)).options(selectinload(Gravestone.site))
        )
        for stone in db.session.scalars(query):
            yield gravestone_document(stone, stone.site)
            yield from _parts_photos(stone)
    elif entity_type == "survey":
        query = (
            select(ConditionSurvey)
            .where(ConditionSurvey.id.in_(ids))
            .options(selectinload(ConditionSurvey.site), selectinload(ConditionSurvey.photos))
        )
        for survey in db.session.scalars(query):
            yield survey_document(survey, survey.site, survey.subject)
            yield from _parts_photos(survey)


def _parts_photos(part: Any) -> Iterator[Document]:
    """The entries of the photos of an object, gravestone or survey, which are public only
    while it is; and of the surveys of an object or gravestone, for the same reason."""
    for photo in part.photos:
        yield photo_document(photo, part.site, None, part)
    if not isinstance(part, ConditionSurvey):
        column = (
            ConditionSurvey.object_id
            if isinstance(part, CollectionObject)
            else ConditionSurvey.gravestone_id
        )
        for survey in db.session.scalars(select(ConditionSurvey).where(column == part.id)):
            yield survey_document(survey, part.site, part)


@dataclass(frozen=True)
class Applied:
    """What one `apply_pending` call did."""

    rows: int
    documents: int
    # Rows left for later because the index was busy or failed.
    left: bool


def _pending_rows(limit: int) -> list[IndexOutbox]:
    return list(db.session.scalars(select(IndexOutbox).order_by(IndexOutbox.id).limit(limit)))


def _apply_batch(limit: int, *, wait: float) -> tuple[int, int]:
    """Apply up to `limit` outbox rows and delete them; returns (rows, entries).

    The rows and the records are read only once the index's writer lock is held: an entry
    read before that could be older than one another writer is committing meanwhile, and
    writing it afterwards would put the older version back.
    """
    taken: list[tuple[int, datetime]] = []

    def documents() -> list[Document]:
        db.session.rollback()  # a fresh snapshot, now that no other writer is between
        rows = _pending_rows(limit)
        taken.extend((row.id, row.created_at) for row in rows)
        wanted: dict[str, set[int]] = {}
        for row in rows:
            wanted.setdefault(row.entity_type, set()).add(row.entity_id)
        found = [doc for kind, ids in wanted.items() for doc in _documents_for(kind, ids)]
        db.session.rollback()
        return found

    written = get_backend().update(documents, wait=wait)
    if taken:
        # The index holds the change now; only then may the rows go. A crash between the
        # two leaves the rows, and applying them again changes nothing.
        # By id and time: SQLite reuses the ids of deleted rows, and a row added meanwhile
        # under a reused id is another change, still to be applied.
        begin_write()
        db.session.execute(
            delete(IndexOutbox).where(tuple_(IndexOutbox.id, IndexOutbox.created_at).in_(taken))
        )
        db.session.commit()
    return len(taken), written


def apply_pending(*, wait: float | None = None, limit: int | None = None) -> Applied:
    """Apply pending outbox rows to the index, oldest first, until none are left.

    `wait` is how long to wait for the index's writer lock (default: the configured
    SEARCH_LOCK_WAIT). A process that finds the index busy leaves its rows to the one
    writing, which looks for more rows after each batch, so nothing is stranded.
    """
    if wait is None:
        wait = current_app.config["SEARCH_LOCK_WAIT"]
    rows_done = documents_done = 0
    while limit is None or rows_done < limit:
        # Looked at before taking the lock, so a write with nothing to index costs no lock.
        if not _pending_rows(1):
            db.session.rollback()
            return Applied(rows_done, documents_done, left=False)
        batch = BATCH if limit is None else min(BATCH, limit - rows_done)
        try:
            rows, documents = _apply_batch(batch, wait=wait)
        except IndexBusy:
            db.session.rollback()
            log.info("search index busy; outbox rows left for its writer")
            return Applied(rows_done, documents_done, left=True)
        rows_done += rows
        documents_done += documents
    return Applied(rows_done, documents_done, left=pending_count() > 0)


def write_in_transaction() -> None:
    """Write the entries of what this transaction queued in the transaction itself, when
    the backend can (PostgreSQL), and drop their outbox rows: the index then never lags
    the database. If the write fails, or a rebuild is running (which may overwrite the
    rows before it ends), the outbox rows stay and are applied after the commit, or at the
    rebuild's end, as with the Whoosh backend."""
    backend = get_backend()
    rows = outbox.queued()
    if not rows or not getattr(backend, "writes_in_transaction", False):
        return
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row.entity_type, set()).add(row.entity_id)
    try:
        with db.session.begin_nested():
            found = [doc for kind, ids in wanted.items() for doc in _documents_for(kind, ids)]
            settled = backend.write(db.session.connection(), found)
    except Exception:
        log.exception("indexing in the transaction failed; the outbox rows stay for a retry")
        return
    if settled:
        db.session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_([r.id for r in rows])))


def apply_after_commit() -> None:
    """Catch the index up after a committed write; never fails the user's request."""
    try:
        apply_pending()
    except IndexDamaged as error:
        db.session.rollback()
        repair(error)
    except Exception:
        db.session.rollback()
        log.exception("applying the search outbox failed; the rows stay for a retry")


def pending_count() -> int:
    """How many outbox rows wait to be applied."""
    return db.session.scalar(select(func.count()).select_from(IndexOutbox)) or 0


def count_all() -> int:
    """How many records a full rebuild indexes."""
    return sum(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Site, RestorationRecord, Photo, CollectionObject, Gravestone, ConditionSurvey)
    )


def shard_documents(shard: int, shards: int) -> Iterator[Document]:
    """Every `shards`-th site (from `shard`) with its records and photos, read in batches of
    plain rows: a rebuild reads the whole archive, and ORM objects would double its time."""
    if shards > 1:
        # A build process forked from the command: never use the parent's connections.
        db.engine.dispose(close=False)
    sites, records, photos = Site.__table__, RestorationRecord.__table__, Photo.__table__
    objects, stones = CollectionObject.__table__, Gravestone.__table__
    surveys = ConditionSurvey.__table__
    last_id = 0
    while True:
        query = select(sites).where(sites.c.id > last_id).order_by(sites.c.id).limit(REBUILD_BATCH)
        if shards > 1:
            query = query.where(sites.c.id % shards == shard)
        batch = db.session.execute(query).all()
        if not batch:
            db.session.rollback()
            return
        ids = [site.id for site in batch]
        children: dict[int, tuple[list, ...]] = {site_id: ([], [], [], [], []) for site_id in ids}
        for record in db.session.execute(
            select(records).where(records.c.site_id.in_(ids)).order_by(records.c.id)
        ):
            children[record.site_id][0].append(record)
        for photo in db.session.execute(
            select(photos).where(photos.c.site_id.in_(ids)).order_by(photos.c.id)
        ):
            children[photo.site_id][1].append(photo)
        for obj in db.session.execute(
            select(objects).where(objects.c.site_id.in_(ids)).order_by(objects.c.id)
        ):
            children[obj.site_id][2].append(obj)
        for stone in db.session.execute(
            select(stones).where(stones.c.site_id.in_(ids)).order_by(stones.c.id)
        ):
            children[stone.site_id][3].append(stone)
        for survey in db.session.execute(
            select(surveys).where(surveys.c.site_id.in_(ids)).order_by(surveys.c.id)
        ):
            children[survey.site_id][4].append(survey)
        for site in batch:
            yield from _family(site, *children[site.id])
        last_id = ids[-1]


def documents_for_uids(uids: set[str]) -> Iterator[Document]:
    """The current entries of records named by index uids (site:12, record:7, object:5, …)."""
    wanted: dict[str, set[int]] = {}
    for uid in uids:
        kind, _, number = uid.partition(":")
        if number.isdigit():
            wanted.setdefault(kind, set()).add(int(number))
    for kind, ids in wanted.items():
        yield from _documents_for(kind, ids)


def rebuild(progress: Callable[[int], None] | None = None, processes: int | None = None) -> int:
    """Rebuild the whole index into a fresh directory and swap it in; returns entries.

    Search keeps answering from the old index meanwhile. Changes indexed during the rebuild
    are re-read before the swap, under the writer lock, so none is lost.
    """
    db.session.rollback()
    backend = get_backend()
    count = backend.rebuild(
        shard_documents, refresh=documents_for_uids, progress=progress, processes=processes
    )
    db.session.rollback()
    if getattr(backend, "writes_in_transaction", False):
        # What was saved during the rebuild, which it may have overwritten with older rows.
        apply_pending()
    return count


def complete_index() -> bool:
    """Rebuild the index now if it is missing, incomplete or unreadable; whether it was.

    For `init-db` and `demo`: a new archive then starts with a complete index (empty, which
    takes no time), which the demo's records join one by one, so the first search has
    nothing to rebuild."""
    backend = get_backend()
    if backend.is_healthy():
        return False
    rebuild(processes=1)
    backend.checked = True
    return True


def ensure_index() -> None:
    """Make sure the index is complete, once per process: if it is missing, marked
    incomplete or unreadable, rebuild it (at once for a small archive, in the background
    for a large one, while search answers from what there is)."""
    backend = get_backend()
    if backend.checked:
        return
    backend.checked = True
    if backend.is_healthy():
        return
    log.warning("the search index is missing or incomplete; rebuilding it")
    if count_all() <= SYNC_REBUILD_LIMIT:
        _rebuild_now()
        return
    app = current_app._get_current_object()
    threading.Thread(
        target=_rebuild_in_background, args=(app,), name="heritage-reindex", daemon=True
    ).start()


# The rebuild this process started for a damaged index, while it runs.
_repairing: dict[str, threading.Thread] = {}
_repairing_lock = threading.Lock()


def repair(error: IndexDamaged) -> None:
    """Rebuild a damaged index in the background (one rebuild a process; across processes
    the rebuild lock lets one through), and meanwhile have searches say it is being
    rebuilt. The outbox rows left while it was damaged are applied once it is whole.
    Nothing is done when a rebuild has already replaced the damaged generation."""
    if not get_backend().mark_damaged(error.generation):
        return
    app = current_app._get_current_object()
    with _repairing_lock:
        running = _repairing.get(app.config["INDEX_DIR"])
        if running is not None and running.is_alive():
            return
        log.warning("%s; rebuilding it", error)
        thread = threading.Thread(
            target=_rebuild_in_background,
            args=(app,),
            kwargs={"then_pending": True},
            name="heritage-repair-index",
            daemon=True,
        )
        _repairing[app.config["INDEX_DIR"]] = thread
        thread.start()


def _rebuild_now() -> None:
    """Rebuild the index; a failure is logged, never passed on to the search that asked."""
    started = time.perf_counter()
    try:
        count = rebuild(processes=1)
    except IndexBusy:
        log.info("another process is rebuilding the search index")
        return
    except Exception:
        log.exception("rebuilding the search index failed; run `heritage reindex`")
        return
    log.warning("search index rebuilt: %d entries in %.1f s", count, time.perf_counter() - started)


def _rebuild_in_background(app: Flask, *, then_pending: bool = False) -> None:
    with app.app_context():
        try:
            _rebuild_now()
            if then_pending:
                apply_after_commit()
        finally:
            db.session.remove()
