"""Pages of query results with their totals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from heritage.extensions import db


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def past_the_end(self) -> bool:
        """Asked for a page after the last one (an empty first page is no such page)."""
        return self.page > self.pages


def paginate(query: Select, *, page: int, per_page: int, total: int | None = None) -> Page:
    """One page of `query`'s rows, with the total count (counted unless given); no rows past
    the last page."""
    page = max(1, page)
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    result = Page(items=[], total=total or 0, page=page, per_page=per_page)
    if result.past_the_end:  # not even asked: the offset may not fit the database's integers
        return result
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=result.total, page=page, per_page=per_page)
