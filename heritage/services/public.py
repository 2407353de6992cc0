"""The one gate to public data: every public page and public API response starts here.

Only published rows pass, and records and photos only under a published site. No view
writes its own visibility filter. Sensitive locations leave this module without coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from math import cos, radians

from sqlalchemy import Select, Subquery, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from heritage.extensions import db
from heritage.models import (
    CollectionObject,
    ConditionSurvey,
    Gravestone,
    Photo,
    RestorationRecord,
    Site,
)
from heritage.periods import period_sql, years_of
from heritage.services import revision
from heritage.services.errors import Gone, NotFound
from heritage.services.pagination import Page, paginate
from heritage.text import N_
from heritage.vocab import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MISSING_OBJECT_STATUSES,
    PUBLISHED,
    WITHDRAWN,
)

# The stage of a photo that shows the site itself, not work on it.
GENERAL = "general"

# How far (in degrees of latitude, about 20 km) to look for related sites nearby.
NEARBY_RADIUS = 0.18


@dataclass(frozen=True)
class SiteFilters:
    """What a visitor narrowed the list to; None means "any"."""

    category: str | None = None
    site_type: str | None = None
    district: str | None = None
    condition: str | None = None
    # Period of origin (heritage.periods): 14 is 1301–1400; -1 is the 1st century BCE.
    century: int | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments."""
        return {name: str(value) for name, value in self.__dict__.items() if value is not None}


@dataclass(frozen=True)
class Comparison:
    """A finished restoration's before and after photos, for the comparison slider."""

    record: RestorationRecord
    before: Photo
    after: Photo


@dataclass
class SitePage:
    site: Site
    records: list[RestorationRecord]
    nearby: list[Site]
    coordinates: tuple[float, float] | None
    photos: list[Photo] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    # How many of its published collection objects are of each status.
    collection: dict[str, int] = field(default_factory=dict)
    # The cover photos of the nearby sites, by site id.
    covers: dict[int, Photo] = field(default_factory=dict)
    # How many published gravestones it has.
    gravestones: int = 0
    # Its published condition surveys, oldest first: its condition over time.
    surveys: list[ConditionSurvey] = field(default_factory=list)
    # Its published gravestones that the map may show (none for a sensitive cemetery).
    mapped_gravestones: list[Gravestone] = field(default_factory=list)


@dataclass(frozen=True)
class PhotoPage:
    photo: Photo
    site: Site
    record: RestorationRecord | None


def published_sites() -> Select:
    """Sites the public may see."""
    return select(Site).where(Site.status == PUBLISHED)


def published_records() -> Select:
    """Restoration records the public may see: published, on a published site."""
    site = aliased(Site)
    return (
        select(RestorationRecord)
        .join(site, RestorationRecord.site_id == site.id)
        .where(RestorationRecord.status == PUBLISHED, site.status == PUBLISHED)
    )


def published_photos() -> Select:
    """Photos the public may see: published, of a published site, and of a published
    restoration record, collection object, gravestone or survey when they show one."""
    return _only_published_photos(select(Photo), aliased(Site))


# What of its site a photo may show, each with its own publication status.
_PHOTO_SUBJECTS = (
    (Photo.record_id, RestorationRecord),
    (Photo.object_id, CollectionObject),
    (Photo.gravestone_id, Gravestone),
    (Photo.survey_id, ConditionSurvey),
)


def _only_published_photos(query: Select, site) -> Select:
    """`query` over Photo narrowed to what the public may see, joined to `site` (an alias
    of Site) for the caller's use too."""
    # Joins rather than IN (published ids): one photo's check stays one index lookup each.
    query = query.join(site, Photo.site_id == site.id).where(
        Photo.status == PUBLISHED, site.status == PUBLISHED
    )
    for column, model in _PHOTO_SUBJECTS:
        subject = aliased(model)
        query = query.outerjoin(subject, column == subject.id).where(
            or_(column.is_(None), subject.status == PUBLISHED)
        )
    return query


def site_own_photos() -> Select:
    """Published photos of the site itself or of its work and surveys: not those of one of
    its objects or gravestones, which their own pages show."""
    return published_photos().where(Photo.object_id.is_(None), Photo.gravestone_id.is_(None))


