"""Scoring and counting a whole query at once, with numpy over posting arrays.

Whoosh walks its tree of matchers one document at a time in Python: for a common word
that is a union of a dozen posting lists (names, folded names, keys, stems, translations),
tens of thousands of documents, each through several layers of calls, and block-quality
skipping cannot help much when every word is an Or of many terms. Here each term's
postings are read once per segment into arrays (and kept, a bounded number, for the next
searches), and the query tree becomes array operations: a Term scores its documents with
BM25F exactly as Whoosh does, an Or adds its children's scores, an And intersects and
adds them, a phrase checks word positions on the documents holding all its words. One
pass gives every matching document with its score: the exact count, the facet counts and
the top hits (ties to the lower document number, as Whoosh orders them) come from it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from itertools import chain

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from heritage.search import internals
from heritage.search.matching import AndNot, Documents

# Posting arrays kept for the next searches (a segment never changes once written).
CACHE_BYTES = 64 * 2**20
# Decoded position lists kept for the next searches.
DECODED_POSITIONS = 100_000
# A phrase's candidates (documents with all its words) checked by position at most; past
# that the count is an estimate (the top hits are still checked).
PHRASE_CHECK_LIMIT = 400_000
# Candidates checked per round when only the best few phrase matches are wanted.
PHRASE_ROUND = 400
# A union of more postings than a segment's documents over this is added up densely.
DENSE_UNION = 32
# Whoosh's BM25F defaults.
B, K1 = 0.75, 1.2

_LENGTH_TABLE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
_EMPTY_DOCS = np.empty(0, dtype=np.int64)
_EMPTY_SCORES = np.empty(0, dtype=np.float64)


class OutOfTime(Exception):
    """The search did not finish within its time limit."""


class _Postings:
    """One term's postings in one segment: document numbers, weights (term frequencies,
    whole numbers, so float32 holds them exactly), and for phrase checks the encoded
    positions, read when asked for and decoded only for the documents a phrase needs."""

    __slots__ = ("docs", "size", "values", "weights")

    def __init__(self, docs: np.ndarray, weights: np.ndarray, values: list | None) -> None:
        self.docs = docs
        self.weights = weights
        self.values = values
        self.size = docs.nbytes + weights.nbytes + (len(values) * 64 if values else 0)

    def positions(self, where: np.ndarray, cache: PostingCache) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the postings at `where`: (which of them, position) pairs."""
        wanted = list(map(self.values.__getitem__, where.tolist()))
        # Most values were seen before: looked up in C, the rest decoded. Unlocked: each
        # lookup is one dict operation, and a value cleared meanwhile is decoded again.
        decoded = list(map(cache.decoded.get, wanted))
        if None in decoded:
            decoded = [
                found if found is not None else cache.decode(value)
                for found, value in zip(decoded, wanted, strict=True)
            ]
        counts = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
        flat = np.fromiter(chain.from_iterable(decoded), dtype=np.int64, count=int(counts.sum()))
        return np.repeat(np.arange(len(decoded), dtype=np.int64), counts), flat


class PostingCache:
    """Posting arrays by (segment, field, term), least recently used out first.

    One per search backend (never process-wide), shared by that backend's concurrent
    searches: every change to it is made under its lock.
    """

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, _Postings] = OrderedDict()
        self.bytes = 0
        # (segment id, field) → the field's lengths per document.
        self.lengths: dict[tuple[str, str], np.ndarray] = {}
        # Encoded positions → decoded: most values recur (a word once, at the same place).
        self.decoded: dict[bytes, tuple[int, ...]] = {}

    def get(self, key: tuple) -> _Postings | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple, postings: _Postings) -> None:
        if postings.size > self.limit // 4:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.entries[key] = postings
            self.bytes += postings.size
            while self.bytes > self.limit and self.entries:
                _key, dropped = self.entries.popitem(last=False)
                self.bytes -= dropped.size

    def field_lengths(self, key: tuple[str, str], compute) -> np.ndarray:
        """A field's lengths per document in one segment, computed once (`compute()`)."""
        with self.lock:
            found = self.lengths.get(key)
        if found is None:
            computed = compute()  # outside the lock: other searches go on meanwhile
            with self.lock:
                found = self.lengths.setdefault(key, computed)
        return found

    def forget_segments(self, alive: set[str]) -> None:
        """Drop what belongs to segments no longer in the index."""
        with self.lock:
            for key in [key for key in self.entries if key[0] not in alive]:
                self.bytes -= self.entries.pop(key).size
            for key in [key for key in self.lengths if key[0] not in alive]:
                del self.lengths[key]

    def decode(self, value: bytes) -> tuple[int, ...]:
        """The positions `value` encodes, remembered for the next time."""
        found = internals.decode_positions(value)
        with self.lock:
            if len(self.decoded) >= DECODED_POSITIONS:
                self.decoded.clear()
            self.decoded[value] = found
        return found


