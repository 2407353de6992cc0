"""Use cases for sites: catalogue, edit and move through the publication workflow."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import Photo, Site, User
from heritage.schemas import SiteInput
from heritage.services import editing
from heritage.services import search as search_service
from heritage.services.errors import InvalidTransition, NotFound
from heritage.services.pagination import Page, paginate
from heritage.services.permissions import can, require
from heritage.services.public import SiteFilters, filter_sites, site_order
from heritage.services.transaction import write_transaction
from heritage.text import N_, Message, slugify
from heritage.vocab import DRAFT, LANGUAGES, WITHDRAWN


@dataclass(frozen=True)
class SiteKind(editing.Kind):
    """Sites in the shared life cycle; their address and inventory number are their own."""

    def update(self, site: Site, data: dict, *, actor: User, **event) -> editing.Saved:
        values = editing.validate_update(self, site, data, actor=actor)
        values["slug"] = values.get("slug") or site.slug
        if values["slug"] != site.slug and site.status != DRAFT:
            raise ValidationError(
                {"slug": [N_("The address of a site cannot change after review.")]}
            )
        _check_identifiers_free(values, site_id=site.id)
        _check_cover(values, site_id=site.id)
        return editing.save(self, site, values, actor=actor, **event)


SITE = SiteKind(name="site", label=N_("site"), model=Site, schema=SiteInput)


def get_site(site_id: int, *, actor: User | None) -> Site:
    """A site of any status, for staff."""
    return editing.get(SITE, site_id, actor=actor)


def site_to_add_to(site_id: int) -> Site:
    """The site a new object, gravestone or survey is added to, inside the write
    transaction; NotFound, or InvalidTransition once it is withdrawn."""
    site = db.session.get(Site, site_id)
    if site is None:
        raise NotFound(Message(N_("No %(kind)s with id %(id)s."), SITE.says(id=site_id)))
    if site.status == WITHDRAWN:
        raise InvalidTransition(N_("This site is withdrawn; restore it before adding to it."))
    return site


def create_site(data: dict, *, actor: User) -> Site:
    """Catalogue a new site as a draft."""
    require(actor, "site.create")
    values = editing.validate_create(SITE, data)
    with write_transaction():
        values["slug"] = values.get("slug") or _free_slug(values)
        _check_identifiers_free(values)
        _check_cover(values)
        site = editing.insert(SITE, values, actor=actor)
    return site


def update_site(site_id: int, data: dict, *, actor: User, version: int) -> Site:
    """Change a site's fields, refusing a stale version."""
    with write_transaction():
        site = editing.load_for_write(SITE, site_id)
        _require_may_edit(site, actor)
        editing.check_version(SITE, site, version)
        SITE.update(site, data, actor=actor)
    return site


def restore_site_version(site_id: int, target: int, *, actor: User, version: int) -> Site:
    """Make the site's fields what they were at version `target`, as a new change."""
    with write_transaction():
        site = editing.load_for_write(SITE, site_id)
        _require_may_edit(site, actor)
        editing.check_version(SITE, site, version)
        values = editing.values_at(SITE, site, target)
        if site.status != DRAFT:
            # Its address is fixed once reviewed: an earlier one is not brought back.
            values["slug"] = site.slug
        SITE.update(site, values, actor=actor, action="restore_version", note=f"Version {target}")
    return site


def change_site_status(
    site_id: int, action: str, *, actor: User, version: int, note: str | None = None
) -> Site:
    """Take the workflow step named `action` (submit, publish, send_back, withdraw, restore)."""
    return editing.transition(SITE, site_id, action, actor=actor, version=version, note=note)


def submit_site(site_id: int, *, actor: User, version: int) -> Site:
    """Send a draft for an editor's review."""
    return editing.transition(SITE, site_id, "submit", actor=actor, version=version)


def publish_site(site_id: int, *, actor: User, version: int) -> Site:
    """Make a site public."""
    return editing.transition(SITE, site_id, "publish", actor=actor, version=version)