def published_objects() -> Select:
    """Collection objects the public may see: published, of a published site."""
    site = aliased(Site)
    return (
        select(CollectionObject)
        .join(site, CollectionObject.site_id == site.id)
        .where(CollectionObject.status == PUBLISHED, site.status == PUBLISHED)
    )


def _ranked_covers(*conditions) -> Subquery:
    """The candidates for each site's cover, ranked per site (rank 1 is the cover): the
    chosen photo first, then the general views by id; only photos the public may see."""
    site = aliased(Site)
    chosen = Photo.id == site.cover_photo_id
    rank = func.row_number().over(
        partition_by=Photo.site_id, order_by=(case((chosen, 0), else_=1), Photo.id)
    )
    query = _only_published_photos(select(Photo, rank.label("rank")), site)
    # An object's or a gravestone's picture is not a view of the site.
    general = and_(Photo.stage == GENERAL, Photo.object_id.is_(None), Photo.gravestone_id.is_(None))
    return query.where(or_(chosen, general), *conditions).subquery()


def cover_photos(site_ids: Iterable[int]) -> dict[int, Photo]:
    """{site id: its cover photo}, in one query, for the sites that have one: the photo
    chosen for it while the public may see it, else its first published general view."""
    ids = sorted(set(site_ids))
    if not ids:
        return {}
    ranked = _ranked_covers(Photo.site_id.in_(ids))
    cover = aliased(Photo, ranked)
    found = db.session.scalars(select(cover).where(ranked.c.rank == 1))
    return {photo.site_id: photo for photo in found}


def covers_of(sites: Iterable[Site]) -> dict[int, Photo]:
    """cover_photos() of some sites."""
    return cover_photos(site.id for site in sites)


def published_gravestones() -> Select:
    """Gravestones the public may see: published, of a published cemetery."""
    site = aliased(Site)
    return (
        select(Gravestone)
        .join(site, Gravestone.site_id == site.id)
        .where(Gravestone.status == PUBLISHED, site.status == PUBLISHED)
    )


def published_gravestone(gravestone_id: int) -> Gravestone:
    """A published gravestone of a published cemetery; NotFound like an id never used."""
    found = db.session.scalar(published_gravestones().where(Gravestone.id == gravestone_id))
    if found is None:
        raise NotFound(N_("No such gravestone."))
    return found


def cemetery_gravestones(site: Site) -> list[Gravestone]:
    """A published cemetery's published gravestones, in the order they were recorded."""
    query = published_gravestones().where(Gravestone.site_id == site.id).order_by(Gravestone.id)
    return list(db.session.scalars(query))


def shows(kind: str, entity_id: int) -> bool:
    """Whether the public sees this record of a kind (by its name) as the current
    transaction holds it: the gate's own queries decide."""
    gates = {
        "site": published_sites,
        "record": published_records,
        "photo": published_photos,
        "object": published_objects,
        "gravestone": published_gravestones,
        "survey": published_surveys,
    }
    if kind not in gates:
        raise LookupError(f"no public gate for {kind!r}: add its query to public.shows")
    gate = gates[kind]()
    model = gate.column_descriptions[0]["entity"]
    return db.session.scalar(gate.where(model.id == entity_id).limit(1)) is not None


def published_surveys() -> Select:
    """Condition surveys the public may see: published, of a published site, and of a
    published object or gravestone when they survey one."""
    site = aliased(Site)
    query = (
        select(ConditionSurvey)
        .join(site, ConditionSurvey.site_id == site.id)
        .where(ConditionSurvey.status == PUBLISHED, site.status == PUBLISHED)
    )
    for column, model in (
        (ConditionSurvey.object_id, CollectionObject),
        (ConditionSurvey.gravestone_id, Gravestone),
    ):
        subject = aliased(model)
        query = query.outerjoin(subject, column == subject.id).where(
            or_(column.is_(None), subject.status == PUBLISHED)
        )
    return query