class _Segment:
    """Evaluates a query on one segment: (sorted document numbers, scores)."""

    def __init__(self, top: Searcher, leaf: Searcher, cache: PostingCache, deadline: float):
        self.top = top
        self.leaf = leaf
        self.reader = leaf.reader()
        self.segment_id = self.reader.segment().segment_id() if self.reader.segment() else "?"
        self.count = self.reader.doc_count_all()
        self.cache = cache
        self.deadline = deadline
        self.schema = top.schema
        # Set when a phrase was counted by its words alone (too many to check).
        self.estimated = False
        self.phrase_limit = PHRASE_CHECK_LIMIT
        # When set, phrases are checked on these candidates only (sorted numbers).
        self.only: np.ndarray | None = None

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise OutOfTime

    # --- postings ---------------------------------------------------------------------

    def postings(self, fieldname: str, text, positions: bool = False) -> _Postings | None:
        field = self.schema[fieldname]
        try:
            tbytes = field.to_bytes(text) if not isinstance(text, bytes) else text
        except ValueError:
            return None
        key = (self.segment_id, fieldname, tbytes)
        found = self.cache.get(key)
        if found is not None and (found.values is not None or not positions):
            return found
        matcher = internals.term_matcher(self.reader, fieldname, tbytes, field.format)
        if matcher is None:
            return None
        self.check_time()
        values: list | None = [] if positions else None
        ids, weights = internals.read_postings(matcher, values)
        found = _Postings(ids, weights, values)
        self.cache.put(key, found)
        return found

    def lengths(self, fieldname: str) -> np.ndarray:
        def compute() -> np.ndarray:
            raw = np.zeros(self.count, dtype=np.uint8)
            stored = internals.length_bytes(self.reader, fieldname)
            raw[: len(stored)] = np.frombuffer(stored, dtype=np.uint8)
            return _LENGTH_TABLE[raw]

        return self.cache.field_lengths((self.segment_id, fieldname), compute)

    # --- the query tree ---------------------------------------------------------------

    def evaluate(self, q: wq.Query, scored: bool = True) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost, scored)
        if isinstance(q, wq.Phrase):
            return self.phrase(q, scored)
        if isinstance(q, wq.Or):
            return self.union([self.evaluate(child, scored) for child in q.subqueries], q.boost)
        if isinstance(q, wq.And):
            parts = [self.evaluate(child, scored) for child in q.subqueries]
            return self.intersection(parts, q.boost)
        if isinstance(q, AndNot | wq.AndNot):
            docs, scores = self.evaluate(q.a, scored)
            if len(docs):
                excluded, _ = self.evaluate(q.b, False)
                keep = ~_contains(excluded, docs)
                docs, scores = docs[keep], scores[keep]
            return docs, scores
        if isinstance(q, wq.ConstantScoreQuery):
            docs, _ = self.evaluate(q.child, False)
            return docs, np.full(len(docs), float(q.score))
        if isinstance(q, Documents):
            docs = np.array(q.by_reader.get(id(self.reader), ()), dtype=np.int64)
            return docs, np.zeros(len(docs))
        if isinstance(q, wq.Every) and not q.fieldname:
            docs = np.arange(self.count, dtype=np.int64)
            return docs, np.full(self.count, float(q.boost))
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return _EMPTY_DOCS, _EMPTY_SCORES
        return self.fallback(q, scored)

    def term(self, fieldname: str, text, boost: float, scored: bool):
        if fieldname not in self.schema:
            return _EMPTY_DOCS, _EMPTY_SCORES
        postings = self.postings(fieldname, text)
        if postings is None:
            return _EMPTY_DOCS, _EMPTY_SCORES
        if not scored:
            return postings.docs, np.zeros(len(postings.docs))
        return postings.docs, self.bm25(fieldname, text, postings.docs, postings.weights) * boost

    def bm25(self, fieldname: str, text, docs: np.ndarray, weights: np.ndarray) -> np.ndarray:
        field = self.schema[fieldname]
        weights = weights.astype(np.float64)
        if not field.scorable:
            return weights
        tbytes = field.to_bytes(text) if not isinstance(text, bytes) else text
        top = self.top
        idf = top.idf(fieldname, tbytes)
        average = top.avg_field_length(fieldname) or 1
        lengths = self.lengths(fieldname)[docs].astype(np.float64)
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average)))

    def union(self, parts: list[tuple[np.ndarray, np.ndarray]], boost: float = 1.0):
        parts = [part for part in parts if len(part[0])]
        if not parts:
            return _EMPTY_DOCS, _EMPTY_SCORES
        if len(parts) == 1:
            docs, scores = parts[0]
        elif sum(len(docs) for docs, _ in parts) * DENSE_UNION > self.count:
            # Many documents: add the scores up in an array over the whole segment.
            total = np.zeros(self.count)
            present = np.zeros(self.count, dtype=bool)
            for docs, scores in parts:
                total[docs] += scores  # a term's documents are distinct
                present[docs] = True
            docs = np.flatnonzero(present)
            scores = total[docs]
        else:
            every = np.concatenate([docs for docs, _ in parts])
            docs, inverse = np.unique(every, return_inverse=True)
            scores = np.bincount(
                inverse, weights=np.concatenate([s for _, s in parts]), minlength=len(docs)
            )
        return docs, scores * boost if boost != 1.0 else scores

    @staticmethod
    def intersection(parts: list[tuple[np.ndarray, np.ndarray]], boost: float = 1.0):
        if not parts:
            return _EMPTY_DOCS, _EMPTY_SCORES
        parts = sorted(parts, key=lambda part: len(part[0]))
        docs, scores = parts[0]
        scores = scores.copy()
        for other_docs, other_scores in parts[1:]:
            if not len(docs):
                break
            where = np.searchsorted(other_docs, docs)
            where[where >= len(other_docs)] = 0
            keep = other_docs[where] == docs if len(other_docs) else np.zeros(len(docs), bool)
            docs, scores = docs[keep], scores[keep] + other_scores[where[keep]]
        return docs, scores * boost if boost != 1.0 else scores

    # --- phrases ----------------------------------------------------------------------

    def phrase(self, q: wq.Phrase, scored: bool):
        """The documents holding the phrase; scored as Whoosh scores it (its words' scores
        added up, times its boost)."""
        fieldname = q.fieldname
        if fieldname not in self.schema or not q.words:
            return _EMPTY_DOCS, _EMPTY_SCORES
        found = [self.postings(fieldname, word, len(q.words) > 1) for word in q.words]
        if any(postings is None for postings in found):
            return _EMPTY_DOCS, _EMPTY_SCORES
        parts = [
            (
                postings.docs,
                self.bm25(fieldname, word, postings.docs, postings.weights)
                if scored
                else np.zeros(len(postings.docs)),
            )
            for word, postings in zip(q.words, found, strict=True)
        ]
        docs, scores = self.intersection(parts, q.boost)
        if self.only is not None:
            keep = _contains(self.only, docs)
            docs, scores = docs[keep], scores[keep]
        if len(q.words) == 1 or not len(docs):
            return docs, scores
        if len(docs) > self.phrase_limit:
            self.estimated = True
            return docs, scores
        keep = self.positions_match(fieldname, q.words, docs)
        return docs[keep], scores[keep]

    def positions_match(self, fieldname: str, words, docs: np.ndarray) -> np.ndarray:
        """For each of `docs` (all holding every word), whether the words stand in a row.
        Each word's positions are read only for the candidates still in the running."""
        alive = np.arange(len(docs), dtype=np.int64)
        common = None
        for offset, word in enumerate(words):
            postings = self.postings(fieldname, word, positions=True)
            owner, where = postings.positions(
                np.searchsorted(postings.docs, docs[alive]), self.cache
            )
            self.check_time()
            # (candidate, position the phrase would start at) as one number.
            keys = (alive[owner] << 32) + (where - offset + (1 << 31))
            if common is None:
                common = keys
            else:
                common = np.intersect1d(common, keys, assume_unique=True)
                alive = np.unique(common >> 32)
            if not len(common):
                break
        matched = np.zeros(len(docs), dtype=bool)
        if common is not None and len(common):
            matched[common >> 32] = True
        return matched

    def fallback(self, q: wq.Query, scored: bool):
        """Anything else (ranges): Whoosh's own matcher."""
        matcher = q.matcher(self.leaf, self.leaf.boolean_context() if not scored else None)
        docs, scores = [], []
        while matcher.is_active():
            docs.append(matcher.id())
            scores.append(matcher.score() if scored else 0.0)
            matcher.next()
            if len(docs) % 4096 == 0:
                self.check_time()
        order = np.argsort(np.array(docs, dtype=np.int64), kind="stable")
        return (
            np.array(docs, dtype=np.int64)[order],
            np.array(scores, dtype=np.float64)[order],
        )


