"""The Whoosh backend: the index on disk, its one writer at a time, searchers, rebuilds.

Layout of the index folder::

    CURRENT          the name of the generation in use, replaced atomically
    g-<time>-<pid>/  one Whoosh index per generation; a rebuild writes a new one
    REBUILD_NEEDED   present while the generation in use is known to be incomplete
    rebuild.lock     held by the one process rebuilding
    rebuild.journal  what writers indexed into the old generation during a rebuild

A rebuild fills a fresh generation from a snapshot of the database while searches and
writes go on against the old one; writers journal what they index meanwhile. Holding the
old generation's writer lock, the rebuild then re-reads the journalled records into the
new generation and points CURRENT at it. Writers re-read CURRENT once they hold a lock, so
none writes to a generation that has just been retired.
"""

from __future__ import annotations

import fcntl
import gc
import logging
import os
import pickle
import re
import shutil
import struct
import threading
import time
import traceback
import warnings
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet
from whoosh.support.levenshtein import damerau_levenshtein

from heritage.search import (
    Document,
    Hit,
    IndexBusy,
    IndexDamaged,
    SearchRequest,
    SearchResult,
    bulk,
    internals,
    vector,
)
from heritage.search.bulk import ShardDocuments
from heritage.search.compiler import compile_query
from heritage.search.facets import FacetCodes, count
from heritage.search.matching import Documents, has_phrase, relaxed
from heritage.search.query import Node, query_words
from heritage.search.schema import WRITER, build_schema, whoosh_fields
from heritage.search.stemming import is_stop_word, stems
from heritage.search.translit import fold, keys, lower

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
REBUILD_NEEDED = "REBUILD_NEEDED"
REBUILD_LOCK = "rebuild.lock"
JOURNAL = "rebuild.journal"
_GENERATION = re.compile(r"^g-[0-9TZ]+-\d+$")
# Searchers kept open per process for the next searches.
MAX_IDLE_SEARCHERS = 4
# How long a rebuild waits for the old generation's writer before swapping.
SWAP_LOCK_WAIT = 120.0
# With a phrase, this many of the best candidates are checked for it first.
PHRASE_CANDIDATES = 200
# "Did you mean" corrects a query with at most this many unknown words: past that no
# correction is likely to find anything, and each costs a walk over the name words.
SUGGEST_WORDS = 3
# The share of a search's time left that expanding prefixes and typos may take.
EXPANSION_SHARE = 0.5
# What Whoosh raises when it decodes a file that is not as it wrote it (a reader's other
# errors may be bugs, which a rebuild would not mend).
DECODING_ERRORS = (struct.error, EOFError, zlib.error, pickle.UnpicklingError)