def published_survey(survey_id: int) -> ConditionSurvey:
    """A published survey of a published site; NotFound like an id never used."""
    found = db.session.scalar(published_surveys().where(ConditionSurvey.id == survey_id))
    if found is None:
        raise NotFound(N_("No such condition survey."))
    return found


def list_published_sites(*, page: int = 1, per_page: int = 50) -> Page:
    """One page of published sites, in name order."""
    return browse_sites(SiteFilters(), page=page, per_page=per_page)


# The orders a visitor may browse sites in: by name in their language, by date of origin
# (oldest first), or the most recently published first.
SITE_SORTS = ("name", "date", "recent")


def browse_sites(
    filters: SiteFilters,
    *,
    lang: str = DEFAULT_LANGUAGE,
    sort: str = "name",
    page: int = 1,
    per_page: int = 50,
    total: int | None = None,
) -> Page:
    """One page of published sites matching `filters`, in the order `sort` names (`total`:
    how many there are, when the caller knows)."""
    query = _filtered(published_sites(), filters).order_by(*site_order(sort, lang))
    return paginate(query, page=page, per_page=per_page, total=total)


def site_order(sort: str, lang: str) -> tuple:
    """ORDER BY terms for one of SITE_SORTS (names in `lang`'s collation)."""
    if sort == "date":
        return (Site.year_from.asc().nulls_last(), name_order(lang), Site.id)
    if sort == "recent":
        return (Site.published_at.desc(), Site.id.desc())
    return (name_order(lang), Site.id)


def filter_counts(filters: SiteFilters) -> dict[str, dict]:
    """For each filter, how many published sites each value would give, the others kept."""
    columns = {
        "category": Site.category,
        "site_type": Site.site_type,
        "district": Site.district,
        "condition": Site.condition,
        "century": period_sql(Site.year_from),
    }
    counts: dict[str, dict] = {}
    for name, column in columns.items():
        others = SiteFilters(**{**filters.__dict__, name: None})
        query = (
            _filtered(select(column, func.count()).where(Site.status == PUBLISHED), others)
            .where(column.is_not(None))
            .group_by(column)
            .order_by(column)
        )
        counts[name] = {value: count for value, count in db.session.execute(query)}  # noqa: C416
    return counts


def get_published_site(slug: str) -> Site:
    """A published site by slug.

    A site withdrawn after it was public raises Gone (its page explains the withdrawal);
    anything else that is not published is NotFound, exactly like a slug that never existed.
    """
    return _published_site_where(Site.slug == slug)


def published_site(site_id: int) -> Site:
    """A published site by id; Gone if withdrawn after it was public, else NotFound."""
    return _published_site_where(Site.id == site_id)


def _published_site_where(condition) -> Site:
    site = db.session.scalar(published_sites().where(condition))
    if site is not None:
        return site
    withdrawn = db.session.scalar(
        select(Site).where(condition, Site.status == WITHDRAWN, Site.published_at.is_not(None))
    )
    if withdrawn is not None:
        raise Gone(N_("This site has been withdrawn from the archive."), entity=withdrawn)
    raise NotFound(N_("No such site."))


def published_record(record_id: int) -> RestorationRecord:
    """A published record of a published site; NotFound like an id never used."""
    record = db.session.scalar(published_records().where(RestorationRecord.id == record_id))
    if record is None:
        raise NotFound(N_("No such restoration record."))
    return record


def published_photo(photo_id: int) -> Photo:
    """A photo the public may see; NotFound like an id never used."""
    photo = db.session.scalar(published_photos().where(Photo.id == photo_id))
    if photo is None:
        raise NotFound(N_("No such photo."))
    return photo


def published_object(object_id: int) -> CollectionObject:
    """A published object of a published site; NotFound like an id never used."""
    found = db.session.scalar(published_objects().where(CollectionObject.id == object_id))
    if found is None:
        raise NotFound(N_("No such object."))
    return found


def site_collection(site: Site, *, object_status: str | None = None) -> list[CollectionObject]:
    """A published site's published collection, by inventory number, optionally of one
    status."""
    query = published_objects().where(CollectionObject.site_id == site.id)
    if object_status is not None:
        query = query.where(CollectionObject.object_status == object_status)
    order = (CollectionObject.inventory_number, CollectionObject.id)
    return list(db.session.scalars(query.order_by(*order)))


