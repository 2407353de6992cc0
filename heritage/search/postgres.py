"""The PostgreSQL backend: the index is a table in the archive's own database.

Each record's terms come from the same Python analysis as the Whoosh backend's (folding,
Azerbaijani lowercasing, transliteration keys, stems) and are stored as a tsvector literal
of field-prefixed lexemes with positions (`'n:şuşa':1 't:qala':2`), never re-parsed by
PostgreSQL's own text search configurations, whose lowercasing follows the server's locale
(I/İ/ı would come out wrong). Queries are compiled from the same readings
(search/readings.py) into tsquery literals, one per word, cast as constants so that every
shape uses the GIN index.

Rows are written in the transaction of the change they index (`write`), so search is never
behind the database; `heritage reindex` rewrites them in place while search goes on.

Lexeme prefixes: x name words as written (lowercase), n folded name words (positions),
m transliteration keys of names, k keys of short texts and related names, t stems of
everything (positions).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from whoosh.support.levenshtein import damerau_levenshtein

from heritage.search import (
    Document,
    Hit,
    IndexBusy,
    SearchRequest,
    SearchResult,
    readings,
)
from heritage.search import query as q
from heritage.search.analysis import folded_positions, key_terms, lower_terms, stem_positions
from heritage.search.compiler import MAX_FUZZY_WORDS
from heritage.search.query import Node, query_words
from heritage.search.readings import BOOSTS, FUZZY_RARE, Terms
from heritage.search.schema import SORT_LANGUAGES, whoosh_fields
from heritage.search.stemming import is_stop_word
from heritage.search.translit import fold, lower

log = logging.getLogger(__name__)

# The backend's tables (created by its migration, not models).
TABLES = ("search_entries", "search_words", "search_state")
PREFIXES = {"name_exact": "x", "name": "n", "name_key": "m", "key": "k", "text": "t"}
ANALYSIS = {
    "name_exact": lower_terms,
    "name": folded_positions,
    "name_key": key_terms,
    "key": key_terms,
    "text": stem_positions,
}
# PostgreSQL keeps positions 1..16383 and 256 of them per lexeme, and a tsvector must stay
# under 1 MB: a field's text is cut here first, so no description can abort a write.
MAX_POSITION = 16383
MAX_POSITIONS = 256
MAX_FIELD_CHARS = 100_000
# Rows per statement while rebuilding.
REBUILD_BATCH = 500
# Typo tolerance and "did you mean": name words this similar (pg_trgm) are candidates,
# at most this many, then measured exactly.
SIMILARITY = 0.2
CANDIDATES = 200
FUZZY_TERMS = 6
SUGGEST_WORDS = 3
# Advisory locks: writers take REBUILD_LOCK shared for their transaction if they can; a
# rebuild holds it exclusively for its whole run (after the writers already in flight have
# committed), so writers that cannot take it know to leave outbox rows for its end. One
# rebuild at a time holds REBUILDER.
REBUILD_LOCK = 0x6865726974  # "herit"
REBUILDER = REBUILD_LOCK + 1


# --- what a record's row holds ----------------------------------------------------------


def _quote(lexeme: str) -> str:
    """A lexeme as tsvector and tsquery input quote it."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def lexeme(fieldname: str, term: str) -> str:
    return _quote(f"{PREFIXES[fieldname]}:{term}")


def tsvector(values: dict) -> tuple[str, int]:
    """The tsvector literal of a document's field values, and its number of terms."""
    parts: list[str] = []
    for fieldname, analyse in ANALYSIS.items():
        for term, found in analyse(values[fieldname][:MAX_FIELD_CHARS]).items():
            if isinstance(found, list):
                where = ",".join(str(min(p + 1, MAX_POSITION)) for p in found[:MAX_POSITIONS])
                parts.append(f"{lexeme(fieldname, term)}:{where}")
            else:
                parts.append(lexeme(fieldname, term))
    return " ".join(parts), len(parts)