class WhooshBackend:
    """A SearchBackend on a Whoosh index in a folder."""

    def __init__(self, directory: str, *, build_processes: int = 1) -> None:
        self.root = Path(directory)
        self.build_processes = build_processes
        self.checked = False
        self._pool = _Pool()
        # Searchers hold the index's files open: close them when the backend goes away.
        weakref.finalize(self, self._pool.close)
        self._codes = FacetCodes()
        self._hidden_cache: tuple[tuple, set[int]] | None = None
        self._excluded_cache: tuple[set[int], np.ndarray] | None = None
        # Posting arrays read by searches, kept for the next ones.
        self._postings = vector.PostingCache()
        self._segments_seen: set[str] = set()

    # --- the folder -------------------------------------------------------------------

    def _current_name(self) -> str | None:
        try:
            name = (self.root / CURRENT).read_text().strip()
        except FileNotFoundError:
            return None
        return name if _GENERATION.match(name) else None

    def _set_current(self, name: str) -> None:
        """Point CURRENT at a generation: write a temporary file, sync it, rename it."""
        temporary = self.root / f".{CURRENT}.{os.getpid()}.{threading.get_ident()}"
        with open(temporary, "w") as handle:
            handle.write(name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.root / CURRENT)
        directory = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _new_generation(self) -> tuple[str, whoosh_index.Index]:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ").replace(".", "")
        name = f"g-{stamp}-{os.getpid()}"
        path = self.root / name
        path.mkdir(parents=True)
        return name, whoosh_index.create_in(str(path), build_schema())

    def _open(self, name: str) -> whoosh_index.Index:
        return whoosh_index.open_dir(str(self.root / name))

    def _open_damaged(self, name: str) -> whoosh_index.Index:
        """Open a generation that may be damaged; Whoosh leaves files open when it fails,
        so they are closed here, quietly, before the error goes on."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                return self._open(name)
            except Exception as error:
                reason = repr(error)
            gc.collect()
        raise IndexDamaged(f"the search index {name} cannot be opened: {reason}", name)

    def _current_or_new(self) -> str:
        """The generation in use; an empty one (marked for rebuilding) if there is none."""
        name = self._current_name()
        if name is not None:
            return name
        self.root.mkdir(parents=True, exist_ok=True)
        with self._file_lock(REBUILD_LOCK, wait=True):
            name = self._current_name()
            if name is None:
                # The archive may hold records already: only a rebuild makes this complete.
                (self.root / REBUILD_NEEDED).touch()
                name, created = self._new_generation()
                created.close()
                self._set_current(name)
                # The index went missing while this process ran (someone deleted it): the
                # next ensure_index() looks again, and rebuilds.
                self.checked = False
        return name

    @contextmanager
    def _file_lock(self, filename: str, *, wait: bool) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / filename, "a") as handle:
            flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
            try:
                fcntl.flock(handle, flags)
            except BlockingIOError:
                raise IndexBusy("another process is rebuilding the search index") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def is_healthy(self) -> bool:
        """Whether the index in use is complete and readable with the current schema."""
        name = self._current_name()
        if name is None or (self.root / REBUILD_NEEDED).exists():
            return False
        problem = self.damage(name)
        if problem is not None:
            log.warning("the search index at %s cannot be read: %s", self.root / name, problem)
            return False
        return True

    def damage(self, name: str) -> str | None:
        """What makes generation `name` unreadable, or None: it does not open, its fields
        are not the current schema's, a file is missing or not the size it was written
        with, or it cannot be searched."""
        try:
            index = self._open_damaged(name)
        except IndexDamaged as error:
            return str(error)
        try:
            if set(index.schema.names()) != set(build_schema().names()):
                return "its fields are not those of this version"
            problem = internals.file_damage(index)
            if problem is not None:
                return problem
            with index.searcher() as searcher:
                searcher.doc_count_all()
        except Exception as error:
            return repr(error)
        finally:
            index.close()
        return None

    def mark_damaged(self, generation: str | None) -> bool:
        """Note that `generation` must be rebuilt, if it is still the one in use (a rebuild
        may have replaced it since it was read); returns whether it is. Every process's
        searches then say so (`rebuilding`), and a process starting meanwhile rebuilds it
        (`is_healthy`)."""
        if generation is not None and generation != self._current_name():
            return False
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / REBUILD_NEEDED).touch()
        return True

    def _damaged(self, name: str, error: BaseException) -> IndexDamaged | None:
        """What `error`, met reading or writing generation `name`, means: IndexDamaged when
        the generation proves damaged or a file of it could not be decoded, else None (the
        error is to go on as it is). The searchers kept are closed first: they may hold
        what was read before. Whoosh's readers leave open the files they opened before
        failing: those are closed here, quietly, by clearing the failure's frames."""
        if isinstance(error, IndexDamaged):
            return error
        if not isinstance(error, Exception):
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            self._pool.close()
            problem = self.damage(name)
            if problem is None and isinstance(error, DECODING_ERRORS):
                problem = f"a file could not be decoded: {error!r}"
            if problem is None:
                return None
            traceback.clear_frames(error.__traceback__)
            gc.collect()
        return IndexDamaged(f"the search index {name} is damaged: {problem}", name)

    def rebuilding(self) -> bool:
        """Whether the index in use is known to be incomplete (a rebuild is due or running)."""
        return (self.root / REBUILD_NEEDED).exists()

    # --- writing ----------------------------------------------------------------------

    def update(self, documents: Callable[[], Iterable[Document]], *, wait: float) -> int:
        """Add or replace the entries `documents()` gives, called once the writer lock is
        held (so they are read after any other writer's), waiting up to `wait` seconds for
        the lock; returns how many were written."""
        deadline = time.monotonic() + wait
        while True:
            name = self._current_or_new()
            index = self._open(name)
            try:
                remaining = max(0.0, deadline - time.monotonic())
                try:
                    writer = internals.writer(index, timeout=remaining, delay=0.02, **WRITER)
                except LockError:
                    raise IndexBusy(
                        "the search index is being written by another process"
                    ) from None
                if self._current_name() != name:
                    # A rebuild swapped generations while we waited: write to the new one.
                    writer.cancel()
                    continue
                try:
                    written = _latest(documents())
                except BaseException:
                    writer.cancel()
                    raise
                try:
                    for document in written:
                        writer.update_document(**whoosh_fields(document))
                    self._note_for_rebuild(document.uid for document in written)
                    writer.commit()
                except BaseException as error:
                    writer.cancel()
                    damaged = self._damaged(name, error)
                    if damaged is None:
                        raise
                    raise damaged from error
                return len(written)
            finally:
                index.close()

    def rebuild(
        self,
        documents: ShardDocuments,
        *,
        refresh: Callable[[set[str]], Iterable[Document]],
        progress: Callable[[int], None] | None = None,
        processes: int | None = None,
    ) -> int:
        """Fill a fresh generation, catch up, swap it in; returns the entries written.

        `documents(shard, shards)` yields one shard of the archive; each of `processes`
        build processes writes one shard. Writers note in a journal what they index
        meanwhile; `refresh(uids)` gives those entries anew for the new generation.
        """
        processes = self.build_processes if processes is None else processes
        with self._file_lock(REBUILD_LOCK, wait=False):
            self._start_journal()
            name, index = self._new_generation()
            index.close()
            try:
                added = bulk.build(
                    str(self.root / name), documents, processes=processes, progress=progress
                )
                index = self._open(name)
                try:
                    self._swap(name, index, refresh)
                finally:
                    index.close()
            except BaseException:
                shutil.rmtree(self.root / name, ignore_errors=True)
                raise
            finally:
                (self.root / JOURNAL).unlink(missing_ok=True)
        return added

    def _start_journal(self) -> None:
        """Start an empty journal, under the writer lock so no write in progress misses it."""
        old_name = self._current_name()
        try:
            old_index = self._open_damaged(old_name) if old_name else None
        except IndexDamaged:
            old_index = None
        writer = None
        try:
            if old_index is not None:
                try:
                    writer = old_index.writer(timeout=SWAP_LOCK_WAIT, delay=0.05)
                except LockError:
                    raise IndexBusy("the search index stayed busy; no rebuild started") from None
            (self.root / JOURNAL).write_text("")
        finally:
            if writer is not None:
                writer.cancel()
            if old_index is not None:
                old_index.close()

    def _note_for_rebuild(self, uids: Iterable[str]) -> None:
        """While a rebuild runs, journal the entries written to the old generation."""
        journal = self.root / JOURNAL
        if not journal.exists():
            return
        if not self._rebuild_running():
            journal.unlink(missing_ok=True)  # left by a rebuild that died
            return
        with open(journal, "a") as handle:
            handle.writelines(f"{uid}\n" for uid in uids)

    def _rebuild_running(self) -> bool:
        try:
            with self._file_lock(REBUILD_LOCK, wait=False):
                return False
        except IndexBusy:
            return True

    def _swap(
        self,
        name: str,
        index: whoosh_index.Index,
        refresh: Callable[[set[str]], Iterable[Document]],
    ) -> None:
        """Re-read what was written during the build, then make `name` the one in use; all
        under the old generation's writer lock, so no write falls in between."""
        old_name = self._current_name()
        old_index = old_writer = None
        if old_name is not None:
            try:
                old_index = self._open_damaged(old_name)
                old_writer = old_index.writer(timeout=SWAP_LOCK_WAIT, delay=0.05)
            except LockError:
                raise IndexBusy(
                    "the search index stayed busy; the rebuild was not swapped in"
                ) from None
            except IndexDamaged:
                log.warning("the old search index %s is unreadable; replacing it", old_name)
        try:
            uids = set((self.root / JOURNAL).read_text().split())
            writer = internals.writer(index, **WRITER)
            try:
                for document in _latest(refresh(uids) if uids else ()):
                    writer.update_document(**whoosh_fields(document))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            self._set_current(name)
            (self.root / REBUILD_NEEDED).unlink(missing_ok=True)
        finally:
            if old_writer is not None:
                old_writer.cancel()
            if old_index is not None:
                old_index.close()
        self._remove_old_generations(keep={name, old_name})

    def _remove_old_generations(self, keep: set[str | None]) -> None:
        """Delete generations older than the previous one (searchers may still read that)."""
        for path in self.root.iterdir():
            if path.is_dir() and _GENERATION.match(path.name) and path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    # --- searching --------------------------------------------------------------------

    @contextmanager
    def _searcher(self) -> Iterator[Searcher]:
        """A searcher on the current generation, reused across searches and refreshed.

        A failure reading the index (opening it or searching it) comes out as IndexDamaged
        when the index proves damaged (see `_damaged`)."""
        name = self._current_or_new()
        pool = self._pool
        searcher = None
        try:
            with pool.lock:
                if name != pool.name:
                    pool.close_all()
                    pool.index = self._open(name)
                    pool.name = name
                index = pool.index
                searcher = pool.idle.pop() if pool.idle else None
            if searcher is not None and not searcher.up_to_date():
                # Not Searcher.refresh(): whoosh-reloaded 2.7.5 reuses the readers of segments
                # whose deletions changed (and of merged-away ones), so replaced records would
                # show twice. A searcher opened afresh reads the current table of contents.
                searcher.close()
                searcher = None
            if searcher is None:
                # A few stat calls, once per new set of segments: a truncated file is caught
                # here rather than read as whatever is left of it.
                problem = internals.file_damage(index)
                if problem is not None:
                    raise IndexDamaged(f"the search index {name} is damaged: {problem}", name)
                searcher = index.searcher()
            yield searcher
        except BaseException as error:
            self._forget(searcher)
            damaged = self._damaged(name, error)
            if damaged is None:
                raise
            raise damaged from error
        else:
            with pool.lock:
                if pool.name == name and len(pool.idle) < MAX_IDLE_SEARCHERS:
                    pool.idle.append(searcher)
                else:
                    searcher.close()

    def _forget(self, searcher: Searcher | None) -> None:
        """Close a searcher that met a failure, and those kept: none is to be reused."""
        if searcher is not None:
            searcher.close()
        self._pool.close()

    def _scoped(self, query: wq.Query, request: SearchRequest) -> wq.Query:
        """The query restricted to what the caller may see and the facets chosen."""
        filters = [
            wq.Or([wq.Term(facet, code) for code in sorted(codes)])
            for facet, codes in sorted(request.filters.items())
            if codes
        ]
        if isinstance(query, wq.Every) and filters:
            query = wq.And(filters) if len(filters) > 1 else filters[0]
            query = wq.ConstantScoreQuery(query, 1.0)
        elif filters:
            query = wq.And([query, *(wq.ConstantScoreQuery(f, 0.0) for f in filters)])
        return query

    def _hidden(self, searcher: Searcher, public_only: bool) -> set[int]:
        """The documents a public search must leave out (the few unpublished ones), kept
        per set of segments: checking a set is cheaper than a NOT in every search."""
        if not public_only:
            return set()
        segments = [leaf.segment() for leaf, _offset in searcher.reader().leaf_readers()]
        # (An empty index has one leaf without a segment.)
        key = tuple((seg.segment_id(), seg.deleted_count()) for seg in segments if seg is not None)
        cached = self._hidden_cache
        if cached is None or cached[0] != key:
            # A set, not a frozenset: Whoosh's collectors accept only that (it is never
            # changed after this).
            deadline = time.monotonic() + 60
            unpublished = vector.evaluate(
                searcher, wq.Term("public", "0"), self._postings, deadline, scored=False
            )
            hidden = set(unpublished.docs.tolist())
            self._hidden_cache = cached = (key, hidden)
        return cached[1]

    def _forget_old_segments(self, searcher: Searcher) -> None:
        """Drop the cached postings of segments merged away since the last search."""
        segments = [leaf.segment() for leaf, _offset in searcher.reader().leaf_readers()]
        alive = {segment.segment_id() for segment in segments if segment is not None}
        if alive != self._segments_seen:
            self._postings.forget_segments(alive)
            self._segments_seen = alive

    def _excluded(self, searcher: Searcher, request: SearchRequest):
        """The documents a public search leaves out, as a boolean array over the index's
        document numbers (None when nothing is left out)."""
        if not request.public_only:
            return None
        hidden = self._hidden(searcher, request.public_only)
        cached = self._excluded_cache
        if cached is None or cached[0] is not hidden:
            excluded = np.zeros(searcher.doc_count_all(), dtype=bool)
            if hidden:
                excluded[np.fromiter(hidden, dtype=np.int64, count=len(hidden))] = True
            self._excluded_cache = cached = (hidden, excluded)
        return cached[1]

    @staticmethod
    def _order(request: SearchRequest) -> FieldFacet | None:
        if request.sort == "name":
            return FieldFacet(f"sort_name_{request.language}")
        if request.sort == "date":
            return FieldFacet("date_up")
        if request.sort == "-date":
            return FieldFacet("date_down")
        if request.sort == "recent":
            return FieldFacet("published_down")
        return None

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits, with the exact total and facet counts when asked for.

        Every match is found and scored at once (vector.py): the count, the facet counts and
        the best hits all come from that one pass. Orders other than relevance take their
        page from Whoosh's sorting collector over the same query.
        """
        deadline = request.deadline
        with self._searcher() as searcher:
            self._forget_old_segments(searcher)
            compiled = compile_query(request.query, searcher.reader(), _expansion_end(deadline))
            query = self._scoped(compiled.query, request)
            excluded = self._excluded(searcher, request)
            order = self._order(request)
            wanted = request.offset + request.limit
            timed_out = False
            facets: dict[str, dict[str, int]] = {}
            try:
                matches = vector.evaluate(
                    searcher, query, self._postings, deadline, excluded, scored=order is None
                )
            except vector.OutOfTime:
                matches = None
            if matches is None:
                hits, total, timed_out, exact = [], 0, True, False
            else:
                # Every match was found: the total is exact unless a very common phrase was
                # counted by its words alone.
                total = len(matches)
                exact = matches.exact
                if order is None:
                    hits, timed_out = self._best(searcher, query, matches, request, deadline)
                else:
                    hidden = self._hidden(searcher, request.public_only)
                    results, timed_out = self._top(
                        searcher, query, request, hidden, wanted, deadline
                    )
                    hits = [
                        _hit(results, i)
                        for i in range(request.offset, min(wanted, results.scored_length()))
                    ]
                if request.count and request.facets:
                    arrays = self._codes.arrays(searcher.reader())
                    facets = count(self._codes, arrays, matches.docs, request.facets)
                exact = exact and not timed_out
        return SearchResult(
            hits=hits,
            total=total,
            exact=exact,
            facets=facets,
            terms=compiled.terms,
            timed_out=timed_out,
            truncated=compiled.truncated,
        )

    def _best(
        self,
        searcher: Searcher,
        query: wq.Query,
        matches: vector.Matches,
        request: SearchRequest,
        deadline: float,
    ) -> tuple[list[Hit], bool]:
        """The page of best hits by score. When a common phrase was counted by its words
        alone, candidates are checked by position, best first, until the page is full."""
        wanted = request.offset + request.limit
        if matches.exact:
            best = matches.top(request.offset, request.limit)
        else:
            best, start = [], 0
            try:
                while len(best) < wanted and start < len(matches):
                    step = max(vector.PHRASE_ROUND, wanted * 5)
                    batch = matches.top(start, step)
                    start += step
                    held = vector.check_phrases(
                        searcher, query, self._postings, deadline, [d for d, _ in batch]
                    )
                    best += [(d, score) for d, score in batch if d in held]
            except vector.OutOfTime:
                return self._stored(searcher, best[request.offset : wanted]), True
            best = best[request.offset : wanted]
        return self._stored(searcher, best), False

    @staticmethod
    def _stored(searcher: Searcher, best: list[tuple[int, float]]) -> list[Hit]:
        hits = []
        for docnum, score in best:
            stored = searcher.stored_fields(docnum)
            hits.append(Hit(stored["kind"], stored["entity_id"], stored["site_id"], score))
        return hits

    def _top(
        self,
        searcher: Searcher,
        query: wq.Query,
        request: SearchRequest,
        hidden: set[int],
        wanted: int,
        deadline: float,
    ):
        """The best `wanted` hits and whether time ran out. With a phrase, the best
        candidates are found without positions first and only those checked; all of them
        are checked only if too few of the candidates hold the phrase."""
        order = self._order(request)
        if has_phrase(query):
            limit = max(PHRASE_CANDIDATES, wanted * 5)
            first, timed_out = _collect(searcher, relaxed(query), limit, order, hidden, deadline)
            found = [first.docnum(i) for i in range(first.scored_length())]
            if timed_out or not found:
                return first, timed_out
            only = wq.ConstantScoreQuery(Documents.of(searcher, found), 0.0)
            checked, timed_out = _collect(
                searcher, wq.And([query, only]), wanted, order, hidden, deadline
            )
            if timed_out or checked.scored_length() >= wanted or len(found) < limit:
                return checked, timed_out
        return _collect(searcher, query, wanted, order, hidden, deadline)

    def iter_hits(self, request: SearchRequest, limit: int) -> Iterator[Hit]:
        """Every hit in order, up to `limit` (for exports)."""
        deadline = request.deadline
        with self._searcher() as searcher:
            compiled = compile_query(request.query, searcher.reader(), _expansion_end(deadline))
            query = self._scoped(compiled.query, request)
            hidden = self._hidden(searcher, request.public_only)
            collector = searcher.collector(limit=limit, sortedby=self._order(request))
            limited = _TimeLimited(collector, max(0.05, deadline - time.monotonic()), hidden)
            try:
                searcher.search_with_collector(query, limited)
            except TimeLimit:
                log.warning("export search ran out of time; the export is partial")
            results = limited.results()
            found = [_hit(results, i) for i in range(results.scored_length())]
        yield from found

    def suggest(self, node: Node, *, public_only: bool, deadline: float) -> str | None:
        """The query's words with those the scope's entries do not hold replaced by the
        closest name word of those entries, or None when there is nothing to correct (or
        too much: more than SUGGEST_WORDS unknown words, or no time left).

        Public suggestions look only at words with an entry the public may see, so a
        draft's name is never offered as "did you mean".
        """
        corrected, unknown = [], 0
        with self._searcher() as searcher:
            reader = searcher.reader()
            hidden = self._hidden(searcher, public_only)
            for word in query_words(node):
                if time.monotonic() > deadline:
                    return None
                if is_stop_word(word) or len(word) < 3 or _known(reader, word, hidden):
                    corrected.append(word)
                    continue
                unknown += 1
                if unknown > SUGGEST_WORDS:
                    return None
                corrected.append(_closest(reader, lower(word), hidden, deadline) or word)
        return " ".join(corrected) if unknown else None

    def stats(self) -> dict[str, int]:
        """Entries and bytes on disk of the generation in use."""
        name = self._current_or_new()
        with self._searcher() as searcher:
            entries = searcher.doc_count()
        size = sum(p.stat().st_size for p in (self.root / name).iterdir() if p.is_file())
        return {"entries": entries, "bytes": size}

    def close(self) -> None:
        """Close the searchers kept for reuse."""
        self._pool.close()


class _Pool:
    """The searchers of one generation, kept open for the next searches."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.name: str | None = None
        self.index: whoosh_index.Index | None = None
        self.idle: list[Searcher] = []

    def close_all(self) -> None:
        for searcher in self.idle:
            searcher.close()
        self.idle = []
        if self.index is not None:
            self.index.close()
        self.index = self.name = None

    def close(self) -> None:
        with self.lock:
            self.close_all()


