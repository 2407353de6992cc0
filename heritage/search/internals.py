"""Every private part of Whoosh the search package relies on, in one place, checked at import.

Reading posting blocks whole (vector.py), facet columns as bytes (facets.py), writing
postings a block at a time (bulk.py), the position encoding, a segment name, the file
sizes recorded for telling a damaged index (engine.py), an AndNot fix and the C-level
delta decoding all reach past Whoosh's public interface for speed.
Those parts may change in any release, so setup.cfg allows only the versions tested
(SUPPORTED, kept equal to its requirement by a test) and importing this module checks the
installed version and then drives every one of them on a small index in memory: a missing
or changed internal stops the archive at import with a message, never gives a wrong answer.
"""

from __future__ import annotations

import itertools
import operator
import secrets
from array import array
from importlib import metadata
from itertools import accumulate
from pickle import dumps, loads

import numpy as np
from whoosh import columns, fields, formats
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3Segment
from whoosh.filedb.filestore import RamStorage
from whoosh.matching import AndNotMatcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.system import _INT_SIZE, pack_uint
from whoosh.util import IDCHARS
from whoosh.writing import SegmentWriter

DISTRIBUTION = "whoosh-reloaded"
# The versions whose internals this module was written against and tested with.
SUPPORTED = ">=2.7.5,<2.7.6"
LOWEST, BEYOND = (2, 7, 5), (2, 7, 6)


class WhooshMismatch(ImportError):
    """The installed Whoosh is not one whose internals heritage knows."""


def _version(text: str) -> tuple[int, ...]:
    numbers = []
    for part in text.split("."):
        digits = "".join(itertools.takewhile(str.isdigit, part))
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers)


# --- reading --------------------------------------------------------------------------------


def term_matcher(reader: IndexReader, fieldname: str, tbytes: bytes, format_):
    """The raw matcher of one term in one segment (no scorer), or None when the segment does
    not hold it (or holds nothing at all)."""
    terms = getattr(reader, "_terms", None)
    if terms is None:  # an empty index's reader has no term table
        return None
    try:
        return terms.matcher(fieldname, tbytes, format_, scorer=None)
    except TermNotFound:
        return None


