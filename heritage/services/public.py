"""The one gate to public data: every public page and public API response starts here.

Only published rows pass, and only under a published site. No view writes its own
visibility filter.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select

from heritage.extensions import db
from heritage.models import Site
from heritage.services.errors import Gone, NotFound
from heritage.services.pagination import Page, paginate
from heritage.vocab import PUBLISHED, WITHDRAWN


def published_sites() -> Select:
    """Sites the public may see."""
    return select(Site).where(Site.status == PUBLISHED)


def list_published_sites(*, page: int = 1, per_page: int = 50) -> Page:
    """One page of published sites, in name order."""
    query = published_sites().order_by(
        func.coalesce(Site.name_az, Site.name_en, Site.name_ru), Site.id
    )
    return paginate(query, page=page, per_page=per_page)


def get_published_site(slug: str) -> Site:
    """A published site by slug.

    A site withdrawn after it was public raises Gone (its page explains the withdrawal);
    anything else that is not published is NotFound, exactly like a slug that never existed.
    """
    site = db.session.scalar(published_sites().where(Site.slug == slug))
    if site is not None:
        return site
    withdrawn = db.session.scalar(
        select(Site).where(
            Site.slug == slug, Site.status == WITHDRAWN, Site.published_at.is_not(None)
        )
    )
    if withdrawn is not None:
        raise Gone("This site has been withdrawn from the archive.", entity=withdrawn)
    raise NotFound("No such site.")