class _TimeLimited(TimeLimitCollector):
    """Whoosh's time limit, leaving out the `hidden` documents. (Whoosh's own mask is a
    FilterCollector, which a TimeLimitCollector around it bypasses: it walks the inner
    collector's matches itself.)"""

    def __init__(self, child, timelimit: float, hidden: set[int]) -> None:
        super().__init__(child, timelimit, use_alarm=False)
        self.hidden = hidden

    def collect_matches(self) -> None:
        child, hidden, offset = self.child, self.hidden, self.offset
        for sub_docnum in child.matches():
            if self.timedout:
                raise TimeLimit
            if hidden and offset + sub_docnum in hidden:
                continue
            child.collect(sub_docnum)
        if self.timedout:
            raise TimeLimit


def _collect(searcher: Searcher, query: wq.Query, limit: int, order, hidden, deadline):
    """Whoosh's top `limit` hits of `query`, within the time left; (results, timed out)."""
    collector = searcher.collector(limit=limit, sortedby=order)
    limited = _TimeLimited(collector, max(0.05, deadline - time.monotonic()), hidden)
    try:
        searcher.search_with_collector(query, limited)
    except TimeLimit:
        return limited.results(), True
    return limited.results(), False


def _latest(documents: Iterable[Document]) -> list[Document]:
    """One entry per record, the last given: Whoosh replaces only what is already committed,
    so the same record twice in one writer would be indexed twice."""
    return list({document.uid: document for document in documents}.values())