def row(document: Document) -> dict:
    """The search_entries row of `document`."""
    values = whoosh_fields(document)
    terms, size = tsvector(values)
    facets = [f"{name}={value}" for name, value in document.facets.items() if value]
    return {
        "uid": document.uid,
        "kind": document.kind,
        "entity_id": document.entity_id,
        "site_id": document.site_id,
        "public": document.public,
        "facets": facets,
        "year_from": values.get("year_from"),
        "year_to": values.get("year_to"),
        "date": document.date,
        "published": document.published,
        "sort_az": values["sort_name_az"],
        "sort_en": values["sort_name_en"],
        "sort_ru": values["sort_name_ru"],
        "size": size,
        "terms": terms,
    }


def name_words(document: Document) -> set[str]:
    return set(lower_terms("\n".join(name for name in document.names if name)))


_UPSERT = text(
    """
    INSERT INTO search_entries (uid, kind, entity_id, site_id, public, facets, year_from,
        year_to, date, published, sort_az, sort_en, sort_ru, size, terms)
    VALUES (:uid, :kind, :entity_id, :site_id, :public, :facets, :year_from, :year_to, :date,
        :published, :sort_az, :sort_en, :sort_ru, :size, CAST(:terms AS tsvector))
    ON CONFLICT (uid) DO UPDATE SET kind = excluded.kind, entity_id = excluded.entity_id,
        site_id = excluded.site_id, public = excluded.public, facets = excluded.facets,
        year_from = excluded.year_from, year_to = excluded.year_to, date = excluded.date,
        published = excluded.published, sort_az = excluded.sort_az,
        sort_en = excluded.sort_en, sort_ru = excluded.sort_ru, size = excluded.size,
        terms = excluded.terms
    """
)
_ADD_WORDS = text(
    "INSERT INTO search_words (word, folded) "
    "SELECT w, f FROM unnest(CAST(:words AS text[]), CAST(:folded AS text[])) AS t(w, f) "
    "ON CONFLICT (word) DO NOTHING"
)


def _write(connection: Connection, documents: list[Document]) -> None:
    """Upsert the rows of `documents` (the last of each record given) on `connection`."""
    latest = list({document.uid: document for document in documents}.values())
    if not latest:
        return
    connection.execute(_UPSERT, [row(document) for document in latest])
    # Sorted, so two writers adding words take the rows in the same order.
    words = sorted(set().union(*(name_words(document) for document in latest)))
    if words:
        connection.execute(_ADD_WORDS, {"words": words, "folded": [fold(w) for w in words]})


# --- queries ----------------------------------------------------------------------------


