"""Full-text search: the only package that knows the search engines.

The rest of the archive talks to a `SearchBackend`: documents in, parsed queries in, hits
and counts out. Two implement it: Whoosh (engine.py, an index folder on local disk) and
PostgreSQL (postgres.py, tables in the archive's database); both analyse text and read
queries the same way (analysis.py, readings.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app

# Imported first: it stops the archive at start-up if the installed Whoosh is not one whose
# internals the package knows (see internals.py).
from heritage.search import internals  # noqa: F401  isort: skip
from heritage.search.documents import FACETS, KINDS, Document
from heritage.search.query import InvalidQuery, Node, parse
from heritage.search.readings import Terms

__all__ = [
    "FACETS",
    "KINDS",
    "Document",
    "Hit",
    "IndexBusy",
    "IndexDamaged",
    "InvalidQuery",
    "SearchBackend",
    "SearchRequest",
    "SearchResult",
    "Terms",
    "get_backend",
    "parse",
]


class IndexBusy(RuntimeError):
    """Another writer held the index's lock for longer than we were willing to wait."""


class IndexDamaged(RuntimeError):
    """A generation of the index cannot be read (a file is missing, truncated or garbled):
    only a rebuild from the database mends it."""

    def __init__(self, message: str, generation: str | None = None) -> None:
        super().__init__(message)
        # The generation found damaged: a rebuild may have replaced it since.
        self.generation = generation


@dataclass(frozen=True)
class SearchRequest:
    """A parsed query with its scope, filters, order and page."""

    query: Node
    # Published records only (anonymous visitors, and public exports).
    public_only: bool
    # facet → codes allowed (any of them).
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    sort: str = "relevance"
    language: str = "az"
    offset: int = 0
    limit: int = 20
    # Whether to count every match exactly and by facet (a results page does; a feed of
    # the top hits need not).
    count: bool = True
    facets: tuple[str, ...] = FACETS
    # When the search must be done by (time.monotonic()): every step of it, expansions
    # included, stops there and the result says it timed out.
    deadline: float = field(default_factory=lambda: time.monotonic() + 3.0)


@dataclass(frozen=True)
class Hit:
    """One matching record, as the index knows it."""

    kind: str
    entity_id: int
    site_id: int
    score: float


@dataclass
class SearchResult:
    """A page of hits with the total, the facet counts and what the query matched."""

    hits: list[Hit]
    total: int
    # False when the total is an estimate (counting was not asked for, or time ran out).
    exact: bool
    facets: dict[str, dict[str, int]]
    terms: Terms
    timed_out: bool = False
    # An expansion (prefix, typo) was cut to its bound.
    truncated: bool = False


class SearchBackend(Protocol):
    """What the archive needs from a search engine.

    Whatever a public search answers — hits, totals, facet counts, suggestions — comes from
    entries whose `Document.public` is true; `public_only=False` is for staff, who may see
    everything. Every reading method stops at the request's deadline.
    """

    # Whether this process has made sure the index is complete (see services/indexing.py).
    checked: bool

    def search(self, request: SearchRequest) -> SearchResult: ...

    def iter_hits(self, request: SearchRequest, limit: int) -> Iterator[Hit]: ...

    # The query with its unknown words replaced by the closest words of the entries the
    # scope may see (published ones only when `public_only`), or None.
    def suggest(self, node: Node, *, public_only: bool, deadline: float) -> str | None: ...

    def update(self, documents: Callable[[], Iterable[Document]], *, wait: float) -> int: ...

    def rebuild(
        self,
        documents: Callable[[int, int], Iterable[Document]],
        *,
        refresh: Callable[[set[str]], Iterable[Document]],
        progress: Callable[[int], None] | None = None,
        processes: int | None = None,
    ) -> int: ...

    def rebuilding(self) -> bool: ...

    def is_healthy(self) -> bool: ...

    # Mark the damaged generation as needing a rebuild, if it is still the one in use;
    # returns whether it is.
    def mark_damaged(self, generation: str | None) -> bool: ...

    def stats(self) -> dict[str, int]: ...

    def close(self) -> None: ...


def get_backend() -> SearchBackend:
    """The current app's search backend, created on first use."""
    extensions = current_app.extensions
    backend = extensions.get("heritage.search")
    if backend is None:
        config = current_app.config
        if config["SEARCH_BACKEND"] == "postgresql":
            from heritage.extensions import db
            from heritage.search.postgres import PostgresBackend

            backend = PostgresBackend(db.engine)
        else:
            from heritage.search.engine import WhooshBackend

            backend = WhooshBackend(
                config["INDEX_DIR"], build_processes=config["SEARCH_BUILD_PROCESSES"]
            )
        extensions["heritage.search"] = backend
    return backend