def _hit(results, i: int) -> Hit:
    stored = results.fields(i)
    return Hit(stored["kind"], stored["entity_id"], stored["site_id"], results.score(i) or 0.0)


def _known(reader, word: str, hidden: set[int]) -> bool:
    """Whether an entry not `hidden` holds the word in any of its forms."""
    forms = [("name", fold(word)), *(("text", stem) for stem in stems(word))]
    forms += [(field, key) for key in keys(word) for field in ("name_key", "key")]
    return any(_frequency(reader, field, form, hidden, at_least=1) for field, form in forms)


def _frequency(reader, fieldname: str, term: str, hidden: set[int], at_least: int = 0) -> int:
    """How many entries not `hidden` hold `term` (counting stops at `at_least` if given)."""
    frequency = reader.doc_frequency(fieldname, term)
    if not frequency or not hidden:
        return frequency
    found = 0
    # Index-wide document numbers, deleted entries left out, as `hidden` holds them.
    for docnum in reader.postings(fieldname, term).all_ids():
        if docnum not in hidden:
            found += 1
            if found == at_least:
                break
    return found


def _closest(reader, lowered: str, hidden: set[int], deadline: float) -> str | None:
    """The most frequent name word within two edits of `lowered`, as names spell it, of
    the entries not `hidden`."""
    candidates: set[str] = set()
    # Segment by segment, where Whoosh walks the terms with an automaton.
    for leaf, _offset in reader.leaf_readers():
        candidates.update(leaf.terms_within("name_exact", lowered, 2, prefix=1))
        if len(candidates) > 200 or time.monotonic() > deadline:
            break
    by_distance: dict[int, list[str]] = {}
    for term in candidates:
        by_distance.setdefault(damerau_levenshtein(fold(term), fold(lowered)), []).append(term)
    # Nearest first; a word only unpublished entries hold is no suggestion for the public.
    for distance in sorted(by_distance):
        frequencies = {
            term: _frequency(reader, "name_exact", term, hidden) for term in by_distance[distance]
        }
        visible = [term for term, frequency in frequencies.items() if frequency]
        if visible:
            return min(visible, key=lambda term: (-frequencies[term], term))
        if time.monotonic() > deadline:
            break
    return None


def _expansion_end(deadline: float) -> float:
    """When expanding prefixes and typos must stop: half the time left, so that finding
    and scoring the matches has the other half."""
    now = time.monotonic()
    return now + max(0.0, deadline - now) * EXPANSION_SHARE
