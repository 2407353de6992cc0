"""Whoosh query classes of our own: a bug fix, and what makes phrase searches fast.

Whoosh's AndNot matcher, when the top-hits collector asks it to skip ahead to blocks good
enough to make the page (skip_to_quality), may run its required side off the end and then
ask it for its current document, which raises IndexError deep in a search. `AndNot` uses
the fixed matcher of internals.py, which stops once the required side is used up.

A phrase is checked by reading word positions, document by document, in Python: fast for
a few documents, slow for the tens of thousands that hold two common words. `relaxed` and
`Documents` let a search find candidates without positions first and check only those.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from heritage.search.internals import FixedAndNotMatcher


class AndNot(wq.AndNot):
    """Documents matching `a` but not `b` (Whoosh's AndNot, with the fix above)."""

    def matcher(self, searcher, context=None):
        required = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return FixedAndNotMatcher(required, excluded)


class Documents(wq.Query):
    """Only the given documents: beside a phrase in an And, it lets the phrase's position
    checks run on those few documents instead of on every one holding all its words."""

    def __init__(self, by_reader: dict[int, list[int]]) -> None:
        # id(segment reader) → sorted document numbers within that segment.
        self.by_reader = by_reader

    @classmethod
    def of(cls, searcher, docnums: Iterable[int]) -> Documents:
        """The documents with these index-wide numbers, split by segment."""
        ordered = sorted(docnums)
        by_reader = {}
        for leaf, offset in searcher.leaf_searchers():
            end = offset + leaf.doc_count_all()
            by_reader[id(leaf.reader())] = [d - offset for d in ordered if offset <= d < end]
        return cls(by_reader)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Documents({sum(map(len, self.by_reader.values()))})"

    def estimate_size(self, ixreader) -> int:
        return sum(map(len, self.by_reader.values()))

    def estimate_min_size(self, ixreader) -> int:
        return 0

    def requires(self) -> set:
        return set()

    def matcher(self, searcher, context=None):
        ids = self.by_reader.get(id(searcher.reader()), [])
        return ListMatcher(ids) if ids else NullMatcher()


def has_phrase(q: wq.Query) -> bool:
    """Whether a phrase is among what the query requires or allows (not what it excludes)."""
    if isinstance(q, wq.Phrase):
        return True
    if isinstance(q, wq.AndNot):
        return has_phrase(q.a)
    if isinstance(q, wq.ConstantScoreQuery):
        return has_phrase(q.child)
    if isinstance(q, wq.And | wq.Or):
        return any(has_phrase(child) for child in q.subqueries)
    return False


def relaxed(q: wq.Query) -> wq.Query:
    """The query with each phrase (outside exclusions) loosened to all of its words: it
    finds the same documents and more, without reading positions."""
    if isinstance(q, wq.Phrase):
        return wq.And([wq.Term(q.fieldname, word) for word in q.words], boost=q.boost)
    if isinstance(q, wq.AndNot):
        return q.__class__(relaxed(q.a), q.b)
    if isinstance(q, wq.ConstantScoreQuery):
        return wq.ConstantScoreQuery(relaxed(q.child), q.score)
    if isinstance(q, wq.And | wq.Or):
        return q.__class__([relaxed(child) for child in q.subqueries], boost=q.boost)
    return q