def read_postings(matcher, values: list | None) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers and weights (and, if `values` is a list, its encoded values
    appended to it): block by block with the stored differences summed in C when the
    postings are in blocks, else one posting at a time through the public interface."""
    if not isinstance(matcher, W3LeafMatcher):  # inlined postings
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values is not None:
                values.append(matcher.value())
            matcher.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32)
    ids = array("I")
    weights = array("f")
    while not matcher._atend:
        matcher._read_data()
        deltas, block_weights, block_values = matcher._data
        ids.extend(accumulate(deltas))
        count = matcher._blocklength
        if block_weights is None:
            weights.extend((1.0,) * count)
        elif isinstance(block_weights, float):
            weights.extend((block_weights,) * count)
        else:
            weights.extend(block_weights)
        if values is not None:
            if block_values is None:
                values.extend((None,) * count)
            elif isinstance(block_values, bytes):
                size = len(block_values) // count
                values.extend(block_values[i : i + size] for i in range(0, len(block_values), size))
            else:
                values.extend(block_values)
        if matcher._lastblock:
            break
        matcher._next_block()
    return (
        np.frombuffer(ids, dtype=np.uint32).astype(np.int64),
        np.frombuffer(weights, dtype=np.float32).copy(),
    )


def length_bytes(reader: IndexReader, fieldname: str) -> bytes:
    """One segment's stored length byte of `fieldname` per document (shorter when the last
    documents lack the field; empty when none has it)."""
    column = reader._perdoc._cached_reader(whoosh3._lenfield(fieldname), LENGTHS_COLUMN)
    if column is None or not column._count:
        return b""
    return column._dbfile.get(column._basepos, column._count)


def reference_bytes(column, count: int) -> tuple[list[bytes], bytes] | None:
    """A reference column's distinct values and its one byte per document pointing into
    them, or None when the column is not stored that way (256 values or more)."""
    uniques = getattr(column, "_uniques", None)
    if uniques is None or getattr(column, "_typecode", None) != "B":
        return None
    return list(uniques), column._dbfile.get(column._basepos, count)


def encode_positions(where: list[int]) -> bytes:
    """formats.Positions' encoding of a position list: the count, then the differences
    pickled."""
    return pack_uint(len(where)) + dumps(list(map(operator.sub, where, [0, *where[:-1]])), 2)


def decode_positions(value: bytes) -> tuple[int, ...]:
    """The positions `encode_positions` (or Whoosh's own writer) encoded."""
    pickled = value[_INT_SIZE:]
    if not pickled.endswith(b"."):
        pickled += b"."
    # The index's own postings, which Whoosh unpickles the same way.
    return tuple(accumulate(loads(pickled)))  # noqa: S301


# --- writing --------------------------------------------------------------------------------


class SegmentNamedBySystem(W3Segment):
    """A Whoosh segment named from the operating system's randomness.

    Whoosh names a new segment from Python's global random generator, which other code may
    seed (Hypothesis does, for every example it runs): two segments of one index then get
    the same name and the second overwrites the files of the first. The operating system's
    randomness cannot be seeded. (Pickled in the index's table of contents by its module
    and name; schema.py keeps the name it had there for indexes written before.)
    """

    @classmethod
    def _random_id(cls, size: int = 16) -> str:
        return "".join(secrets.choice(IDCHARS) for _ in range(size))


class SizedWriter(SegmentWriter):
    """Whoosh's writer, recording in the table of contents the size of every file of each
    new segment, so that a reader can tell a truncated or missing file (`file_damage`)
    without reading it. Whoosh never changes a segment's files once it is listed (deletions
    are kept in the table of contents), so the sizes stay true for the segment's life."""

    def _commit_toc(self, segments):
        for segment in segments:
            if getattr(segment, "file_sizes", None) is None:
                prefix = f"{segment.segment_id()}."
                segment.file_sizes = {
                    name: self.storage.file_length(name)
                    for name in self.storage.list()
                    if name.startswith(prefix)
                }
        super()._commit_toc(segments)


def writer(index, **options) -> SizedWriter:
    """A writer of `index` (what index.writer(**options) gives) that records file sizes."""
    return SizedWriter(index, **options)


def file_damage(index) -> str | None:
    """What is wrong with the files of the index's segments (one missing, or not the size it
    was written with), or None. Segments written before sizes were recorded go unchecked.

    A commit that replaced the table of contents meanwhile, deleting the files of the
    segments it merged away, is not damage: the newest table is checked then."""
    problem = None
    for _attempt in range(5):
        try:
            toc = index._read_toc()
        except FileNotFoundError:  # replaced by a commit as it was being read
            continue
        problem = _segment_damage(index.storage, toc.segments)
        if problem is None or index.latest_generation() == toc.generation:
            return problem
    return problem


def _segment_damage(storage, segments) -> str | None:
    for segment in segments:
        for name, size in (getattr(segment, "file_sizes", None) or {}).items():
            if not storage.file_exists(name):
                return f"{name} is missing"
            found = storage.file_length(name)
            if found != size:
                return f"{name} has {found} bytes instead of {size}"
    return None


class SegmentBuilder(SizedWriter):
    """Writes one new segment from postings made elsewhere (bulk.py), without Whoosh's
    external sort; the caller holds the index lock and lists the finished segments."""

    def __init__(self, index, **writer) -> None:
        super().__init__(index, _lk=False, **writer)
        self._columns: dict[str, object] = {}

    def start_document(self) -> tuple[int, dict]:
        """Begin the next document: its number and the dict its stored fields go in."""
        perdoc = self.perdocwriter
        perdoc.start_doc(self.docnum)
        return self.docnum, perdoc._storedfields

    def add_length(self, fieldname: str, length: int, length_byte: int) -> None:
        """Record the current document's length of `fieldname` (and its stored byte)."""
        self.column(whoosh3._lenfield(fieldname), LENGTHS_COLUMN).add(self.docnum, length_byte)
        self.perdocwriter._fieldlengths[fieldname] += length

    def column(self, name: str, column_type):
        """The segment's writer of a column (Whoosh's add_column_value without the look-up
        on every call)."""
        found = self._columns.get(name)
        if found is None:
            perdoc = self.perdocwriter
            if not perdoc._has_column(name):
                perdoc._create_column(name, column_type)
            found = self._columns[name] = perdoc._get_column(name)
        return found

    def finish_document(self) -> None:
        self.perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def terms(self):
        """(field name, [(term bytes, postings)] in byte order) of every field with postings,
        in name order; postings have `numbers` (document, weight, length, value size, …)
        and `values` (the encoded values one after another)."""
        return iter(())

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        for fieldname, terms in self.terms():
            writer.start_field(fieldname, self.schema[fieldname])
            for tbytes, postings in terms:
                writer.start_term(tbytes)
                _write_blocks(writer._postwriter, postings.numbers, postings.values)
                writer.finish_term()
            writer.finish_field()
        writer.close()

    def finish(self) -> Segment:
        """Write the segment out and close it (its files stay for the table of contents)."""
        # Not _finish(): that deletes the temporary folder other shards' writers share; the
        # writer that commits the table of contents deletes it at the end.
        return self._finalize_segment()

    def abandon(self) -> None:
        """Close the segment's files without listing it."""
        self._close_segment()


def commit_segments(index, segments: list[Segment]) -> None:
    """Make `segments` (written by SegmentBuilders) the index's whole content."""
    writer = SizedWriter(index)
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def _write_blocks(postwriter, numbers: array, values: bytes | bytearray) -> None:
    """Hand postings to Whoosh's postings writer a block at a time: the same blocks and
    block statistics as `add_posting` once per posting, with C-level array operations."""
    values = bytes(values)
    ids, weights, lengths, sizes = (numbers[i::4] for i in range(4))
    # Every posting's value cut out at once (empty values are not stored).
    ends = list(accumulate(sizes))
    pieces = list(map(values.__getitem__, map(slice, [0, *ends[:-1]], ends)))
    every = 0 not in sizes
    if not every:
        pieces = [piece for piece in pieces if piece]
    limit = postwriter._blocklimit
    at = 0
    for start in range(0, len(ids), limit):
        if len(postwriter._ids) >= limit:
            postwriter._write_block()
        end = start + limit
        postwriter._ids.extend(ids[start:end])
        block_weights = array("f", weights[start:end])
        postwriter._weights.extend(block_weights)
        postwriter._maxweight = max(postwriter._maxweight, max(block_weights))
        if every:
            postwriter._values.extend(pieces[start:end])
        else:
            count = sum(1 for size in sizes[start:end] if size)
            postwriter._values.extend(pieces[at : at + count])
            at += count
        block_lengths = lengths[start:end]
        longest = max(block_lengths)
        if longest:
            shortest = (
                min(block_lengths)
                if 0 not in block_lengths
                else min(length for length in block_lengths if length)
            )
            if postwriter._minlength is None or shortest < postwriter._minlength:
                postwriter._minlength = shortest
            postwriter._maxlength = max(postwriter._maxlength, longest)


# --- matching -------------------------------------------------------------------------------


class FixedAndNotMatcher(AndNotMatcher):
    """Whoosh's AndNot matcher, which, when the top-hits collector asks it to skip ahead
    (skip_to_quality), may run its required side off the end and then ask it for its
    current document (IndexError deep in a search); this one stops there."""

    def _find_next(self):
        if not self.a.is_active():
            return False
        return super()._find_next()


def _delta_encode(numbers):
    numbers = list(numbers)
    return map(operator.sub, numbers, [0, *numbers[:-1]])


def _use_c_level_deltas() -> None:
    """Make Whoosh's block codec sum and take differences in C: it turns each block's stored
    differences back with a Python generator, one step per posting, on every block its own
    matchers read, which was the largest single cost of searching a large index. The same
    numbers come out, so nothing else that uses Whoosh in the process can tell."""
    whoosh3.delta_decode = itertools.accumulate
    whoosh3.delta_encode = _delta_encode


# --- the check ------------------------------------------------------------------------------


class _Postings:
    __slots__ = ("numbers", "values")

    def __init__(self, positions: dict[int, list[int]], length: int) -> None:
        encoded = {doc: encode_positions(where) for doc, where in positions.items()}
        self.numbers = array(
            "I",
            [
                n
                for doc, where in positions.items()
                for n in (doc, len(where), length, len(encoded[doc]))
            ],
        )
        self.values = b"".join(encoded.values())


class _Probe(SegmentBuilder):
    def __init__(self, index, postings: dict) -> None:
        # Two postings a block: three documents make two blocks.
        super().__init__(index, codec=whoosh3.W3Codec(blocklimit=2), compound=False)
        self.postings = postings

    def terms(self):
        return iter([("words", sorted(self.postings.items()))])


class _MemoryStorage(RamStorage):
    """Keeps the probe's temporary files in memory too: RamStorage puts them in a folder of
    the system's temp directory named after the index ("MAIN.tmp"), which every process
    importing heritage at once would share, and one's clean-up would delete another's."""

    def temp_storage(self, name=None):
        return RamStorage()


def _check() -> None:
    """Drive every internal above on a three-document index in memory; raise if any is
    missing or answers otherwise than Whoosh's public interface."""
    if list(whoosh3.delta_decode([1, 2, 3])) != [1, 3, 6]:
        raise AssertionError("whoosh3.delta_decode")
    if list(whoosh3.delta_encode([1, 3, 6])) != [1, 2, 3]:
        raise AssertionError("whoosh3.delta_encode")
    for where in ([0], [3, 7, 120], list(range(0, 600, 5))):
        if encode_positions(where) != formats.Positions().encode(where):
            raise AssertionError("the position encoding")
        if decode_positions(formats.Positions().encode(where)) != tuple(where):
            raise AssertionError("the position decoding")
    if formats.Frequency().decode_frequency(pack_uint(3)) != 3:
        raise AssertionError("the frequency encoding")
    if not callable(getattr(W3Segment, "_random_id", None)):
        raise AssertionError("W3Segment._random_id")
    if not callable(getattr(AndNotMatcher, "_find_next", None)):
        raise AssertionError("AndNotMatcher._find_next")
    schema = fields.Schema(
        words=fields.TEXT(phrase=True), facet=fields.ID(sortable=columns.RefBytesColumn())
    )
    index = _MemoryStorage().create_index(schema)
    positions = {0: [0, 4], 1: [2], 2: [1, 3, 9]}
    builder = _Probe(index, {b"stone": _Postings(positions, 10)})
    for doc in positions:
        _number, stored = builder.start_document()
        stored["n"] = doc
        builder.add_length("words", 10, 10)
        builder.column("facet", columns.RefBytesColumn()).add(doc, b"a" if doc else b"b")
        builder.finish_document()
    commit_segments(index, [builder.finish()])
    if file_damage(index) is not None or index.latest_generation() != index._read_toc().generation:
        raise AssertionError("reading the table of contents")
    with index.searcher() as searcher:
        public = sorted(searcher.search(wq.Term("words", "stone"), limit=None).docs())
        reader = searcher.reader()
        fmt = schema["words"].format
        values: list = []
        ids, weights = read_postings(term_matcher(reader, "words", b"stone", fmt), values)
        if ids.tolist() != public or public != [0, 1, 2]:
            raise AssertionError("reading posting blocks")
        if weights.tolist() != [2.0, 1.0, 3.0]:
            raise AssertionError("reading posting weights")
        if list(map(decode_positions, values)) != [tuple(at) for at in positions.values()]:
            raise AssertionError("reading posting values")
        if term_matcher(reader, "words", b"absent", fmt) is not None:
            raise AssertionError("a term not in the index")
        if len(length_bytes(reader, "words")) != len(positions):
            raise AssertionError("the length column")
        found = reference_bytes(reader.column_reader("facet", translate=False), len(positions))
        if found is None or [found[0][ref] for ref in found[1]] != [b"b", b"a", b"a"]:
            raise AssertionError("a reference column")
        if file_damage(index) is not None:
            raise AssertionError("the recorded file sizes")
        name = next(iter(index._segments()[0].file_sizes))
        index.storage.files[name] = index.storage.files[name][:-1]
        if file_damage(index) is None:
            raise AssertionError("a truncated file")
    index.close()


def _verify() -> None:
    try:
        installed = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        installed = "none"
    if not LOWEST <= _version(installed) < BEYOND:
        raise WhooshMismatch(_mismatch(f"{DISTRIBUTION} {installed} is installed"))
    try:
        _check()
    except Exception as error:  # whatever the probe hits, the internals are not as known
        problem = (
            f"{DISTRIBUTION} {installed} differs: {type(error).__name__}: {str(error).rstrip('.')}"
        )
        raise WhooshMismatch(_mismatch(problem)) from error


def _mismatch(problem: str) -> str:
    return (
        f"heritage's search reads Whoosh internals known only in {DISTRIBUTION}{SUPPORTED} "
        f"(the range setup.cfg requires), and {problem}. Install a version in that range, "
        "or adapt heritage/search/internals.py and test it."
    )


_verify()
_use_c_level_deltas()
