"""Facet counts from Whoosh columns, fast enough for every search page.

Whoosh's own grouping reads a column value per matching document through several layers
of Python. Here each segment's column is read once into a byte array of small codes (a
segment never changes once written, so the array is kept until the segment is merged
away), and counting a result set is one C-level pass per facet.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np
from whoosh.reading import IndexReader

from heritage.search import internals
from heritage.search.documents import FACETS

MISSING = 0
MAX_CODES = 255


class FacetCodes:
    """Facet values as one-byte codes, the same for every segment of one index."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: dict[str, dict[bytes, int]] = {name: {} for name in FACETS}
        self._values: dict[str, list[str | None]] = {name: [None] for name in FACETS}
        # (segment id, facet) → codes per document of that segment.
        self._segments: dict[tuple[str, str], bytes] = {}
        # The arrays of the latest set of segments, for the searches that follow.
        self._latest: tuple[tuple[str, ...], dict[str, bytes]] | None = None

    def code(self, facet: str, value: bytes) -> int:
        """The code of a value; MISSING for an empty one or past the 255 a facet can hold."""
        if not value:
            return MISSING
        codes = self._codes[facet]
        found = codes.get(value)
        if found is None:
            if len(codes) >= MAX_CODES:
                return MISSING
            found = codes[value] = len(codes) + 1
            self._values[facet].append(value.decode("utf-8"))
        return found

    def value(self, facet: str, code: int) -> str | None:
        return self._values[facet][code]

    def arrays(self, reader: IndexReader) -> dict[str, bytes]:
        """For each facet, the code of every document of `reader`, in document order."""
        segments = _segments(reader)
        ids = tuple(_segment_id(seg) for seg in segments)
        latest = self._latest
        if latest is not None and latest[0] == ids:
            return latest[1]
        arrays = {
            facet: b"".join(self._segment_codes(seg, facet) for seg in segments) for facet in FACETS
        }
        with self._lock:
            alive = {(segment, facet) for segment in ids for facet in FACETS}
            for stale in set(self._segments) - alive:
                del self._segments[stale]
            self._latest = (ids, arrays)
        return arrays

    def _segment_codes(self, reader: IndexReader, facet: str) -> bytes:
        key = (_segment_id(reader), facet)
        found = self._segments.get(key)
        if found is not None:
            return found
        with self._lock:
            codes = _read_codes(self, reader, facet)
            self._segments[key] = codes
        return codes


def _segments(reader: IndexReader) -> list[IndexReader]:
    """The segment readers (an empty index has a reader without a segment: none)."""
    readers = list(reader.readers) if hasattr(reader, "readers") else [reader]
    return [leaf for leaf in readers if leaf.segment() is not None]


def _segment_id(reader: IndexReader) -> str:
    return reader.segment().segment_id()


def _read_codes(codes: FacetCodes, reader: IndexReader, facet: str) -> bytes:
    """One segment's column of `facet` as codes (MISSING where empty)."""
    count = reader.doc_count_all()
    if not reader.has_column(facet):
        return bytes(count)
    column = reader.column_reader(facet, translate=False)
    found = internals.reference_bytes(column, count)
    if found is not None:
        # A RefBytes column with under 256 values stores one byte per document: map those
        # bytes to our codes in one go.
        uniques, refs = found
        table = bytes(codes.code(facet, value) for value in uniques).ljust(256, b"\0")
        return refs.translate(table)
    return bytes(codes.code(facet, value) for value in column)


def count(
    codes: FacetCodes, arrays: dict[str, bytes], docnums, facets: Iterable[str]
) -> dict[str, dict[str, int]]:
    """{facet: {value: number of `docnums` with it}}, most frequent first."""
    docs = np.asarray(docnums if not isinstance(docnums, set) else list(docnums), dtype=np.int64)
    counted = {}
    for facet in facets:
        column = np.frombuffer(arrays[facet], dtype=np.uint8)
        tally = np.bincount(column[docs], minlength=MAX_CODES + 1)
        tally[MISSING] = 0
        found = np.flatnonzero(tally)
        ordered = found[np.argsort(-tally[found], kind="stable")]
        counted[facet] = {codes.value(facet, int(code)): int(tally[code]) for code in ordered}
    return counted