def collection_counts(site: Site) -> dict[str, int]:
    """How many of a site's published objects are of each status."""
    query = (
        published_objects()
        .where(CollectionObject.site_id == site.id)
        .with_only_columns(CollectionObject.object_status, func.count())
        .group_by(CollectionObject.object_status)
    )
    return {status: count for status, count in db.session.execute(query)}  # noqa: C416


@dataclass(frozen=True)
class MissingFilters:
    """What the missing-objects list is narrowed to: a museum (by slug), an object type."""

    museum: str | None = None
    object_type: str | None = None

    def as_args(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value is not None}


def _missing(filters: MissingFilters) -> Select:
    query = published_objects().where(CollectionObject.object_status.in_(MISSING_OBJECT_STATUSES))
    if filters.object_type is not None:
        query = query.where(CollectionObject.object_type == filters.object_type)
    if filters.museum is not None:
        query = query.where(CollectionObject.site.has(Site.slug == filters.museum))
    return query


def missing_objects(filters: MissingFilters, *, page: int = 1, per_page: int = 50) -> Page:
    """Published objects still lost, looted or of unknown whereabouts, by museum and number."""
    query = _missing(filters).order_by(
        CollectionObject.site_id, CollectionObject.inventory_number, CollectionObject.id
    )
    found = paginate(query, page=page, per_page=per_page)
    _load_sites(found.items)
    return found


def missing_museums() -> list[Site]:
    """The published sites with published missing objects, for the list's museum filter."""
    ids = _missing(MissingFilters()).with_only_columns(CollectionObject.site_id).distinct()
    return list(db.session.scalars(select(Site).where(Site.id.in_(ids)).order_by(name_order())))


def filter_sites(query: Select, filters: SiteFilters) -> Select:
    """`query` narrowed to the sites matching `filters`."""
    return _filtered(query, filters)


def site_page(slug: str) -> SitePage:
    """Everything the public page of a site shows, in a fixed number of queries."""
    site = get_published_site(slug)
    records = list(
        db.session.scalars(
            published_records()
            .where(RestorationRecord.site_id == site.id)
            .order_by(RestorationRecord.start_date.desc().nulls_last(), RestorationRecord.id)
        )
    )
    photos = list(
        db.session.scalars(site_own_photos().where(Photo.site_id == site.id).order_by(Photo.id))
    )
    nearby = nearby_sites(site)
    return SitePage(
        site=site,
        records=records,
        nearby=nearby,
        coordinates=public_coordinates(site),
        photos=photos,
        comparisons=comparisons(records, photos),
        collection=collection_counts(site),
        covers=covers_of(nearby),
        gravestones=_count(published_gravestones().where(Gravestone.site_id == site.id)),
        mapped_gravestones=mapped_gravestones(site),
        surveys=list(
            db.session.scalars(
                published_surveys()
                .where(ConditionSurvey.site_id == site.id, ConditionSurvey.of_whole_site())
                .order_by(ConditionSurvey.survey_date, ConditionSurvey.id)
            )
        ),
    )


def comparisons(records: list[RestorationRecord], photos: list[Photo]) -> list[Comparison]:
    """Each completed record's first "before" and last "after" photo, when it has both."""
    found = []
    for record in records:
        if record.work_status != "completed":
            continue
        own = [photo for photo in photos if photo.record_id == record.id]
        before = next((p for p in own if p.stage == "before"), None)
        after = next((p for p in reversed(own) if p.stage == "after"), None)
        if before and after:
            found.append(Comparison(record=record, before=before, after=after))
    return found


def photo_page(photo_id: int) -> PhotoPage:
    """A published photo with its site and restoration; NotFound like an id never used."""
    photo = db.session.scalar(published_photos().where(Photo.id == photo_id))
    if photo is None:
        raise NotFound(N_("No such photo."))
    return PhotoPage(photo=photo, site=photo.site, record=photo.record)


# The order of a restoration's photos: the work as it went.
_STAGE_ORDER = case({"before": 0, "during": 1, "after": 2}, value=Photo.stage, else_=3)


