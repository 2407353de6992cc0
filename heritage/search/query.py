"""The query language, parsed into an engine-neutral tree.

    Şuşa qalası               both words (AND is implied)
    "Gövhər Ağa"              a phrase
    mosque OR church          either; NOT / - exclude; brackets group
    qal*                      a prefix (two letters at least; never a leading wildcard)
    district:Şuşa type:mosque century:18 year:1700..1800 kind:photo name:Gövhər

Hostile input never reaches the engine: the length, word count and nesting are capped,
control characters dropped, and anything that cannot be understood raises InvalidQuery
with a message for the user. Unclosed quotes and brackets are closed at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from heritage.search.translit import fold, keys, words
from heritage.text import N_, Message
from heritage.vocab import (
    CATEGORIES,
    CLEARANCE_STATUSES,
    CONDITIONS,
    DISTRICTS,
    PUBLICATION_STATUSES,
    SITE_TYPES,
    WORK_TYPES,
    Vocabulary,
)

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32
MAX_DEPTH = 8
MIN_PREFIX = 2
YEAR_LIMIT = 10000


class InvalidQuery(ValueError):
    """The query cannot be understood; `said` says why, for the user (a Message)."""

    def __init__(self, template: str, **params: object) -> None:
        self.said = Message(template, params)
        super().__init__(str(self.said))


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class Facet:
    """Only records whose facet `name` has the code `value`."""

    name: str
    value: str


@dataclass(frozen=True)
class YearRange:
    """Records whose years overlap [low, high]; None is open."""

    low: int | None
    high: int | None


@dataclass(frozen=True)
class NameOnly:
    """Match `node` in names only."""

    node: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Everything:
    """Every record (a query of filters only)."""


Node = Word | Phrase | Prefix | Facet | YearRange | NameOnly | And | Or | Not | Everything

KINDS_BY_WORD = {
    "site": "site", "sites": "site", "abidə": "site", "памятник": "site",
    "record": "record", "records": "record", "work": "record", "restoration": "record",
    "bərpa": "record", "работа": "record", "работы": "record",
    "photo": "photo", "photos": "photo", "foto": "photo", "şəkil": "photo", "фото": "photo",
    "object": "object", "objects": "object", "əşya": "object", "предмет": "object",
    "gravestone": "gravestone", "gravestones": "gravestone", "qəbirdaşı": "gravestone",
    "надгробие": "gravestone",
    "survey": "survey", "surveys": "survey", "müayinə": "survey", "обследование": "survey",
}  # fmt: skip
VOCABULARY_FIELDS: dict[str, tuple[str, Vocabulary]] = {
    "district": ("district", DISTRICTS),
    "rayon": ("district", DISTRICTS),
    "type": ("site_type", SITE_TYPES),
    "category": ("category", CATEGORIES),
    "condition": ("condition", CONDITIONS),
    "clearance": ("clearance_status", CLEARANCE_STATUSES),
    "work": ("work_type", WORK_TYPES),
    "status": ("status", PUBLICATION_STATUSES),
}
OTHER_FIELDS = ("kind", "century", "year", "name")
FIELD_NAMES = (*VOCABULARY_FIELDS, *OTHER_FIELDS)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_TOKEN = re.compile(
    r'\s*(?:(?P<lparen>\()|(?P<rparen>\))|(?P<quote>")'
    r'|(?P<field>[^\W\d_]+):(?=\S)|(?P<word>[^\s()"]+))'
)
_ROMAN_CENTURY = re.compile(r"^[ivxlc]+$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def parse(text: str) -> Node:
    """Parse a query typed by a person; InvalidQuery if it cannot be understood."""
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            N_("The query is too long (%(length)s characters); use at most %(most)s."),
            length=len(text),
            most=MAX_QUERY_LENGTH,
        )
    if not text.strip():
        return Everything()
    text = _CONTROL.sub(" ", text).strip()
    if not text:  # only invisible characters: not the same as asking for everything
        raise InvalidQuery(N_("The query holds no words to search for."))
    parser = _Parser(_tokenize(text))
    node = parser.expression(depth=0)
    if parser.terms > MAX_TERMS:
        raise InvalidQuery(
            N_("The query has too many words; use at most %(most)s."), most=MAX_TERMS
        )
    return node


def _tokenize(text: str) -> list[tuple[str, str]]:
    """Split into (kind, text) tokens: ( ) phrase field word."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing spaces are left
            break
        position = match.end()
        kind = match.lastgroup or "word"
        if kind == "quote":
            end = text.find('"', position)
            end = len(text) if end < 0 else end
            tokens.append(("phrase", text[position:end]))
            position = end + 1
        else:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    """Recursive descent over the tokens; OR binds looser than AND, NOT tightest."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0
        self.terms = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def at_operator(self, name: str) -> bool:
        token = self.peek()
        return token is not None and token == ("word", name)

    def expression(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise InvalidQuery(
                N_("Brackets nest too deeply; use at most %(most)s levels."), most=MAX_DEPTH
            )
        if self.at_operator("OR") or self.at_operator("AND"):
            raise InvalidQuery(
                N_("%(operator)s needs a word on each side."), operator=self.peek()[1]
            )
        branches = [self.conjunction(depth)]
        while self.at_operator("OR"):
            self.take()
            branches.append(self.conjunction(depth))
        return branches[0] if len(branches) == 1 else Or(tuple(branches))

    def conjunction(self, depth: int) -> Node:
        parts: list[Node] = []
        while True:
            token = self.peek()
            if token is None or token[0] == "rparen" or token == ("word", "OR"):
                break
            if token == ("word", "AND"):
                self.take()
                following = self.peek()
                if not parts or following is None or following[1] in ("AND", "OR", ")"):
                    raise InvalidQuery(
                        N_("%(operator)s needs a word on each side."), operator="AND"
                    )
                continue
            node = self.unary(depth)
            if node is not None:
                parts.append(node)
        if not parts:
            if self.at_operator("OR") or (
                self.position > 0
                and self.tokens[self.position - 1]
                == (
                    "word",
                    "OR",
                )
            ):
                raise InvalidQuery(N_("%(operator)s needs a word on each side."), operator="OR")
            raise InvalidQuery(N_("The query holds no words to search for."))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, depth: int) -> Node | None:
        token = self.peek()
        if token == ("word", "NOT"):
            self.take()
            following = self.peek()
            operand = following is not None and following[0] != "rparen"
            negated = self.unary(depth) if operand and following[1] not in ("AND", "OR") else None
            if negated is None:
                raise InvalidQuery(N_("NOT needs a word or a bracket after it."))
            return Not(negated)
        return self.primary(depth)

    def primary(self, depth: int) -> Node | None:
        kind, text = self.take()
        if kind == "lparen":
            if self.peek() is None or self.peek()[0] == "rparen":
                self._close_bracket()
                raise InvalidQuery(N_("Empty brackets: put words between them."))
            node = self.expression(depth + 1)
            self._close_bracket()
            return node
        if kind == "phrase":
            return self._phrase(text)
        if kind == "field":
            return self._field(text)
        if kind == "rparen":
            raise InvalidQuery(N_("A closing bracket has no opening one."))
        return self._word(text)

    def _close_bracket(self) -> None:
        # An unclosed bracket closes at the end of the query.
        if self.peek() is not None and self.peek()[0] == "rparen":
            self.take()

    def _phrase(self, text: str) -> Node:
        found = words(text)
        if not found:
            raise InvalidQuery(N_("The quotes hold no words."))
        self.terms += len(found)
        return Word(found[0]) if len(found) == 1 else Phrase(tuple(found))

    def _word(self, text: str) -> Node | None:
        negate = text.startswith("-") and len(text) > 1
        text = text.lstrip("+-") if negate or text.startswith("+") else text
        node = _word_node(text)
        if node is None:
            return None
        self.terms += _count(node)
        return Not(node) if negate else node

    def _field(self, name: str) -> Node | None:
        field = name.lower()
        if field not in FIELD_NAMES:
            # Not a field we know ("Note: …"): the name is just a word.
            return self._word(name)
        token = self.peek()
        if token is None or token[0] not in ("word", "phrase"):
            raise InvalidQuery(N_("%(field)s: needs a value after the colon."), field=field)
        _, value = self.take()
        self.terms += 1
        if field == "name":
            inner = self._phrase(value) if token[0] == "phrase" else _word_node(value)
            if inner is None:
                raise InvalidQuery(N_("%(field)s: needs a value after the colon."), field="name")
            return NameOnly(inner)
        if field == "year":
            return _year_range(value)
        if field == "century":
            return Facet("century", _century(value))
        if field == "kind":
            kind = KINDS_BY_WORD.get(fold(value)) or KINDS_BY_WORD.get(value.lower())
            if kind is None:
                raise InvalidQuery(N_("kind: takes site, record or photo."))
            return Facet("kind", kind)
        facet, vocabulary = VOCABULARY_FIELDS[field]
        return Facet(facet, _vocabulary_code(field, vocabulary, value))


def _count(node: Node) -> int:
    return len(node.children) if isinstance(node, And) else 1


def _word_node(text: str) -> Node | None:
    """A word, a prefix (qal*), the words of a hyphenated token (all required), or None for
    a token with no letters or digits (a dash, an ampersand)."""
    if "*" in text:
        stem = text[:-1] if text.endswith("*") else ""
        found = words(stem)
        if "*" in stem or len(found) != 1 or found[0] != stem or len(stem) < MIN_PREFIX:
            raise InvalidQuery(
                N_("A wildcard may only end a word of at least %(least)s letters, like qal*."),
                least=MIN_PREFIX,
            )
        return Prefix(stem)
    found = words(text)
    if not found:
        return None
    if len(found) == 1:
        return Word(found[0])
    return And(tuple(Word(w) for w in found))


def _vocabulary_code(field: str, vocabulary: Vocabulary, value: str) -> str:
    """The code a value names: the code itself or a label in any language and spelling."""
    folded = fold(value).replace("-", "_").replace(" ", "_")
    if folded in vocabulary:
        return folded
    wanted = " ".join(words(value))
    for term in vocabulary:
        for label in term.labels().values():
            if fold(label) == fold(wanted) or _same_key(label, wanted):
                return term.code
    known = ", ".join(vocabulary.codes)
    raise InvalidQuery(
        N_("%(field)s: does not know “%(value)s”. Try one of: %(known)s."),
        field=field,
        value=value[:40],
        known=known,
    )


def _same_key(label: str, value: str) -> bool:
    label_words, value_words = words(label), words(value)
    if len(label_words) != len(value_words) or not value_words:
        return False
    return all(set(keys(a)) & set(keys(b)) for a, b in zip(label_words, value_words, strict=True))


def _year(text: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"-?\d{1,5}", text) or abs(int(text)) >= YEAR_LIMIT:
        raise InvalidQuery(N_("year: takes years like year:1768, year:1700..1800 or year:..1500."))
    return int(text)


def _year_range(value: str) -> YearRange:
    low, sep, high = value.partition("..")
    if not sep:
        year = _year(value)
        return YearRange(year, year)
    if not low.strip() and not high.strip():
        raise InvalidQuery(N_("year: needs at least one year, like year:..1500."))
    range_ = YearRange(_year(low) if low.strip() else None, _year(high) if high.strip() else None)
    if range_.low is not None and range_.high is not None and range_.low > range_.high:
        raise InvalidQuery(N_("year: the first year of a range must not be after the second."))
    return range_


def _century(value: str) -> str:
    """18, 18th, XVIII → "18"; -3 → the 3rd century BCE."""
    text = fold(value).strip()
    number = re.match(r"^(-?\d{1,3})(?:st|nd|rd|th|ci|cu|-?й|-?ый)?$", text)
    if number:
        result = int(number.group(1))
    elif _ROMAN_CENTURY.match(text):
        result = _roman(text)
    else:
        result = 0
    if result == 0 or abs(result) > 30:
        raise InvalidQuery(N_("century: takes a century like 18, 18th or XVIII."))
    return str(result)


def _roman(text: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in text]
    total = 0
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total


def query_words(node: Node) -> list[str]:
    """Every word the query searches for (not those it excludes), in order."""
    found: list[str] = []

    def walk(item: Node, excluded: bool) -> None:
        if isinstance(item, Word) and not excluded:
            found.append(item.text)
        elif isinstance(item, Phrase) and not excluded:
            found.extend(item.words)
        elif isinstance(item, Prefix) and not excluded:
            found.append(item.text)
        elif isinstance(item, NameOnly):
            walk(item.node, excluded)
        elif isinstance(item, And | Or):
            for child in item.children:
                walk(child, excluded)
        elif isinstance(item, Not):
            walk(item.child, not excluded)

    walk(node, False)
    return found