def _contains(sorted_docs: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """For each of `docs`, whether it is in `sorted_docs`."""
    if not len(sorted_docs):
        return np.zeros(len(docs), dtype=bool)
    where = np.searchsorted(sorted_docs, docs)
    where[where >= len(sorted_docs)] = 0
    return sorted_docs[where] == docs


class Matches:
    """Every live document matching a query, index-wide, with its score."""

    def __init__(self, docs: np.ndarray, scores: np.ndarray, exact: bool) -> None:
        self.docs = docs
        self.scores = scores
        self.exact = exact

    def __len__(self) -> int:
        return len(self.docs)

    def top(self, offset: int, limit: int) -> list[tuple[int, float]]:
        """(document, score) of the best, from `offset`: higher scores first, then the
        lower document number (Whoosh's order)."""
        wanted = offset + limit
        docs, scores = self.docs, self.scores
        if len(docs) > wanted:
            # Everything scoring at least the wanted-th best score, ties included.
            threshold = np.partition(scores, len(scores) - wanted)[len(scores) - wanted]
            keep = scores >= threshold
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[offset:wanted]
        return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))


def evaluate(
    searcher: Searcher,
    q: wq.Query,
    cache: PostingCache,
    deadline: float,
    excluded: np.ndarray | None = None,
    scored: bool = True,
) -> Matches:
    """Every document matching `q` with its score, leaving out deleted documents and those
    `excluded` marks (a boolean array over the index's document numbers)."""
    all_docs, all_scores = [], []
    exact = True
    for leaf, offset in searcher.leaf_searchers():
        segment = _Segment(searcher, leaf, cache, deadline)
        docs, scores = segment.evaluate(q, scored)
        exact = exact and not segment.estimated
        reader = leaf.reader()
        if len(docs) and reader.has_deletions():
            deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
            deleted.sort()
            keep = ~_contains(deleted, docs)
            docs, scores = docs[keep], scores[keep]
        if offset:
            docs = docs + offset
        all_docs.append(docs)
        all_scores.append(scores)
    docs = np.concatenate(all_docs) if all_docs else _EMPTY_DOCS
    scores = np.concatenate(all_scores) if all_scores else _EMPTY_SCORES
    if excluded is not None and len(docs):
        keep = ~excluded[docs]
        docs, scores = docs[keep], scores[keep]
    return Matches(docs, scores, exact)


def check_phrases(searcher: Searcher, q: wq.Query, cache: PostingCache, deadline: float, docs):
    """Which of `docs` (index-wide numbers) match `q` with its phrases checked by position:
    for the top hits when the count was estimated."""
    wanted = np.asarray(docs, dtype=np.int64)
    matched = []
    for leaf, offset in searcher.leaf_searchers():
        end = offset + leaf.doc_count_all()
        local = wanted[(wanted >= offset) & (wanted < end)] - offset
        if not len(local):
            continue
        segment = _Segment(searcher, leaf, cache, deadline)
        segment_docs, _ = _restricted(segment, q, np.sort(local))
        matched.append(segment_docs + offset)
    return set(np.concatenate(matched).tolist()) if matched else set()


def _restricted(segment: _Segment, q: wq.Query, only: np.ndarray):
    """`q` evaluated on the candidates `only`, phrases checked whatever their number."""
    segment.only = only
    segment.phrase_limit = len(only)
    docs, scores = segment.evaluate(q, False)
    keep = _contains(only, docs)
    return docs[keep], scores[keep]