class _Sql:
    """Bound parameters of one statement being built."""

    def __init__(self) -> None:
        self.params: dict[str, object] = {}

    def bind(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def matches(self, tsquery: str) -> str:
        return f"terms @@ CAST({self.bind(tsquery)} AS tsquery)"


def _any_of(alternatives: Iterable[tuple[str, str]], prefix: bool = False) -> str:
    """A tsquery matching any of (field, term)."""
    suffix = ":*" if prefix else ""
    return " | ".join(f"{lexeme(fieldname, term)}{suffix}" for fieldname, term in alternatives)


class _Compiler:
    """A parsed query as a SQL condition and a relevance score over search_entries."""

    def __init__(self, connection: Connection, sql: _Sql, deadline: float) -> None:
        self.connection = connection
        self.sql = sql
        self.deadline = deadline
        self.terms = Terms()
        self.scores: list[str] = []
        self.truncated = False
        self.fuzzy_words = 0

    def score(self, tsquery: str, boost: float) -> None:
        self.scores.append(f"CASE WHEN {self.sql.matches(tsquery)} THEN {boost} ELSE 0 END")

    def compile(self, node: Node, names_only: bool = False, negated: bool = False) -> str:
        if isinstance(node, q.Word):
            return self.word(node.text, names_only, negated)
        if isinstance(node, q.Phrase):
            return self.phrase(node.words, names_only, negated)
        if isinstance(node, q.Prefix):
            return self.prefix(node.text, names_only, negated)
        if isinstance(node, q.NameOnly):
            return self.compile(node.node, True, negated)
        if isinstance(node, q.Facet):
            return f"facets @> CAST({self.sql.bind([f'{node.name}={node.value}'])} AS text[])"
        if isinstance(node, q.YearRange):
            parts = ["year_from IS NOT NULL"]
            if node.high is not None:
                parts.append(f"year_from <= {self.sql.bind(node.high)}")
            if node.low is not None:
                parts.append(f"year_to >= {self.sql.bind(node.low)}")
            return "(" + " AND ".join(parts) + ")"
        if isinstance(node, q.Not):
            return f"NOT ({self.compile(node.child, names_only, not negated)})"
        if isinstance(node, q.Or):
            children = [self.compile(child, names_only, negated) for child in node.children]
            return "(" + " OR ".join(children) + ")"
        if isinstance(node, q.And):
            # Stop words ("of", "и") are dropped unless nothing else is left.
            kept = [
                c for c in node.children if not (isinstance(c, q.Word) and is_stop_word(c.text))
            ] or list(node.children)
            return "(" + " AND ".join(self.compile(c, names_only, negated) for c in kept) + ")"
        return "TRUE"

    def word(self, word: str, names_only: bool, negated: bool) -> str:
        alternatives = readings.word(word, names_only, negated, self.terms)
        if readings.may_have_typo(word, negated) and self.rare(alternatives):
            if self.fuzzy_words >= MAX_FUZZY_WORDS or time.monotonic() > self.deadline:
                self.truncated = True
            else:
                self.fuzzy_words += 1
                for term in self.near(fold(word)):
                    self.terms.folded.add(term)
                    readings.add(alternatives, "name", term, BOOSTS["fuzzy"])
        if not negated:
            for pair, boost in alternatives.items():
                self.score(_any_of([pair]), boost)
        return self.sql.matches(_any_of(alternatives))

    def phrase(self, words: tuple[str, ...], names_only: bool, negated: bool) -> str:
        queries = []
        for fieldname, reading, boost in readings.phrase(words, names_only, negated, self.terms):
            tsquery = " <-> ".join(lexeme(fieldname, term) for term in reading)
            queries.append(tsquery)
            if not negated:
                self.score(tsquery, boost)
        return self.sql.matches(" | ".join(f"({tsquery})" for tsquery in queries))

    def prefix(self, word: str, names_only: bool, negated: bool) -> str:
        folded = fold(word)
        if not negated:
            self.terms.prefixes.add(folded)
        fields = ("name",) if names_only else ("name", "text")
        if not negated:
            for fieldname in fields:
                self.score(_any_of([(fieldname, folded)], prefix=True), BOOSTS[fieldname])
        return self.sql.matches(_any_of([(f, folded) for f in fields], prefix=True))

    def rare(self, alternatives: readings.Alternatives) -> bool:
        """Whether fewer than FUZZY_RARE entries hold the word in any of its forms."""
        found = self.connection.execute(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM search_entries "
                "WHERE terms @@ CAST(:q AS tsquery) LIMIT :n) AS found"
            ),
            {"q": _any_of(alternatives), "n": FUZZY_RARE},
        ).scalar_one()
        return found < FUZZY_RARE

    def near(self, folded: str) -> list[str]:
        """Folded name words one typo from `folded`, sharing its first letter."""
        candidates = _similar_words(self.connection, folded)
        near = {
            other
            for _word, other in candidates
            if other != folded
            and other[:1] == folded[:1]
            and damerau_levenshtein(other, folded) <= 1
        }
        return sorted(near)[:FUZZY_TERMS]