def send_back_site(site_id: int, *, actor: User, version: int, comment: str) -> Site:
    """Return a site under review to its authors as a draft, with a comment."""
    return editing.transition(
        SITE, site_id, "send_back", actor=actor, version=version, note=comment
    )


def withdraw_site(site_id: int, *, actor: User, version: int, reason: str) -> Site:
    """Take a site out of circulation; it keeps its URL, which then says why."""
    return editing.transition(SITE, site_id, "withdraw", actor=actor, version=version, note=reason)


def restore_site(site_id: int, *, actor: User, version: int) -> Site:
    """Bring a withdrawn site back to the status it had."""
    return editing.transition(SITE, site_id, "restore", actor=actor, version=version)


def may_edit(site: Site, actor: User | None) -> bool:
    """Editors edit any site; restorers only the drafts they catalogued themselves."""
    if can(actor, "site.update"):
        return True
    own_draft = site.status == DRAFT and site.created_by_id == getattr(actor, "id", None)
    return own_draft and can(actor, "site.update_own_draft")


def _require_may_edit(site: Site, actor: User) -> None:
    if not may_edit(site, actor):
        require(actor, "site.update")


def _free_slug(values: dict) -> str:
    """A slug from the site's name (English first), unique among sites."""
    name = next(
        (values.get(f"name_{lang}") for lang in ("en", *LANGUAGES) if values.get(f"name_{lang}")),
        "site",
    )
    base = slugify(name) or "site"
    taken = set(db.session.scalars(select(Site.slug).where(Site.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_identifiers_free(values: dict, *, site_id: int | None = None) -> None:
    """Slug and inventory number identify one site each."""
    errors = {}
    for field in ("slug", "inventory_number"):
        value = values.get(field)
        if value is None:
            continue
        query = select(Site.id).where(getattr(Site, field) == value)
        if site_id is not None:
            query = query.where(Site.id != site_id)
        if db.session.scalar(query) is not None:
            errors[field] = [N_("Already used by another site.")]
    if errors:
        raise ValidationError(errors)


def _check_cover(values: dict, *, site_id: int | None = None) -> None:
    """A site's cover is one of its own photos (a new site has none yet)."""
    cover = values.get("cover_photo_id")
    if cover is None:
        return
    owner = db.session.scalar(select(Photo.site_id).where(Photo.id == cover))
    if site_id is None or owner != site_id:
        raise ValidationError({"cover_photo_id": [N_("Choose one of this site's photos.")]})


# The catalogue's orders: the latest changed, by name (the reader's collation), by date of
# origin, the latest catalogued.
CATALOGUE_SORTS = ("changed", "name", "date", "created")


def catalogue_order(sort: str, lang: str) -> tuple:
    """ORDER BY terms for one of CATALOGUE_SORTS."""
    if sort in ("name", "date"):
        return site_order(sort, lang)
    if sort == "created":
        return (Site.id.desc(),)
    return (Site.updated_at.desc(), Site.id.desc())


def _matching_sites(q: str, lang: str) -> list[int]:
    """The ids of the sites whose indexed texts match `q`, of any status."""
    params = search_service.SearchParams(q=q, filters={"kind": frozenset({"site"})}, language=lang)
    limit = current_app.config["SEARCH_EXPORT_LIMIT"]
    return [
        hit.entity_id for hit in search_service.all_hits(params, published_only=False, limit=limit)
    ]


def list_sites(
    filters: SiteFilters | None = None,
    *,
    actor: User | None,
    status: str | None = None,
    slug: str | None = None,
    q: str = "",
    sort: str = "changed",
    lang: str = "az",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Sites of every status for staff, optionally narrowed: by words (through the search
    service, names and descriptions in every language), status and `filters`; in the order
    of one of CATALOGUE_SORTS (the latest changed first unless asked)."""
    require(actor, "read")
    query = select(Site).order_by(*catalogue_order(sort, lang))
    if q.strip():
        query = query.where(Site.id.in_(_matching_sites(q, lang)))
    if status:
        query = query.where(Site.status == status)
    if slug:
        query = query.where(Site.slug == slug)
    if filters is not None:
        query = filter_sites(query, filters)
    return paginate(query, page=page, per_page=per_page)
