"""Counting every match fast: a query's documents as a set, from whole posting blocks.

Whoosh counts by walking its matcher tree one document at a time in Python; for a common
word that is tens of thousands of steps through several layers per search. Here each term
reads its posting blocks' document numbers as arrays, and AND, OR and NOT become set
operations in C. A phrase is checked by position only on the documents holding all its
words, and only when they are few; ranges are left to Whoosh.
"""

from __future__ import annotations

import time
from array import array
from itertools import accumulate

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from heritage.search.matching import AndNot, Documents

# Posting blocks read between two looks at the clock.
CLOCK_EVERY = 64
# A phrase's candidates (documents with all its words) checked by position at most.
PHRASE_CHECK_LIMIT = 3000


class OutOfTime(Exception):
    """The count did not finish within the search's time limit."""


class _Counter:
    def __init__(self, searcher: Searcher, deadline: float) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.deadline = deadline
        self.blocks = 0
        # Set when a phrase was counted by its words alone (too many to check positions).
        self.estimated = False

    def tick(self) -> None:
        self.blocks += 1
        if self.blocks % CLOCK_EVERY == 0 and time.monotonic() > self.deadline:
            raise OutOfTime

    def docs(self, q: wq.Query) -> set[int]:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, wq.Phrase):
            return self.phrase(q)
        if isinstance(q, wq.Or):
            found: set[int] = set()
            for child in q.subqueries:
                found |= self.docs(child)
            return found
        if isinstance(q, wq.And):
            parts = sorted((self.docs(child) for child in q.subqueries), key=len)
            found = parts[0]
            for part in parts[1:]:
                found = found & part
            return found
        if isinstance(q, AndNot | wq.AndNot):
            required = self.docs(q.a)
            return required - self.docs(q.b) if required else required
        if isinstance(q, wq.Every) and not q.fieldname:
            return set(range(self.reader.doc_count_all()))
        if isinstance(q, wq.ConstantScoreQuery):
            return self.docs(q.child)
        if q is wq.NullQuery:
            return set()
        # Phrases, ranges: Whoosh's own matching (it leaves deleted documents out too).
        return set(q.docs(self.searcher))

    def phrase(self, q: wq.Phrase) -> set[int]:
        """The documents with the phrase, checked by position when they are few enough;
        else those with all of its words (and the count is an estimate)."""
        candidates = set.intersection(*(self.term(q.fieldname, word) for word in q.words))
        if len(candidates) > PHRASE_CHECK_LIMIT:
            self.estimated = True
            return candidates
        if not candidates:
            return candidates
        only = Documents({id(self.reader): sorted(candidates)})
        return set(wq.And([q, only]).docs(self.searcher))

    def term(self, fieldname: str, text: str) -> set[int]:
        reader = self.reader
        if not hasattr(reader, "_terms"):  # an empty index
            return set(wq.Term(fieldname, text).docs(self.searcher))
        try:
            tbytes = reader._text_to_bytes(fieldname, text)
            matcher = reader._terms.matcher(
                fieldname, tbytes, reader.schema[fieldname].format, scorer=None
            )
        except TermNotFound:
            return set()
        if not isinstance(matcher, W3LeafMatcher):
            return set(matcher.all_ids())
        ids = array("I")
        while not matcher._atend:
            # The block's ids as stored (differences), summed up in C.
            matcher._read_data()
            ids.extend(accumulate(matcher._data[0]))
            self.tick()
            if matcher._lastblock:
                break
            matcher._next_block()
        return set(ids)


def matching_documents(searcher: Searcher, q: wq.Query, deadline: float) -> tuple[set[int], bool]:
    """The document numbers (index-wide) of every live document matching `q`, and whether
    the set is exact (False when a common phrase was counted by its words)."""
    found: set[int] = set()
    exact = True
    for leaf, offset in searcher.leaf_searchers():
        counter = _Counter(leaf, deadline)
        local = counter.docs(q)
        exact = exact and not counter.estimated
        deleted = leaf.reader().deleted_docs_set if leaf.reader().has_deletions() else ()
        if deleted:
            local -= deleted
        found.update(map(offset.__add__, local) if offset else local)
    return found, exact
