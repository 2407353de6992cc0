"""Search fixtures: asking the search service as a visitor or as staff, and photos."""

from __future__ import annotations

import io

import pytest

from heritage.services import photos
from heritage.services import search as search_service
from tests.media import files


@pytest.fixture
def find(ctx):
    """find(q, actor=None, staff=False, **filters) → the SearchPage the service answers."""

    def search(q: str = "", actor=None, staff: bool = False, sort="relevance", page=1, **filters):
        params = search_service.SearchParams(
            q=q,
            filters={name: frozenset(values) for name, values in filters.items()},
            sort=sort,
            page=page,
            language="en",
        )
        return search_service.search(params, actor=actor, public_scope=not staff)

    return search


def ids(page, kind: str = "site") -> list[int]:
    """The ids of one kind of hit on a results page, in order."""
    return [item.entity.id for item in page.items if item.kind == kind]


@pytest.fixture
def make_photo(ctx, editor):
    """Upload a photo of `site` through the service (a draft), with caption fields."""
    seeds = iter(range(1, 10_000))

    def factory(site, actor=None, **fields):
        data = files.jpeg(seed=next(seeds), width=400, height=300, quality=95)
        fields = {"alt_en": "A photo.", **fields}
        return photos.upload_photo(
            site.id, io.BytesIO(data), "photo.jpg", fields, actor=actor or editor
        ).photo

    return factory


@pytest.fixture
def publish_photo(ctx, editor):
    def publish(photo):
        return photos.publish_photo(photo.id, actor=editor, version=photo.version)

    return publish
