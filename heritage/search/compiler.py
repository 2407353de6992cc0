"""Turning a parsed query into a Whoosh query, with bounded expansions.

Each word becomes a disjunction over the fields, weighted so that a name spelled as typed
ranks above a folded spelling, a transliteration, a stem, a translation and a typo.
Prefixes and typo tolerance expand to a bounded number of index terms, the most frequent
first, so no query can ask Whoosh to walk a whole vocabulary; and the whole query expands to
at most MAX_EXPANDED_TERMS terms, looks for typos in at most MAX_FUZZY_WORDS words and stops
expanding at its deadline. What is left out for those reasons is reported (`truncated`), so
the page can say so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.reading import IndexReader

from heritage.search import query as q
from heritage.search import readings
from heritage.search.matching import AndNot
from heritage.search.readings import BOOSTS, FUZZY_RARE, Terms
from heritage.search.stemming import is_stop_word, stems
from heritage.search.translit import fold

FUZZY_TERMS = 6
PREFIX_TERMS = 48
# Candidates looked at to pick the most frequent expansions from.
EXPANSION_CANDIDATES = 600
# Index terms all the prefixes and typo variants of one query may add, and the words of
# one query whose typos are looked for (each costs a walk over a segment's terms).
MAX_EXPANDED_TERMS = 192
MAX_FUZZY_WORDS = 8


@dataclass
class Compiled:
    query: wq.Query
    terms: Terms
    # True when some prefix or typo expansion was left out or cut short: the query reached
    # MAX_EXPANDED_TERMS or MAX_FUZZY_WORDS, or its time for expanding ran out.
    truncated: bool = False


class _Compiler:
    def __init__(self, reader: IndexReader, deadline: float) -> None:
        self.reader = reader
        self.leaves = reader.leaf_readers()
        self.deadline = deadline
        self.terms = Terms()
        self.truncated = False
        self.expanded = 0
        self.fuzzy_words = 0

    def compile(self, node: q.Node, names_only: bool = False, negated: bool = False) -> wq.Query:
        if isinstance(node, q.Word):
            return self.word(node.text, names_only, negated)
        if isinstance(node, q.Phrase):
            return self.phrase(node.words, names_only, negated)
        if isinstance(node, q.Prefix):
            return self.prefix(node.text, names_only, negated)
        if isinstance(node, q.NameOnly):
            return self.compile(node.node, True, negated)
        if isinstance(node, q.Facet):
            return wq.ConstantScoreQuery(wq.Term(node.name, node.value), 0.0)
        if isinstance(node, q.YearRange):
            overlap = wq.And(
                [
                    wq.NumericRange("year_from", None, node.high),
                    wq.NumericRange("year_to", node.low, None),
                ]
            )
            return wq.ConstantScoreQuery(overlap, 0.0)
        if isinstance(node, q.Not):
            return AndNot(wq.Every(), self.compile(node.child, names_only, not negated))
        if isinstance(node, q.Or):
            return wq.Or([self.compile(child, names_only, negated) for child in node.children])
        if isinstance(node, q.And):
            return self.conjunction(node.children, names_only, negated)
        return wq.Every()

    def conjunction(self, children: tuple[q.Node, ...], names_only: bool, negated: bool):
        # Stop words ("of", "и") are dropped unless nothing else is left.
        kept = [c for c in children if not (isinstance(c, q.Word) and is_stop_word(c.text))]
        kept = kept or list(children)
        required = [self.compile(c, names_only, negated) for c in kept if not isinstance(c, q.Not)]
        excluded = [
            self.compile(c.child, names_only, not negated) for c in kept if isinstance(c, q.Not)
        ]
        positive = wq.And(required) if required else wq.Every()
        if not excluded:
            return positive
        return AndNot(positive, wq.Or(excluded) if len(excluded) > 1 else excluded[0])

    def word(self, text: str, names_only: bool, negated: bool) -> wq.Query:
        alternatives = readings.word(text, names_only, negated, self.terms)
        if (
            readings.may_have_typo(text, negated)
            and self.rare(alternatives)
            and self.may_expand(fuzzy=True)
        ):
            self.fuzzy_words += 1
            for term in self.near("name", fold(text)):
                self.terms.folded.add(term)
                readings.add(alternatives, "name", term, BOOSTS["fuzzy"])
            if not names_only:
                for stem in stems(text):
                    for term in self.near("text", stem):
                        self.terms.stems.add(term)
                        readings.add(alternatives, "text", term, BOOSTS["fuzzy"])
        return _disjunction(alternatives)

    def phrase(self, words: tuple[str, ...], names_only: bool, negated: bool) -> wq.Query:
        return wq.Or(
            [
                wq.Phrase(fieldname, reading, boost=boost)
                for fieldname, reading, boost in readings.phrase(
                    words, names_only, negated, self.terms
                )
            ]
        )

    def prefix(self, text: str, names_only: bool, negated: bool) -> wq.Query:
        folded = fold(text)
        if not negated:
            self.terms.prefixes.add(folded)
        alternatives: dict[tuple[str, str], float] = {}
        for fieldname in ("name",) if names_only else ("name", "text"):
            if not self.may_expand():
                break
            for term in self.most_frequent(
                fieldname, self._expand(fieldname, folded), PREFIX_TERMS
            ):
                alternatives[(fieldname, term)] = BOOSTS[fieldname]
        return _disjunction(alternatives)

    def _expand(self, fieldname: str, folded: str) -> list[str]:
        found = []
        for term in self.reader.expand_prefix(fieldname, folded):
            found.append(term.decode("utf-8") if isinstance(term, bytes) else term)
            if len(found) >= EXPANSION_CANDIDATES:
                break
            if len(found) % 64 == 0 and time.monotonic() > self.deadline:
                self.truncated = True
                break
        return found

    def may_expand(self, fuzzy: bool = False) -> bool:
        """Whether the query may still add expansions (of a typo, when `fuzzy`); if not,
        it is marked truncated, since an expansion is being left out."""
        allowed = (
            self.expanded < MAX_EXPANDED_TERMS
            and not (fuzzy and self.fuzzy_words >= MAX_FUZZY_WORDS)
            and time.monotonic() <= self.deadline
        )
        self.truncated = self.truncated or not allowed
        return allowed

    def rare(self, alternatives: dict[tuple[str, str], float]) -> bool:
        """Whether a word, in all its forms so far, is in fewer than FUZZY_RARE entries.

        Only then are its one-typo neighbours looked for: a word found as typed in many
        entries was not mistyped, and expanding it would cost time for noise.
        """
        frequency = self.reader.doc_frequency
        found = 0
        for fieldname, term in alternatives:
            found += frequency(fieldname, term)
            if found >= FUZZY_RARE:
                return False
        return True

    def near(self, fieldname: str, folded: str) -> list[str]:
        """Index terms one typo away from `folded` (sharing its first letter)."""
        found: set[str] = set()
        # Segment by segment: Whoosh walks a segment's terms with an automaton, but across
        # segments it falls back to measuring the distance to every term.
        for leaf, _offset in self.leaves:
            if not self.may_expand():
                break
            for term in leaf.terms_within(fieldname, folded, 1, prefix=1):
                if term != folded:
                    found.add(term)
            if len(found) >= EXPANSION_CANDIDATES:
                break
        return self.most_frequent(fieldname, sorted(found), FUZZY_TERMS)

    def most_frequent(self, fieldname: str, candidates: list[str], limit: int) -> list[str]:
        """The `limit` most frequent of `candidates`, within what the query may still add."""
        left = MAX_EXPANDED_TERMS - self.expanded
        if len(candidates) > left:
            self.truncated = True
            limit = min(limit, left)
        if len(candidates) > limit:
            frequency = self.reader.doc_frequency
            candidates = sorted(candidates, key=lambda term: -frequency(fieldname, term))[:limit]
        self.expanded += len(candidates)
        return candidates


def _disjunction(alternatives: dict[tuple[str, str], float]) -> wq.Query:
    terms = [wq.Term(f, text, boost=boost) for (f, text), boost in alternatives.items()]
    if not terms:
        return wq.NullQuery
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def compile_query(node: q.Node, reader: IndexReader, deadline: float) -> Compiled:
    """The Whoosh query for `node`, and the terms it matches for highlighting."""
    compiler = _Compiler(reader, deadline)
    compiled = compiler.compile(node).normalize()
    return Compiled(compiled, compiler.terms, compiler.truncated)
