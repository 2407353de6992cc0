"""Reading for the JSON API: every status for staff, the public gate for everyone else.

The one place that decides, for a caller, whether a read goes through `public` (published
only) or sees drafts too; the API's endpoints never choose for themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from heritage.models import (
    AuditEvent,
    CollectionObject,
    ConditionSurvey,
    Gravestone,
    Photo,
    RestorationRecord,
    Site,
    User,
)
from heritage.services import audit, editing, public
from heritage.services.collection import OBJECT
from heritage.services.gravestones import GRAVESTONE
from heritage.services.pagination import Page, paginate
from heritage.services.permissions import can
from heritage.services.photos import PHOTO
from heritage.services.restorations import RECORD
from heritage.services.sites import SITE, list_sites
from heritage.services.surveys import SURVEY

KINDS = {
    "site": SITE,
    "record": RECORD,
    "photo": PHOTO,
    "object": OBJECT,
    "gravestone": GRAVESTONE,
    "survey": SURVEY,
}
# The public gate's reading of one record of each kind.
PUBLISHED_ITEM = {
    "site": public.published_site,
    "record": public.published_record,
    "photo": public.published_photo,
    "object": public.published_object,
    "gravestone": public.published_gravestone,
    "survey": public.published_survey,
}


def sees_everything(actor: User | None) -> bool:
    """Whether `actor` reads every status (staff) or only what is published (anyone else)."""
    return can(actor, "read")


def item(kind: str, entity_id: int, *, actor: User | None) -> Any:
    """One record of `kind`: any status for staff; through the public gate for anyone else
    (NotFound, or Gone for a site withdrawn after it was public)."""
    if sees_everything(actor):
        return editing.get(KINDS[kind], entity_id, actor=actor)
    return PUBLISHED_ITEM[kind](entity_id)


def sites(
    filters: public.SiteFilters,
    *,
    actor: User | None,
    status: str | None = None,
    slug: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """A page of sites: staff's list (sites.list_sites, newest first, any status or
    `status`); for anyone else the published ones, by name."""
    if sees_everything(actor):
        return list_sites(
            filters, actor=actor, status=status, slug=slug, page=page, per_page=per_page
        )
    query = public.published_sites().order_by(public.name_order(), Site.id)
    if slug:
        query = query.where(Site.slug == slug)
    return paginate(public.filter_sites(query, filters), page=page, per_page=per_page)


def records(
    *,
    actor: User | None,
    site_id: int | None = None,
    status: str | None = None,
    work_type: str | None = None,
    work_status: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """A page of restoration records, most recently changed first."""
    query = _scoped(actor, select(RestorationRecord), public.published_records(), status)
    column = RestorationRecord
    for name, value in (
        ("site_id", site_id),
        ("work_type", work_type),
        ("work_status", work_status),
    ):
        if value is not None:
            query = query.where(getattr(column, name) == value)
    query = query.order_by(RestorationRecord.updated_at.desc(), RestorationRecord.id.desc())
    return paginate(query, page=page, per_page=per_page)


def photos(
    *,
    actor: User | None,
    site_id: int | None = None,
    record_id: int | None = None,
    stage: str | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """A page of photos, in upload order."""
    query = _scoped(actor, select(Photo), public.published_photos(), status)
    for name, value in (("site_id", site_id), ("record_id", record_id), ("stage", stage)):
        if value is not None:
            query = query.where(getattr(Photo, name) == value)
    return paginate(query.order_by(Photo.id), page=page, per_page=per_page)


def objects(
    *,
    actor: User | None,
    site_id: int | None = None,
    status: str | None = None,
    object_type: str | None = None,
    object_status: str | None = None,
    inventory_number: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """A page of collection objects, by site and inventory number."""
    query = _scoped(actor, select(CollectionObject), public.published_objects(), status)
    for name, value in (
        ("site_id", site_id),
        ("object_type", object_type),
        ("object_status", object_status),
        ("inventory_number", inventory_number),
    ):
        if value is not None:
            query = query.where(getattr(CollectionObject, name) == value)
    order = (CollectionObject.site_id, CollectionObject.inventory_number, CollectionObject.id)
    return paginate(query.order_by(*order), page=page, per_page=per_page)


def gravestones(
    *,
    actor: User | None,
    site_id: int | None = None,
    status: str | None = None,
    marker_type: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """A page of gravestones, by cemetery in the order they were recorded."""
    query = _scoped(actor, select(Gravestone), public.published_gravestones(), status)
    for name, value in (("site_id", site_id), ("marker_type", marker_type)):
        if value is not None:
            query = query.where(getattr(Gravestone, name) == value)
    return paginate(query.order_by(Gravestone.site_id, Gravestone.id), page=page, per_page=per_page)


def surveys(
    *,
    actor: User | None,
    site_id: int | None = None,
    status: str | None = None,
    risk_level: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """A page of condition surveys, newest first."""
    query = _scoped(actor, select(ConditionSurvey), public.published_surveys(), status)
    for name, value in (("site_id", site_id), ("risk_level", risk_level)):
        if value is not None:
            query = query.where(getattr(ConditionSurvey, name) == value)
    order = (ConditionSurvey.survey_date.desc(), ConditionSurvey.id.desc())
    return paginate(query.order_by(*order), page=page, per_page=per_page)


def history(kind: str, entity_id: int, *, actor: User | None) -> list[AuditEvent]:
    """Every change of one record of any kind, oldest first; staff only."""
    editing.get(KINDS[kind], entity_id, actor=actor)
    return audit.history(kind, entity_id)


def _scoped(actor: User | None, everything: Select, published: Select, status: str | None) -> Any:
    if not sees_everything(actor):
        return published
    model = everything.column_descriptions[0]["entity"]
    return everything.where(model.status == status) if status else everything
