"""Building a whole index fast: postings in memory, shards in parallel processes.

Whoosh's writer sends every posting through an external sort (a pickle per posting) and
reads each document's field length back from disk while writing postings; for a rebuild
of hundreds of thousands of records that is most of the time. `BulkWriter` keeps each
term's postings in compact arrays and knows the lengths already. Each process builds the
segments of its shard of the archive; the parent lists them all in one table of contents.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
import traceback
from array import array
from collections.abc import Callable, Iterable
from functools import lru_cache

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.fields import ID
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

from heritage.search import internals
from heritage.search.analysis import TermField, encode_positions
from heritage.search.documents import Document
from heritage.search.schema import WRITER, whoosh_fields

ShardDocuments = Callable[[int, int], Iterable[Document]]

# Documents per segment: bounds a build process's memory (about 2 GB at most); fewer,
# larger segments make searching faster.
SEGMENT_DOCUMENTS = 400_000
PROGRESS_EVERY = 500


@lru_cache(maxsize=4096)
def _stored_length(length: int) -> int:
    """A field length as the index stores it (one byte, logarithmic); the postings' block
    statistics must use the same value the scorer later reads, or skipping goes wrong."""
    return byte_to_length(length_to_byte(length))


class _Postings:
    """One term's postings as (document, weight, length, value size) integers, and the
    encoded values one after another: two appends per posting, 20 bytes or so each."""

    __slots__ = ("numbers", "values")

    def __init__(self) -> None:
        self.numbers = array("I")
        self.values = bytearray()


@lru_cache(maxsize=4096)
def _length_byte(length: int) -> int:
    return length_to_byte(length)


@lru_cache(maxsize=256)
def _frequency_bytes(frequency: int) -> bytes:
    return pack_uint(frequency)


def _add_terms(table: dict, field: TermField, value: str, docnum: int) -> int:
    """Add the postings of one TermField value; returns the field's length."""
    found = field.terms(value)
    if field.positional:
        length = sum(map(len, found.values()))
        stored_length = _stored_length(length) if length else 0
        for term, where in found.items():
            postings = table.get(term)
            if postings is None:
                postings = table[term] = _Postings()
            encoded = encode_positions(where)
            postings.numbers.extend((docnum, len(where), stored_length, len(encoded)))
            postings.values += encoded
    else:
        length = sum(found.values())
        stored_length = _stored_length(length) if length else 0
        for term, frequency in found.items():
            postings = table.get(term)
            if postings is None:
                postings = table[term] = _Postings()
            encoded = _frequency_bytes(frequency)
            postings.numbers.extend((docnum, frequency, stored_length, len(encoded)))
            postings.values += encoded
    return length


def _add_items(table: dict, field, value, docnum: int) -> int:
    """Add the postings of any other indexed field; returns its length."""
    if isinstance(field, ID):
        # One term, no frequency or positions (Whoosh's Existence format).
        items = [(value.encode("utf-8"), 1, 1.0, b"")]
    else:
        items = list(field.index(value))
    length = sum(item[1] for item in items) if field.scorable else 0
    stored_length = _stored_length(length) if length else 0
    for tbytes, _frequency, weight, vbytes in items:
        postings = table.get(tbytes)
        if postings is None:
            postings = table[tbytes] = _Postings()
        # Weights are term frequencies here, whole numbers.
        postings.numbers.extend((docnum, int(weight), stored_length, len(vbytes)))
        if vbytes:
            postings.values += vbytes
    return length


class BulkWriter(internals.SegmentBuilder):
    """Writes one new segment; the caller holds the index lock and lists the segment."""

    def __init__(self, index: whoosh_index.Index) -> None:
        super().__init__(index, **WRITER)
        # field → term (as text; bytes for ID fields) → postings
        self._terms: dict[str, dict[str | bytes, _Postings]] = {}

    def add_document(self, **fields) -> None:
        schema = self.schema
        docnum, stored = self.start_document()
        for fieldname, value in fields.items():
            if value is None:
                continue
            field = schema[fieldname]
            if field.indexed:
                table = self._terms.get(fieldname)
                if table is None:
                    table = self._terms[fieldname] = {}
                if isinstance(field, TermField):
                    length = _add_terms(table, field, value, docnum)
                else:
                    length = _add_items(table, field, value, docnum)
                if length:
                    self.add_length(fieldname, length, _length_byte(length))
            if field.stored:
                stored[fieldname] = value
            if field.column_type:
                self.column(fieldname, field.column_type).add(docnum, field.to_column_value(value))
        self.finish_document()

    def terms(self):
        """Each field's postings, term by term; each table is let go once written."""
        for fieldname in sorted(self._terms):
            table = self._terms.pop(fieldname)
            # Text sorts by code point, as its UTF-8 bytes do.
            yield (
                fieldname,
                (
                    (term.encode("utf-8") if isinstance(term, str) else term, table.pop(term))
                    for term in sorted(table)
                ),
            )


