"""What harvesters may take: the public state of every site and restoration record, with
the moment it last changed for the public, kept in the same transaction as each change.

`outbox.enqueue` notes every changed record in the session; `catch_up` (run by
`write_transaction` just before it commits) compares what the public now sees of each
with its harvest row, and replaces the row when that changed: a new datestamp for an
edit the public can see, a deleted row for a record that left the public view, nothing
for a draft's edit or a staff note. So OAI-PMH datestamps say nothing of staff activity,
and a harvest resumed by id misses no change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, text

from heritage.extensions import db
from heritage.models import HarvestRecord, RestorationRecord, Site, utcnow
from heritage.services import public
from heritage.vocab import (
    CATEGORIES,
    CONDITIONS,
    DISTRICTS,
    LANGUAGES,
    SITE_TYPES,
    WORK_STATUSES,
    WORK_TYPES,
)

SITE, RESTORATION = "site", "record"
KINDS = (SITE, RESTORATION)
_NOTED = "harvest.changed"

# The sets harvesters can ask for: by kind, and by the site's category, type and district
# ("district:shusha"); the part before the colon is a set of its own holding them all.
SET_FAMILIES = {
    "kind": None,
    "category": CATEGORIES,
    "type": SITE_TYPES,
    "district": DISTRICTS,
}
_FAMILY_COLUMNS = {
    "category": HarvestRecord.category,
    "type": HarvestRecord.site_type,
    "district": HarvestRecord.district,
}
_KIND_NAMES = {
    SITE: {"az": "Abidələr", "en": "Heritage sites", "ru": "Памятники"},
    RESTORATION: {"az": "Bərpa işləri", "en": "Restoration work", "ru": "Реставрационные работы"},
}
_FAMILY_NAMES = {
    "kind": {"az": "Qeyd növü", "en": "Kind of record", "ru": "Вид записи"},
    "category": {"az": "Kateqoriya", "en": "Category", "ru": "Категория"},
    "type": {"az": "Abidə növü", "en": "Type of site", "ru": "Тип памятника"},
    "district": {"az": "Rayon", "en": "District", "ru": "Район"},
}


@dataclass(frozen=True)
class Element:
    """One Dublin Core element: its name, value, and language (None: not in a language)."""

    name: str
    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Entry:
    """A public record as harvesters receive it."""

    kind: str
    id: int
    site_slug: str
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class SetInfo:
    spec: str
    names: dict[str, str]


# --- keeping the rows up to date ------------------------------------------------------------


def note(entity_type: str, entity_id: int) -> None:
    """Remember, in this session, that a record changed; `catch_up` looks at it on commit."""
    if entity_type in KINDS:
        db.session.info.setdefault(_NOTED, set()).add((entity_type, entity_id))


def forget() -> None:
    """Drop what was noted (the transaction was undone)."""
    db.session.info.pop(_NOTED, None)


def catch_up() -> None:
    """Bring the harvest rows of every noted record (and of a changed site's records) in line
    with what the public sees now; part of the transaction about to commit."""
    noted = db.session.info.pop(_NOTED, set())
    if not noted:
        return
    site_ids = {entity_id for kind, entity_id in noted if kind == SITE}
    record_ids = {entity_id for kind, entity_id in noted if kind == RESTORATION}
    if site_ids:
        record_ids |= set(
            db.session.scalars(
                select(RestorationRecord.id).where(RestorationRecord.site_id.in_(site_ids))
            )
        )
    db.session.flush()
    if db.engine.dialect.name == "postgresql":
        # Writers of harvest rows take turns until they commit, so ids are handed out in
        # commit order and a harvester reading up to one id has seen every lower one.
        db.session.execute(text("LOCK TABLE harvest_records IN EXCLUSIVE MODE"))
    _refresh(SITE, site_ids)
    _refresh(RESTORATION, record_ids)


def _refresh(kind: str, ids: set[int]) -> None:
    if not ids:
        return
    visible = {entry.id: entry for entry in _public_entries(kind, ids)}
    rows = {
        row.entity_id: row
        for row in db.session.scalars(
            select(HarvestRecord).where(
                HarvestRecord.entity_type == kind, HarvestRecord.entity_id.in_(ids)
            )
        )
    }
    sets = _sets_of(kind, ids)
    now = utcnow()
    for entity_id in sorted(ids):
        row, entry = rows.get(entity_id), visible.get(entity_id)
        if entry is None:
            if row is not None and not row.deleted:
                _replace(row, kind, entity_id, now, deleted=True, fingerprint=None, sets=sets)
            continue
        fingerprint = _fingerprint(entry, sets.get(entity_id))
        if row is None or row.deleted or row.fingerprint != fingerprint:
            _replace(row, kind, entity_id, now, deleted=False, fingerprint=fingerprint, sets=sets)


def _replace(row, kind, entity_id, now, *, deleted, fingerprint, sets) -> None:
    if row is not None:
        db.session.delete(row)
        db.session.flush()
    category, site_type, district = sets.get(entity_id, (None, None, None))
    db.session.add(
        HarvestRecord(
            entity_type=kind,
            entity_id=entity_id,
            datestamp=now,
            deleted=deleted,
            fingerprint=fingerprint,
            category=category,
            site_type=site_type,
            district=district,
        )
    )


def _sets_of(kind: str, ids: set[int]) -> dict[int, tuple]:
    columns = (Site.category, Site.site_type, Site.district)
    if kind == SITE:
        query = select(Site.id, *columns).where(Site.id.in_(ids))
    else:
        query = (
            select(RestorationRecord.id, *columns)
            .join(Site, RestorationRecord.site_id == Site.id)
            .where(RestorationRecord.id.in_(ids))
        )
    return {row[0]: tuple(row[1:]) for row in db.session.execute(query)}


def _fingerprint(entry: Entry, sets: tuple | None) -> str:
    content = [
        entry.site_slug,
        list(sets or ()),
        [list(e.__dict__.values()) for e in entry.elements],
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


# --- what the public sees, in Dublin Core ----------------------------------------------------


def _public_entries(kind: str, ids: Iterable[int]) -> list[Entry]:
    """The public records among `ids`, through the public gate, as Dublin Core."""
    ids = list(ids)
    if kind == SITE:
        sites = db.session.scalars(public.published_sites().where(Site.id.in_(ids)))
        return [_site_entry(site) for site in sites]
    query = public.published_records().where(RestorationRecord.id.in_(ids))
    records = list(db.session.scalars(query))
    site_ids = {record.site_id for record in records}
    sites = {s.id: s for s in db.session.scalars(select(Site).where(Site.id.in_(site_ids)))}
    return [_record_entry(record, sites[record.site_id]) for record in records]


def _in_languages(name: str, vocabulary, code: str | None) -> list[Element]:
    if code is None or code not in vocabulary:
        return []
    return [Element(name, vocabulary.label(code, lang), lang) for lang in LANGUAGES]


def _texts(name: str, values: dict[str, str | None]) -> list[Element]:
    return [Element(name, value, lang) for lang, value in values.items() if value]


def _years(first: int | None, last: int | None) -> str | None:
    """A year range as ISO 8601 (BCE years negative, four digits): "1750/1800"."""
    if first is None:
        return None

    def year(value: int) -> str:
        return f"-{abs(value):04d}" if value < 0 else f"{value:04d}"

    if last is None or last == first:
        return year(first)
    return f"{year(first)}/{year(last)}"


def _place(site: Site) -> list[Element]:
    elements = _in_languages("coverage", DISTRICTS, site.district)
    if not site.location_sensitive and site.settlement:
        elements.append(Element("coverage", site.settlement))
    coordinates = public.public_coordinates(site)
    if coordinates is not None:
        elements.append(Element("coverage", f"{coordinates[0]:.5f}, {coordinates[1]:.5f}"))
    return elements


def _site_entry(site: Site) -> Entry:
    elements = [
        *_texts("title", site.names),
        *(Element("title", name) for name in site.alternative_names or ()),
        *_texts("description", {lang: getattr(site, f"description_{lang}") for lang in LANGUAGES}),
        *_in_languages("subject", CATEGORIES, site.category),
        *_in_languages("subject", SITE_TYPES, site.site_type),
        Element("type", "PhysicalObject"),
        *_place(site),
    ]
    elements += _texts("coverage", {lang: getattr(site, f"period_{lang}") for lang in LANGUAGES})
    span = _years(site.year_from, site.year_to)
    if span:
        elements.append(Element("date", span))
    elements += _in_languages("description", CONDITIONS, site.condition)
    return Entry(SITE, site.id, site.slug, tuple(elements))


def _record_entry(record: RestorationRecord, site: Site) -> Entry:
    elements = [
        Element("title", record.title),
        *_texts("relation", site.names),
        *([Element("description", record.description)] if record.description else []),
        *_in_languages("subject", WORK_TYPES, record.work_type),
        *_in_languages("description", WORK_STATUSES, record.work_status),
        Element("type", "Event"),
        *_place(site),
    ]
    for name, value in (("contributor", record.organisation), ("contributor", record.team)):
        if value:
            elements.append(Element(name, value))
    dates = "/".join(d.isoformat() for d in (record.start_date, record.end_date) if d)
    if dates:
        elements.append(Element("date", dates))
    for value in (record.materials, record.techniques):
        if value:
            elements.append(Element("format", value))
    return Entry(RESTORATION, record.id, site.slug, tuple(elements))


# --- reading for the protocol ----------------------------------------------------------------


def earliest_datestamp() -> datetime:
    """The oldest datestamp harvesters can ask for (now, for an archive with nothing public:
    never the epoch, which some aggregators refuse)."""
    return db.session.scalar(select(func.min(HarvestRecord.datestamp))) or utcnow()


def find(kind: str, entity_id: int) -> HarvestRecord | None:
    """The harvest row of one record; None if it never was public."""
    return db.session.scalar(
        select(HarvestRecord).where(
            HarvestRecord.entity_type == kind, HarvestRecord.entity_id == entity_id
        )
    )


def known_set(spec: str) -> bool:
    family, _, code = spec.partition(":")
    if family not in SET_FAMILIES:
        return False
    if not code:
        return True
    return code in KINDS if family == "kind" else code in SET_FAMILIES[family]


def select_rows(
    *,
    after: int = 0,
    start: datetime | None = None,
    end: datetime | None = None,
    set_spec: str | None = None,
) -> Select:
    """Harvest rows past id `after` with datestamps from `start` up to before `end`, in
    the order harvesters page through them."""
    query = select(HarvestRecord).where(HarvestRecord.id > after)
    if start is not None:
        query = query.where(HarvestRecord.datestamp >= start)
    if end is not None:
        query = query.where(HarvestRecord.datestamp < end)
    if set_spec:
        family, _, code = set_spec.partition(":")
        if family == "kind" and code:
            query = query.where(HarvestRecord.entity_type == code)
        elif family in _FAMILY_COLUMNS and code:
            query = query.where(_FAMILY_COLUMNS[family] == code)
    return query.order_by(HarvestRecord.id)


def page(query: Select, size: int) -> tuple[list[HarvestRecord], bool]:
    """Up to `size` rows of `query`, and whether more follow (so a list that ends on a full
    page does not send harvesters to an empty one)."""
    rows = list(db.session.scalars(query.limit(size + 1)))
    return rows[:size], len(rows) > size


def count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def entries(rows: Iterable[HarvestRecord]) -> dict[tuple[str, int], Entry]:
    """The public records behind `rows` (deleted ones have none), in two queries at most."""
    wanted: dict[str, list[int]] = {}
    for row in rows:
        if not row.deleted:
            wanted.setdefault(row.entity_type, []).append(row.entity_id)
    found: dict[tuple[str, int], Entry] = {}
    for kind, ids in wanted.items():
        for entry in _public_entries(kind, ids):
            found[(kind, entry.id)] = entry
    return found


def sets() -> list[SetInfo]:
    """Every set, families first, each with its name in the three languages."""
    found = []
    for family, vocabulary in SET_FAMILIES.items():
        found.append(SetInfo(family, _FAMILY_NAMES[family]))
        if vocabulary is None:
            found += [SetInfo(f"kind:{kind}", _KIND_NAMES[kind]) for kind in KINDS]
            continue
        for term in vocabulary:
            found.append(SetInfo(f"{family}:{term.code}", term.labels()))
    return found


def set_specs(row: HarvestRecord) -> list[str]:
    """The sets one row belongs to."""
    specs = [f"kind:{row.entity_type}"]
    for family, value in (
        ("category", row.category),
        ("type", row.site_type),
        ("district", row.district),
    ):
        if value:
            specs.append(f"{family}:{value}")
    return specs