def _similar_words(connection: Connection, folded: str) -> list[tuple[str, str]]:
    """(word, folded) of the name words most like `folded` by trigrams."""
    connection.execute(
        text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
        {"t": str(SIMILARITY)},
    )
    return [
        (found.word, found.folded)
        for found in connection.execute(
            text(
                "SELECT word, folded FROM search_words WHERE folded % :f "
                "ORDER BY similarity(folded, :f) DESC, word LIMIT :n"
            ),
            {"f": folded, "n": CANDIDATES},
        )
    ]


_ORDERS = {
    "name": "sort_{language} ASC, kind, entity_id",
    "date": "date ASC NULLS LAST, kind, entity_id",
    "-date": "date DESC NULLS LAST, kind, entity_id",
    "recent": "published DESC NULLS LAST, kind, entity_id",
}


class PostgresBackend:
    """The SearchBackend over search_entries in the archive's PostgreSQL database."""

    # Whether this backend writes its rows in the transaction of the change.
    writes_in_transaction = True

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.checked = False

    # --- reading -------------------------------------------------------------------------

    def _scope(self, sql: _Sql, request: SearchRequest) -> list[str]:
        conditions = ["public"] if request.public_only else []
        for facet, codes in sorted(request.filters.items()):
            if codes:
                values = [f"{facet}={code}" for code in sorted(codes)]
                conditions.append(f"facets && CAST({sql.bind(values)} AS text[])")
        return conditions

    def _compile(self, connection: Connection, request: SearchRequest):
        sql = _Sql()
        compiler = _Compiler(connection, sql, _expansion_end(request.deadline))
        condition = compiler.compile(request.query)
        where = " AND ".join([condition, *self._scope(sql, request)])
        score = " + ".join(compiler.scores) or "0"
        return sql, compiler, where, score

    def _order(self, request: SearchRequest) -> str:
        order = _ORDERS.get(request.sort)
        if order is None:
            return "score DESC, size ASC, kind, entity_id"
        language = request.language if request.language in SORT_LANGUAGES else "az"
        return order.format(language=language)

    @staticmethod
    def _time_limit(connection: Connection, deadline: float) -> None:
        milliseconds = max(1, int((deadline - time.monotonic()) * 1000))
        connection.execute(
            text("SELECT set_config('statement_timeout', :ms, true)"), {"ms": str(milliseconds)}
        )

    def search(self, request: SearchRequest) -> SearchResult:
        with self.engine.connect() as connection, connection.begin():
            sql, compiler, where, score = self._compile(connection, request)
            self._time_limit(connection, request.deadline)
            hits: list[Hit] = []
            total, exact, timed_out = 0, True, False
            facets: dict[str, dict[str, int]] = {}
            try:
                hits = [
                    Hit(found.kind, found.entity_id, found.site_id, float(found.score))
                    for found in connection.execute(
                        text(
                            f"SELECT kind, entity_id, site_id, size, {score} AS score "
                            f"FROM search_entries WHERE {where} ORDER BY {self._order(request)} "
                            f"LIMIT {int(request.limit)} OFFSET {int(request.offset)}"
                        ),
                        sql.params,
                    )
                ]
                if request.count:
                    total = connection.execute(
                        text(f"SELECT count(*) FROM search_entries WHERE {where}"), sql.params
                    ).scalar_one()
                    if request.facets:
                        facets = self._facets(connection, sql, where, request.facets)
                else:
                    total, exact = request.offset + len(hits), False
            except OperationalError as error:
                if not _cancelled(error):
                    raise
                timed_out, exact = True, False
                total = max(total, request.offset + len(hits))
        return SearchResult(
            hits=hits,
            total=total,
            exact=exact,
            facets=facets,
            terms=compiler.terms,
            timed_out=timed_out,
            truncated=compiler.truncated,
        )

    @staticmethod
    def _facets(connection: Connection, sql: _Sql, where: str, names: tuple[str, ...]):
        counts: dict[str, dict[str, int]] = {name: {} for name in names}
        wanted = sql.bind([f"{name}=%" for name in names])
        for found in connection.execute(
            text(
                "SELECT facet, count(*) AS n FROM search_entries, unnest(facets) AS facet "
                f"WHERE {where} AND facet LIKE ANY (CAST({wanted} AS text[])) GROUP BY facet"
            ),
            sql.params,
        ):
            name, _, code = found.facet.partition("=")
            counts[name][code] = found.n
        return counts

    def iter_hits(self, request: SearchRequest, limit: int) -> Iterator[Hit]:
        with self.engine.connect() as connection, connection.begin():
            sql, _compiler, where, score = self._compile(connection, request)
            self._time_limit(connection, request.deadline)
            try:
                found = connection.execute(
                    text(
                        f"SELECT kind, entity_id, site_id, size, {score} AS score "
                        f"FROM search_entries WHERE {where} ORDER BY {self._order(request)} "
                        f"LIMIT {int(limit)}"
                    ),
                    sql.params,
                ).all()
            except OperationalError as error:
                if not _cancelled(error):
                    raise
                log.warning("export search ran out of time; the export is empty")
                found = []
        for hit in found:
            yield Hit(hit.kind, hit.entity_id, hit.site_id, float(hit.score))

    def suggest(self, node: Node, *, public_only: bool, deadline: float) -> str | None:
        """The query's words with those no entry in scope holds replaced by the closest
        name word of those entries (only published ones for the public), or None."""
        corrected, unknown = [], 0
        scope = " AND public" if public_only else ""
        with self.engine.connect() as connection, connection.begin():
            self._time_limit(connection, deadline)
            try:
                for word in query_words(node):
                    if time.monotonic() > deadline:
                        return None
                    alternatives = readings.word(word, False, True, Terms())
                    if (
                        is_stop_word(word)
                        or len(word) < 3
                        or self._held(connection, _any_of(alternatives), scope)
                    ):
                        corrected.append(word)
                        continue
                    unknown += 1
                    if unknown > SUGGEST_WORDS:
                        return None
                    corrected.append(self._closest(connection, lower(word), scope) or word)
            except OperationalError as error:
                if not _cancelled(error):
                    raise
                return None
        return " ".join(corrected) if unknown else None

    @staticmethod
    def _held(connection: Connection, tsquery: str, scope: str, at_most: int = 1) -> int:
        return connection.execute(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM search_entries "
                f"WHERE terms @@ CAST(:q AS tsquery){scope} LIMIT :n) AS found"
            ),
            {"q": tsquery, "n": at_most},
        ).scalar_one()

    def _closest(self, connection: Connection, lowered: str, scope: str) -> str | None:
        """The most frequent name word within two edits of `lowered` in scope."""
        folded = fold(lowered)
        by_distance: dict[int, list[str]] = {}
        for word, other in _similar_words(connection, folded):
            if word[:1] != lowered[:1] and other[:1] != folded[:1]:
                continue
            distance = damerau_levenshtein(other, folded)
            if distance <= 2:
                by_distance.setdefault(distance, []).append(word)
        for distance in sorted(by_distance):
            held = {
                word: self._held(connection, lexeme("name_exact", word), scope, at_most=100)
                for word in by_distance[distance]
            }
            visible = [word for word, count in held.items() if count]
            if visible:
                return min(visible, key=lambda word: (-held[word], word))
        return None

    # --- writing -------------------------------------------------------------------------

    def write(self, connection: Connection, documents: Iterable[Document]) -> bool:
        """Write `documents` in the caller's transaction; False if a rebuild is running
        (they are written all the same, but the caller must also leave outbox rows, which
        the rebuild applies when it is done, since it may overwrite them meanwhile)."""
        free = connection.execute(
            text("SELECT pg_try_advisory_xact_lock_shared(:k)"), {"k": REBUILD_LOCK}
        ).scalar_one()
        _write(connection, list(documents))
        return bool(free)

    def update(self, documents: Callable[[], Iterable[Document]], *, wait: float) -> int:
        """Write the entries `documents()` gives, in a transaction of their own."""
        found = list(documents())
        with self.engine.begin() as connection:
            _write(connection, found)
        return len({document.uid for document in found})

    def rebuild(
        self,
        documents: Callable[[int, int], Iterable[Document]],
        *,
        refresh: Callable[[set[str]], Iterable[Document]],
        progress: Callable[[int], None] | None = None,
        processes: int | None = None,
    ) -> int:
        """Rewrite every row in place, batch by batch, while search goes on; then delete the
        rows of records that no longer exist. Writers meanwhile also leave outbox rows
        (`write`), which the caller applies afterwards."""
        with self.engine.connect() as lock:
            taken = lock.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": REBUILDER}
            ).scalar_one()
            lock.commit()
            if not taken:
                raise IndexBusy("another process is rebuilding the search index")
            try:
                # Waits for the writers in flight; later ones see the lock taken.
                lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": REBUILD_LOCK})
                lock.commit()
                seen = self._rewrite(documents, progress)
                with self.engine.begin() as connection:
                    connection.execute(
                        text("DELETE FROM search_entries WHERE NOT (uid = ANY(:seen))"),
                        {"seen": sorted(seen)},
                    )
                    connection.execute(
                        text(
                            "INSERT INTO search_state (name, value) VALUES ('built', 'yes') "
                            "ON CONFLICT (name) DO UPDATE SET value = 'yes'"
                        )
                    )
            finally:
                lock.execute(text("SELECT pg_advisory_unlock_all()"))
                lock.commit()
        return len(seen)

    def _rewrite(self, documents, progress) -> set[str]:
        seen: set[str] = set()
        batch: list[Document] = []
        for document in documents(0, 1):
            batch.append(document)
            if len(batch) >= REBUILD_BATCH:
                self._write_batch(batch, seen, progress)
                batch = []
        self._write_batch(batch, seen, progress)
        return seen

    def _write_batch(self, batch: list[Document], seen: set[str], progress) -> None:
        if not batch:
            return
        with self.engine.begin() as connection:
            _write(connection, batch)
        seen.update(document.uid for document in batch)
        if progress is not None:
            progress(len(batch))

    def rebuilding(self) -> bool:
        with self.engine.connect() as connection:
            held = connection.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                    "AND granted AND ((classid::bigint << 32) | objid::bigint) = :k)"
                ),
                {"k": REBUILDER},
            ).scalar_one()
            built = self._built(connection)
            connection.rollback()
        return bool(held) or not built

    @staticmethod
    def _built(connection: Connection) -> bool:
        return (
            connection.execute(
                text("SELECT value FROM search_state WHERE name = 'built'")
            ).scalar_one_or_none()
            == "yes"
        )

    def is_healthy(self) -> bool:
        """Whether every record has been written once (by a rebuild) and the table reads."""
        with self.engine.connect() as connection:
            built = self._built(connection)
            connection.rollback()
        return built

    def mark_damaged(self, generation: str | None) -> bool:
        with self.engine.begin() as connection:
            connection.execute(text("DELETE FROM search_state WHERE name = 'built'"))
        return True

    def stats(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            entries = connection.execute(text("SELECT count(*) FROM search_entries")).scalar_one()
            size = connection.execute(
                text(
                    "SELECT pg_total_relation_size('search_entries') "
                    "+ pg_total_relation_size('search_words')"
                )
            ).scalar_one()
            connection.rollback()
        return {"entries": entries, "bytes": size}

    def close(self) -> None:
        """Nothing is kept open: connections are the engine's."""


def _cancelled(error: OperationalError) -> bool:
    """Whether PostgreSQL cancelled the statement at its time limit."""
    return getattr(error.orig, "sqlstate", None) == "57014"


def _expansion_end(deadline: float) -> float:
    now = time.monotonic()
    return now + max(0.0, deadline - now) / 2