def record_page(record_id: int) -> tuple[RestorationRecord, list[Photo]]:
    """A published record and its published photos, before, during, then after."""
    record = published_record(record_id)
    photos = db.session.scalars(
        published_photos()
        .where(Photo.record_id == record.id)
        .order_by(_STAGE_ORDER, Photo.captured_at.nulls_last(), Photo.id)
    )
    return record, list(photos)


def mapped_gravestones(site: Site) -> list[Gravestone]:
    """A published cemetery's published gravestones with coordinates, in their order; none
    at all when the cemetery's location is sensitive."""
    if site.location_sensitive:
        return []
    query = published_gravestones().where(
        Gravestone.site_id == site.id,
        Gravestone.latitude.is_not(None),
        Gravestone.longitude.is_not(None),
    )
    return list(db.session.scalars(query.order_by(Gravestone.id)))


def photos_of(subject: CollectionObject | Gravestone | ConditionSurvey) -> list[Photo]:
    """The published photos of a published object, gravestone or survey."""
    column = {
        CollectionObject: Photo.object_id,
        Gravestone: Photo.gravestone_id,
        ConditionSurvey: Photo.survey_id,
    }[type(subject)]
    query = published_photos().where(column == subject.id)
    return list(db.session.scalars(query.order_by(_STAGE_ORDER, Photo.id)))


def survey_photos(surveys: Iterable[ConditionSurvey]) -> dict[int, list[Photo]]:
    """{survey id: its published photos}, in one query."""
    ids = [survey.id for survey in surveys]
    found: dict[int, list[Photo]] = {}
    if ids:
        query = published_photos().where(Photo.survey_id.in_(ids)).order_by(Photo.id)
        for photo in db.session.scalars(query):
            found.setdefault(photo.survey_id, []).append(photo)
    return found


def surveys_of(subject: CollectionObject | Gravestone) -> list[ConditionSurvey]:
    """The published surveys of a published object or gravestone, oldest first."""
    column = {
        CollectionObject: ConditionSurvey.object_id,
        Gravestone: ConditionSurvey.gravestone_id,
    }[type(subject)]
    query = published_surveys().where(column == subject.id)
    return list(db.session.scalars(query.order_by(ConditionSurvey.survey_date, ConditionSurvey.id)))


def public_coordinates(site: Site) -> tuple[float, float] | None:
    """The coordinates the public may see: none at all for a sensitive location."""
    if site.location_sensitive or site.latitude is None or site.longitude is None:
        return None
    return (site.latitude, site.longitude)


def nearby_window(site: Site) -> tuple[float, float, float, float] | None:
    """The box (south, west, north, east) that `site`'s neighbours are looked for in (none
    for a sensitive location): about 20 km each way, longitude widened by the latitude."""
    here = public_coordinates(site)
    if here is None:
        return None
    lat, lon = here
    reach = NEARBY_RADIUS / max(cos(radians(lat)), 0.1)
    return (lat - NEARBY_RADIUS, lon - reach, lat + NEARBY_RADIUS, lon + reach)


def nearby_sites(site: Site, limit: int = 4) -> list[Site]:
    """Published sites closest to `site` within about 20 km (none for a sensitive location)."""
    window = nearby_window(site)
    if window is None:
        return []
    lat, lon = site.latitude, site.longitude
    south, west, north, east = window
    # Degrees of longitude shrink with latitude; scale them so distances compare fairly.
    squash = cos(radians(lat)) ** 2
    distance = (Site.latitude - lat) * (Site.latitude - lat) + squash * (Site.longitude - lon) * (
        Site.longitude - lon
    )
    query = (
        published_sites()
        .where(
            Site.id != site.id,
            Site.location_sensitive.is_(False),
            Site.latitude.between(south, north),
            Site.longitude.between(west, east),
        )
        .order_by(distance)
        .limit(limit)
    )
    # The nearest ids first, from the place index alone; then only those sites in full.
    ids = list(db.session.scalars(query.with_only_columns(Site.id)))
    found = {near.id: near for near in db.session.scalars(select(Site).where(Site.id.in_(ids)))}
    return [found[id_] for id_ in ids]


