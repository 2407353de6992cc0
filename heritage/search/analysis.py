"""How text becomes index terms, and the Whoosh field types that index it that way.

Field values are blocks of text joined by newlines (each name, each description). Every
field splits words the same way; the `text` field stems each block in its own language
(Russian for Cyrillic words, Azerbaijani for a block that uses Azerbaijani letters,
English otherwise) and leaves a gap in the positions between blocks, so a phrase never
runs from one name or description into the next.

The term functions are plain Python working on whole values at once: indexing calls them
directly instead of passing every word through Whoosh's token objects, which is most of
what makes a full rebuild fit in minutes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from functools import lru_cache

from whoosh import fields, formats
from whoosh.analysis import RegexTokenizer
from whoosh.system import pack_uint

from heritage.search import internals
from heritage.search.stemming import CACHE, STOP_WORDS, az_stem, english_stem, russian_stem
from heritage.search.translit import (
    CYRILLIC_WORD,
    WORD_RE,
    fold,
    keys,
    looks_azerbaijani,
    lower,
)

# Position gap between blocks: more than any phrase is long.
BLOCK_GAP = 100

Positions = dict[str, list[int]]


_words = WORD_RE.findall


def lower_terms(value: str) -> Counter[str]:
    """Lowercase words: the spelling as written."""
    return Counter(map(lower, _words(value)))


def folded_positions(value: str) -> Positions:
    """Folded words and where they stand, blocks kept apart."""
    positions: Positions = defaultdict(list)
    start = 0
    for block in value.split("\n"):
        found = _words(block)
        for offset, term in enumerate(map(fold, found)):
            positions[term].append(start + offset)
        start += len(found) + BLOCK_GAP
    return positions


def key_terms(value: str) -> Counter[str]:
    """Transliteration keys of every word but the stop words."""
    counts: Counter[str] = Counter()
    for word in _words(value):
        if fold(word) not in STOP_WORDS:
            counts.update(keys(word))
    return counts


def _stemmer(latin: Callable[[str], str]) -> Callable[[str], str]:
    """A cached word → stem function: Russian for Cyrillic words, `latin` for the others."""

    @lru_cache(maxsize=CACHE)
    def stem(word: str) -> str:
        folded = fold(word)
        return russian_stem(folded) if CYRILLIC_WORD.search(word) else latin(folded)

    return stem


english_block_stem = _stemmer(english_stem)
azerbaijani_block_stem = _stemmer(az_stem)


def block_stemmer(block: str) -> Callable[[str], str]:
    """How to stem the words of a block: Azerbaijani if it uses its letters, else English
    (Cyrillic words always Russian)."""
    return azerbaijani_block_stem if looks_azerbaijani(block) else english_block_stem


def stem_positions(value: str) -> Positions:
    """Stems and where they stand, blocks kept apart; stop words stay, for phrases."""
    positions: Positions = defaultdict(list)
    start = 0
    for block in value.split("\n"):
        found = _words(block)
        for where, term in enumerate(map(block_stemmer(block), found), start):
            positions[term].append(where)
        start += len(found) + BLOCK_GAP
    return positions


@lru_cache(maxsize=4096)
def _one_position(position: int) -> bytes:
    return internals.encode_positions([position])


def encode_positions(where: list[int]) -> bytes:
    """Whoosh's encoding of a position list; most terms occur once, and that is cached."""
    if len(where) == 1:
        return _one_position(where[0])
    return internals.encode_positions(where)


# --- Whoosh field types --------------------------------------------------------------------
# Module-level classes and functions: Whoosh pickles the schema into the index.


class TermField(fields.FieldType):
    """A text field whose terms come from one of the term functions above."""

    def __init__(self, terms: Callable[[str], Counter[str] | Positions], phrase: bool) -> None:
        self.terms = terms
        self.format = formats.Positions() if phrase else formats.Frequency()
        # Used by Whoosh only to describe the field; queries are built in compiler.py.
        self.analyzer = RegexTokenizer(WORD_RE)
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    @property
    def positional(self) -> bool:
        """Whether the field keeps positions (for phrases)."""
        return isinstance(self.format, formats.Positions)

    def items(self, value: str) -> list[tuple[bytes, int, float, bytes]]:
        """(term bytes, frequency, weight, encoded value) for each term of `value`."""
        found = self.terms(value)
        if isinstance(self.format, formats.Positions):
            return [
                (term.encode("utf-8"), len(where), float(len(where)), encode_positions(where))
                for term, where in found.items()
            ]
        return [
            (term.encode("utf-8"), frequency, float(frequency), pack_uint(frequency))
            for term, frequency in found.items()
        ]

    def index(self, value: str, **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:
        """What Whoosh's own writer asks a field for: the same items."""
        return iter(self.items(value))

    def self_parsing(self) -> bool:
        return False


def lower_field() -> fields.FieldType:
    return TermField(lower_terms, phrase=False)


def folded_field() -> fields.FieldType:
    return TermField(folded_positions, phrase=True)


def key_field() -> fields.FieldType:
    return TermField(key_terms, phrase=False)


def stem_field() -> fields.FieldType:
    return TermField(stem_positions, phrase=True)
