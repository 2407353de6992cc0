"""Searching the archive: the public's published records, or everything for staff.

The index answers which records match and how many; the database has the last word on
what may be shown. Every hit on a public page is re-read through the public gate, so a
record unpublished a moment ago (and not yet out of the index) never appears, and every
snippet is cut from the record as it is now.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from heritage.extensions import db
from heritage.models import (
    CollectionObject,
    ConditionSurvey,
    Gravestone,
    Photo,
    RestorationRecord,
    Site,
    User,
)
from heritage.schemas.search import MAX_PAGE, load_leniently
from heritage.search import (
    FACETS,
    KINDS,
    Hit,
    IndexDamaged,
    InvalidQuery,
    SearchRequest,
    SearchResult,
    Terms,
    get_backend,
    parse,
)
from heritage.search.highlight import Snippet, mark, snippet
from heritage.services import indexing, public, slots
from heritage.services.errors import Busy, ServiceError
from heritage.services.permissions import can, require
from heritage.text import N_, Message
from heritage.vocab import LANGUAGES

log = logging.getLogger(__name__)

# Seconds after which asking again is worthwhile when the search engine failed.
RETRY_AFTER_UNAVAILABLE = 30
PUBLIC_FACETS = tuple(name for name in FACETS if name != "status")
STAFF_FACETS = FACETS


@dataclass(frozen=True)
class SearchParams:
    """What someone asked for: the query text, facet choices, order, page, language."""

    q: str = ""
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    language: str = "az"
    per_page: int | None = None  # None: SEARCH_PAGE_SIZE

    @classmethod
    def from_args(cls, args: Mapping[str, Any], language: str) -> SearchParams:
        """The search a page's address asks for, leaving out any argument that breaks the
        rules (SearchArgs): people edit and share these addresses by hand."""
        return cls.from_loaded({**load_leniently(args), "lang": language})

    @classmethod
    def from_loaded(cls, loaded: Mapping[str, Any]) -> SearchParams:
        """The search that arguments loaded with SearchArgs ask for."""
        filters = {name: frozenset(loaded[name]) for name in FACETS if loaded.get(name)}
        language = loaded["lang"]
        return cls(
            q=loaded["q"],
            filters=filters,
            sort=loaded["sort"],
            page=loaded["page"],
            language=language if language in LANGUAGES else "az",
            per_page=loaded["per_page"],
        )

    @property
    def asked(self) -> bool:
        """Whether there is anything to search for (words or facet choices)."""
        return bool(self.q.strip() or self.filters)


@dataclass
class Item:
    """One hit, as the page shows it."""

    kind: str
    entity: Any
    site: Site
    title: Snippet
    snippet: Snippet
    # The picture shown beside it: a photo itself, else its site's cover photo (published
    # photos only); None when there is none.
    thumbnail: Photo | None = None


@dataclass
class FacetValue:
    """One value of a facet, how many results have it, and whether it is chosen."""

    code: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    """Everything a results page shows."""

    params: SearchParams
    public: bool
    items: list[Item] = field(default_factory=list)
    total: int = 0
    exact: bool = True
    per_page: int = 20
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # Why the query cannot be understood, for the user.
    error: Message | None = None
    suggestion: str | None = None
    timed_out: bool = False
    # Some prefix or typo variants were left out (the query expanded to its cap).
    truncated: bool = False
    # The index is being rebuilt: results may be incomplete meanwhile.
    rebuilding: bool = False
    # The search engine failed; the page says so instead of failing.
    unavailable: bool = False

    @property
    def pages(self) -> int:
        """How many pages the results fill (deep pages cut off at MAX_PAGE)."""
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))


def _scope(actor: User | None, public_scope: bool) -> bool:
    """Whether the search is limited to published records."""
    return public_scope or not can(actor, "read")


class SearchBusy(Busy):
    """Every search slot of this host stayed taken: the visitor may try again shortly."""

    retry_after = 2

    def __init__(self) -> None:
        ServiceError.__init__(
            self,
            N_("The archive is answering many searches at the moment. Try again in a few seconds."),
        )


class IndexRepairing(Busy):
    """The search index was found damaged and is being rebuilt from the database."""

    retry_after = 10

    def __init__(self) -> None:
        ServiceError.__init__(
            self,
            N_(
                "Search is not available for a moment: its index was found damaged and is "
                "being rebuilt. Try again in a few seconds."
            ),
        )


def search(params: SearchParams, *, actor: User | None, public_scope: bool = True) -> SearchPage:
    """A page of results: published records for the public, every status for staff.

    Every step — parsing, expanding, matching, scoring, snippets, the suggestion — runs
    within one budget of SEARCH_TIME_LIMIT seconds; a step that finds it spent stops, and
    the page says the search timed out. Searches of callers who are not staff share
    SEARCH_CONCURRENCY slots per host, so searching cannot take every worker from the
    pages; when all are taken, SearchBusy. A damaged index is rebuilt in the background,
    and meanwhile searches raise IndexRepairing.
    """
    deadline = time.monotonic() + current_app.config["SEARCH_TIME_LIMIT"]
    if not public_scope:
        require(actor, "read")
    published_only = _scope(actor, public_scope)
    per_page = params.per_page or current_app.config["SEARCH_PAGE_SIZE"]
    result_page = SearchPage(params=params, public=published_only, per_page=per_page)
    if not params.asked:
        return result_page
    try:
        node = parse(params.q)
    except InvalidQuery as error:
        result_page.error = error.said
        return result_page
    if can(actor, "read"):
        return _search(result_page, node, deadline)
    config = current_app.config
    # No waiting for a slot: under gunicorn's sync workers a request waiting holds a worker
    # as surely as one searching (measured: the home page's p50 went from 9 ms to 269 ms
    # with a wait of 0.1 s), and the answer says when to come back.
    with slots.slot(
        current_app.instance_path, "search", config["SEARCH_CONCURRENCY"], wait=0
    ) as held:
        if not held:
            raise SearchBusy()
        return _search(result_page, node, deadline)


def _search(result_page: SearchPage, node, deadline: float) -> SearchPage:
    """Fill `result_page` from the index, within `deadline`."""
    params, published_only, per_page = result_page.params, result_page.public, result_page.per_page
    indexing.ensure_index()
    backend = get_backend()
    request = SearchRequest(
        query=node,
        public_only=published_only,
        filters=_allowed_filters(params.filters, published_only),
        sort=params.sort if params.q.strip() or params.sort != "relevance" else "name",
        language=params.language,
        offset=(params.page - 1) * per_page,
        limit=per_page,
        facets=PUBLIC_FACETS if published_only else STAFF_FACETS,
        deadline=deadline,
    )
    try:
        result = backend.search(request)
    except IndexDamaged as error:
        indexing.repair(error)
        raise IndexRepairing() from error
    except Exception:
        log.exception("search failed for %r", params.q)
        result_page.unavailable = True
        return result_page
    result_page.items, snippets_done = _items(
        result.hits, result.terms, published_only, params.language, deadline
    )
    result_page.total = result.total
    result_page.exact = result.exact
    result_page.timed_out = result.timed_out or not snippets_done
    result_page.truncated = result.truncated
    result_page.rebuilding = backend.rebuilding()
    result_page.facets = {
        name: [
            FacetValue(code, count, code in params.filters.get(name, ()))
            for code, count in result.facets.get(name, {}).items()
        ]
        for name in request.facets
    }
    # Only when nothing matches: a search that ran out of time does not know that.
    if result.total == 0 and params.q.strip() and not result.timed_out:
        result_page.suggestion = _suggestion(params, node, request)
        if time.monotonic() > deadline:
            result_page.timed_out = True
    return result_page


def _allowed_filters(
    filters: Mapping[str, frozenset[str]], published_only: bool
) -> dict[str, frozenset[str]]:
    allowed = PUBLIC_FACETS if published_only else STAFF_FACETS
    return {name: values for name, values in filters.items() if name in allowed}


def _suggestion(params: SearchParams, node, request: SearchRequest) -> str | None:
    """The query with its unknown words replaced by the closest ones of the records the
    caller may see, offered only if searching for it finds such a record now (read
    through the public gate for the public, so not even a stale index can put an
    unpublished name here); or None."""
    backend = get_backend()
    try:
        corrected = backend.suggest(
            node, public_only=request.public_only, deadline=request.deadline
        )
        if not corrected or corrected == params.q:
            return None
        check = replace(request, query=parse(corrected), offset=0, limit=5, count=False, facets=())
        found = backend.search(check)
    except InvalidQuery:
        return None
    except Exception:
        log.exception("spelling suggestion failed for %r", params.q)
        return None
    return corrected if load_hits(found.hits, request.public_only) else None


# --- loading hits from the database ------------------------------------------------------


def load_hits(hits: Iterable[Hit], published_only: bool) -> list[tuple[str, Any, Site]]:
    """The records of `hits`, in order, as (kind, record, site), re-checked: for the public,
    only what the public gate admits now."""
    hits = list(hits)
    wanted: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for hit in hits:
        wanted[hit.kind].append(hit.entity_id)
    found: dict[tuple[str, int], tuple[Any, Site]] = {}
    for kind, ids in wanted.items():
        if not ids:
            continue
        for entity in db.session.scalars(_query(kind, ids, published_only)):
            site = entity if kind == "site" else entity.site
            found[(kind, entity.id)] = (entity, site)
    loaded = []
    for hit in hits:
        entity_and_site = found.get((hit.kind, hit.entity_id))
        if entity_and_site is not None:
            loaded.append((hit.kind, *entity_and_site))
    return loaded


def _query(kind: str, ids: list[int], published_only: bool):
    if kind == "site":
        query = public.published_sites() if published_only else select(Site)
        return query.where(Site.id.in_(ids))
    if kind == "record":
        query = public.published_records() if published_only else select(RestorationRecord)
        return query.where(RestorationRecord.id.in_(ids)).options(
            selectinload(RestorationRecord.site)
        )
    if kind == "object":
        query = public.published_objects() if published_only else select(CollectionObject)
        return query.where(CollectionObject.id.in_(ids)).options(
            selectinload(CollectionObject.site)
        )
    if kind == "gravestone":
        query = public.published_gravestones() if published_only else select(Gravestone)
        return query.where(Gravestone.id.in_(ids)).options(selectinload(Gravestone.site))
    if kind == "survey":
        query = public.published_surveys() if published_only else select(ConditionSurvey)
        return query.where(ConditionSurvey.id.in_(ids)).options(selectinload(ConditionSurvey.site))
    query = public.published_photos() if published_only else select(Photo)
    return query.where(Photo.id.in_(ids)).options(selectinload(Photo.site))


def _texts(kind: str, entity: Any, language: str) -> tuple[str, list[str]]:
    """A hit's title, and the texts its snippet may come from, the reader's language first."""
    order = [language, *(lang for lang in LANGUAGES if lang != language)]
    if kind == "site":
        return entity.name(language), [
            *(getattr(entity, f"description_{lang}") or "" for lang in order),
            ", ".join(entity.alternative_names or []),
            entity.settlement or "",
            *(getattr(entity, f"period_{lang}") or "" for lang in order),
        ]
    if kind == "record":
        return entity.title, [
            entity.description or "",
            entity.materials or "",
            entity.techniques or "",
            entity.organisation or "",
        ]
    if kind == "object":
        return f"{entity.title(language)} ({entity.inventory_number})", [
            *(getattr(entity, f"description_{lang}") or "" for lang in order),
            entity.provenance or "",
            entity.materials or "",
        ]
    if kind == "gravestone":
        return f"{entity.title(language)} (№ {entity.number})", [
            entity.inscription_reading or "",
            *(getattr(entity, f"translation_{lang}") or "" for lang in order),
        ]
    if kind == "survey":
        return f"{entity.site.name(language)} · {entity.survey_date.isoformat()}", [
            *(getattr(entity, f"findings_{lang}") or "" for lang in order),
            *(getattr(entity, f"recommendations_{lang}") or "" for lang in order),
        ]
    captions = [getattr(entity, f"caption_{lang}") or "" for lang in order]
    title = next((caption for caption in captions if caption), entity.site.name(language))
    return title, [*captions, *(getattr(entity, f"alt_{lang}") or "" for lang in order)]


def _items(
    hits: list[Hit], terms: Terms, published_only: bool, language: str, deadline: float
) -> tuple[list[Item], bool]:
    """The hits as the page shows them, and whether every snippet was marked in time (once
    time is up the rest show the start of their text, unmarked)."""
    items, in_time = [], True
    nothing = Terms()
    loaded = load_hits(hits, published_only)
    covers = public.cover_photos(site.id for kind, _entity, site in loaded if kind != "photo")
    for kind, entity, site in loaded:
        title, texts = _texts(kind, entity, language)
        in_time = in_time and time.monotonic() <= deadline
        marking = terms if in_time else nothing
        picture = entity if kind == "photo" else covers.get(site.id)
        items.append(
            Item(kind, entity, site, mark(title, marking), snippet(texts, marking), picture)
        )
    return items, in_time


def all_hits(params: SearchParams, *, published_only: bool, limit: int) -> Iterator[Hit]:
    """Every hit of a search, in the order asked for (for exports)."""
    node = parse(params.q)
    indexing.ensure_index()
    request = SearchRequest(
        query=node,
        public_only=published_only,
        filters=_allowed_filters(params.filters, published_only),
        sort=params.sort if params.q.strip() or params.sort != "relevance" else "name",
        language=params.language,
        limit=limit,
        count=False,
        deadline=time.monotonic() + current_app.config["SEARCH_EXPORT_TIME_LIMIT"],
    )
    return get_backend().iter_hits(request, limit)


def top_hits(params: SearchParams, *, published_only: bool, limit: int = 20) -> SearchResult:
    """The best hits of a search with their exact total, without facets or snippets: what
    a feed or an API listing needs (and what the benchmark compares with FTS5)."""
    indexing.ensure_index()
    request = SearchRequest(
        query=parse(params.q),
        public_only=published_only,
        filters=_allowed_filters(params.filters, published_only),
        sort=params.sort,
        language=params.language,
        limit=limit,
        facets=(),
        deadline=time.monotonic() + current_app.config["SEARCH_TIME_LIMIT"],
    )
    return get_backend().search(request)


def search_for(params: SearchParams, *, actor: User | None) -> SearchPage:
    """Search as the caller may: every status for staff, what is published for anyone else."""
    return search(params, actor=actor, public_scope=not can(actor, "read"))
