"""The one gate to public data: every public page and public API response starts here.

Only published rows pass, and only under a published site. No view writes its own
visibility filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from heritage.extensions import db
from heritage.models import Site
from heritage.services.errors import NotFound
from heritage.vocab import PUBLISHED


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def published_sites() -> Select:
    """Sites the public may see."""
    return select(Site).where(Site.status == PUBLISHED)


def list_published_sites(*, page: int = 1, per_page: int = 50) -> Page:
    """One page of published sites, in name order."""
    page = max(1, page)
    query = published_sites().order_by(
        func.coalesce(Site.name_az, Site.name_en, Site.name_ru), Site.id
    )
    total = db.session.scalar(select(func.count()).select_from(published_sites().subquery()))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, per_page=per_page)


def get_published_site(slug: str) -> Site:
    """A published site by slug; NotFound exactly as for a slug that never existed."""
    site = db.session.scalar(published_sites().where(Site.slug == slug))
    if site is None:
        raise NotFound("No such site.")
    return site