def map_points() -> list[dict]:
    """Every published site the map may show, with its cover photo (None when it has
    none): sensitive locations are left out."""
    ranked = _ranked_covers()
    cover = aliased(Photo, ranked, name="cover")
    query = (
        select(
            Site.slug,
            Site.name_az,
            Site.name_en,
            Site.name_ru,
            Site.category,
            Site.site_type,
            Site.district,
            Site.latitude,
            Site.longitude,
            Site.location_approximate,
            cover,
        )
        .outerjoin(ranked, and_(ranked.c.site_id == Site.id, ranked.c.rank == 1))
        .where(
            Site.status == PUBLISHED,
            Site.location_sensitive.is_(False),
            Site.latitude.is_not(None),
            Site.longitude.is_not(None),
        )
    )
    return [row._asdict() for row in db.session.execute(query.order_by(Site.id))]


def map_list(*, lang: str = DEFAULT_LANGUAGE, page: int = 1, per_page: int = 200) -> Page:
    """One page of the map's places by name, for browsers without JavaScript."""
    query = published_sites().where(
        Site.location_sensitive.is_(False),
        Site.latitude.is_not(None),
        Site.longitude.is_not(None),
    )
    return paginate(query.order_by(name_order(lang), Site.id), page=page, per_page=per_page)


# How many sites and records the home page shows.
HOME_ITEMS = 6


def _recent_records() -> Select:
    return (
        published_records()
        .order_by(RestorationRecord.published_at.desc(), RestorationRecord.id.desc())
        .limit(HOME_ITEMS)
    )


def _featured_sites() -> Select:
    return published_sites().order_by(Site.published_at.desc(), Site.id.desc()).limit(HOME_ITEMS)


def recent_restorations() -> list[RestorationRecord]:
    """The latest published restoration work, finished or not."""
    records = list(db.session.scalars(_recent_records()))
    _load_sites(records)
    return records


def featured_sites() -> list[Site]:
    """Recently published sites, for the front page."""
    return list(db.session.scalars(_featured_sites()))


# The sitemap lists the fixed pages, then every published site, then every published photo,
# in id order, so that its numbered parts stay stable as the archive grows.
FIXED_PAGES = ("public.index", "public.list_sites", "public.show_map")


@dataclass(frozen=True)
class SitemapEntry:
    endpoint: str
    values: dict
    updated: datetime | None = None


def _sitemap_sequences() -> list[tuple[Select, str, str]]:
    """The sitemap's addresses after the fixed pages: (query of (key, updated), endpoint,
    the endpoint's argument name)."""
    sites = published_sites().with_only_columns(Site.slug, Site.updated_at).order_by(Site.id)
    photos = published_photos().with_only_columns(Photo.id, Photo.updated_at).order_by(Photo.id)
    objects = (
        published_objects()
        .with_only_columns(CollectionObject.id, CollectionObject.updated_at)
        .order_by(CollectionObject.id)
    )
    stones = (
        published_gravestones()
        .with_only_columns(Gravestone.id, Gravestone.updated_at)
        .order_by(Gravestone.id)
    )
    return [
        (sites, "public.show_site", "slug"),
        (photos, "public.show_photo", "photo_id"),
        (objects, "collection.show_object", "object_id"),
        (stones, "cemetery.show_gravestone", "gravestone_id"),
    ]


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def sitemap_count() -> int:
    """How many addresses the sitemap holds."""
    return len(FIXED_PAGES) + sum(_count(query) for query, _e, _a in _sitemap_sequences())


def sitemap_entries(offset: int, limit: int) -> list[SitemapEntry]:
    """`limit` addresses of the sitemap from the `offset`-th on."""
    entries = [SitemapEntry(endpoint, {}) for endpoint in FIXED_PAGES][offset : offset + limit]
    offset, limit = max(0, offset - len(FIXED_PAGES)), limit - len(entries)
    for query, endpoint, argument in _sitemap_sequences():
        if limit <= 0:
            break
        rows = db.session.execute(query.offset(offset).limit(limit)).all()
        entries += [SitemapEntry(endpoint, {argument: key}, updated) for key, updated in rows]
        # The window goes on from the start of the next sequence, or begins past this one.
        offset = 0 if rows else offset - _count(query)
        limit -= len(rows)
    return entries