def build_shard(
    path: str,
    documents: Iterable[Document],
    report: Callable[[int], None] | None = None,
    segment_documents: int = SEGMENT_DOCUMENTS,
) -> list[Segment]:
    """Write `documents` into new segments of the index at `path`; returns them."""
    index = whoosh_index.open_dir(path)
    segments: list[Segment] = []
    writer = BulkWriter(index)
    # Millions of long-lived posting objects and no reference cycles: the cycle collector
    # would only walk them over and over (it doubled the build time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for document in documents:
            writer.add_document(**whoosh_fields(document))
            if report is not None and writer.docnum % PROGRESS_EVERY == 0:
                report(PROGRESS_EVERY)
            if writer.docnum >= segment_documents:
                segments.append(writer.finish())
                writer = BulkWriter(index)
        if report is not None:
            report(writer.docnum % PROGRESS_EVERY)
        if writer.docnum:
            segments.append(writer.finish())
        else:
            writer.abandon()
    except BaseException:
        writer.abandon()
        raise
    finally:
        if collecting:
            gc.enable()
        index.close()
    return segments


def _shard_process(
    path: str,
    shard_documents: ShardDocuments,
    shard: int,
    shards: int,
    counter,
    results,
) -> None:
    """Build one shard in a child process; put (shard, segments, error) on `results`."""

    def report(count: int) -> None:
        with counter.get_lock():
            counter.value += count

    try:
        segments = build_shard(path, shard_documents(shard, shards), report)
        results.put((shard, segments, None))
    except BaseException:
        results.put((shard, [], traceback.format_exc()))


def build(
    path: str,
    shard_documents: ShardDocuments,
    *,
    processes: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Fill the empty index at `path` with every document, in `processes` processes."""
    added = 0

    def report(count: int) -> None:
        nonlocal added
        added += count
        if progress is not None:
            progress(added)

    if processes <= 1:
        segments = build_shard(path, shard_documents(0, 1), report)
    else:
        segments = _build_in_processes(path, shard_documents, processes, report)
    index = whoosh_index.open_dir(path)
    try:
        internals.commit_segments(index, segments)
    finally:
        index.close()
    return sum(segment.doc_count_all() for segment in segments)


def _build_in_processes(
    path: str, shard_documents: ShardDocuments, processes: int, report: Callable[[int], None]
) -> list[Segment]:
    # fork: the children inherit the application (configuration, database engine) as is.
    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)
    results = context.Queue()
    children = [
        context.Process(
            target=_shard_process,
            args=(path, shard_documents, shard, processes, counter, results),
            daemon=True,
        )
        for shard in range(processes)
    ]
    for child in children:
        child.start()
    finished: dict[int, list[Segment]] = {}
    errors: list[str] = []
    reported = 0
    try:
        while len(finished) + len(errors) < processes:
            while not results.empty():
                shard, segments, error = results.get()
                if error:
                    errors.append(error)
                else:
                    finished[shard] = segments
            if len(finished) + len(errors) < processes and not any(
                child.is_alive() for child in children
            ):
                if results.empty():
                    errors.append("a build process died without a word")
                continue
            current = counter.value
            if current != reported:
                report(current - reported)
                reported = current
            time.sleep(0.2)
    finally:
        for child in children:
            child.join(timeout=10)
    report(counter.value - reported)
    if errors:
        raise RuntimeError("building the search index failed:\n" + "\n".join(errors))
    return [segment for shard in sorted(finished) for segment in finished[shard]]