def _filtered(query: Select, filters: SiteFilters) -> Select:
    for name in ("category", "site_type", "district", "condition"):
        value = getattr(filters, name)
        if value is not None:
            query = query.where(getattr(Site, name) == value)
    if filters.century is not None:
        first, last = years_of(filters.century)
        query = query.where(Site.year_from.between(first, last))
    return query


def name_order(lang: str = DEFAULT_LANGUAGE):
    """Sites by the name `lang` shows, in `lang`'s collation (heritage.collation)."""
    return getattr(Site, f"sort_key_{lang if lang in LANGUAGES else DEFAULT_LANGUAGE}")


def _load_sites(records: list) -> None:
    """Load the sites of `records` (or objects) in one query instead of one per record."""
    ids = {record.site_id for record in records}
    if ids:
        list(db.session.scalars(select(Site).where(Site.id.in_(ids))))


# --- which public pages show what (services/revision.py) -----------------------------------


def site_page_scopes(site: Site) -> list[str]:
    """What a site's page shows: the site (with its work, photos, objects, gravestones and
    surveys) and the map cells its neighbours are looked for in."""
    window = nearby_window(site)
    return [*revision.item("site", site.id), *(revision.cells(*window) if window else [])]


def photo_page_scopes(page: PhotoPage) -> list[str]:
    """What a photo's page shows: the photo, its site and its restoration."""
    return [
        *revision.item("photo", page.photo.id),
        *revision.item("site", page.site.id),
        *revision.item("record", page.record.id if page.record else None),
    ]


def item_page_scopes(kind: str, entity) -> list[str]:
    """What the page of an object or gravestone shows: itself and its site."""
    return [*revision.item(kind, entity.id), *revision.item("site", entity.site_id)]


def pages_counting(kind: str) -> set[str]:
    """The scopes of the pages whose counts change when a record of `kind` (by its name)
    appears to the public or vanishes: the home page counts sites and restoration records."""
    return {revision.HOME} if kind in ("site", "record") else set()


def pages_showing(kind: str, entity) -> set[str]:
    """The scopes of every public page that shows `entity` (of the kind so named) as the
    current transaction holds it; call it only while the public sees the record."""
    site_id = entity.id if kind == "site" else entity.site_id
    scopes = {*revision.item(kind, entity.id), *revision.item("site", site_id)}
    if kind == "site":
        scopes |= _card_scopes(entity) | {revision.SITEMAP, revision.MISSING}
    elif kind == "record":
        if entity.id in _recent_record_ids():
            scopes.add(revision.HOME)
        cover = cover_photos([site_id]).get(site_id)
        if cover is not None and cover.record_id == entity.id:
            scopes |= _card_scopes(entity.site)
    elif kind == "photo":
        scopes |= {*revision.item("record", entity.record_id), revision.SITEMAP}
        cover = cover_photos([site_id]).get(site_id)
        if cover is not None and cover.id == entity.id:
            scopes |= _card_scopes(entity.site)
    elif kind in ("object", "gravestone"):
        scopes |= {revision.SITEMAP, revision.MISSING} if kind == "object" else {revision.SITEMAP}
    elif kind != "survey":
        raise LookupError(f"no public pages known for {kind!r}: add them to public.pages_showing")
    return scopes


def _card_scopes(site: Site) -> set[str]:
    """Where a site's card (name, type, district, period, cover) is shown: the lists, the
    pages of its neighbours, and the home page when it is among what the home shows."""
    scopes = {revision.SITES, *revision.cell(site.latitude, site.longitude)}
    featured = _featured_sites().with_only_columns(Site.id)
    recent = _recent_records().with_only_columns(RestorationRecord.site_id)
    if site.id in {*db.session.scalars(featured), *db.session.scalars(recent)}:
        scopes.add(revision.HOME)
    return scopes


def _recent_record_ids() -> set[int]:
    return set(db.session.scalars(_recent_records().with_only_columns(RestorationRecord.id)))
