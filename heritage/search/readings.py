"""What the words of a query may match, engine-neutral: (field, term) pairs with weights.

Both backends compile queries from these readings, so a word finds the same records in
each: a name spelled as typed ranks above a folded spelling, a transliteration, a stem, a
translation and a typo. Fields are those of the index (search/schema.py): `name_exact`
(lowercase name words), `name` (folded, with positions), `name_key` (transliteration keys
of names), `key` (keys of short texts and related names) and `text` (stems, positions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heritage.search.analysis import azerbaijani_block_stem, block_stemmer
from heritage.search.glossary import translations
from heritage.search.stemming import stems
from heritage.search.translit import fold, is_cyrillic, keys, looks_azerbaijani, lower

# Field weights: a name outranks a description, the spelling as typed outranks a folded
# spelling, which outranks a stem, a transliteration and a typo, in that order.
BOOSTS = {
    "name_exact": 8.0,
    "name": 5.0,
    "name_key": 3.0,
    "text": 2.0,
    "key": 1.5,
    "translation": 1.0,
    "fuzzy": 0.4,
}
# A translation also matches across scripts (upper → Yuxarı → Юхары) by keys this long.
TRANSLATION_KEY_LENGTH = 3
# Words this long or longer tolerate one typo (a missing, extra, changed or swapped letter).
FUZZY_MIN_LENGTH = 5
# ... if the word, in all its forms, is in fewer entries than this.
FUZZY_RARE = 5

Alternatives = dict[tuple[str, str], float]


@dataclass
class Terms:
    """What a query matches, by analysis, for highlighting results."""

    lower: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


def add(alternatives: Alternatives, fieldname: str, term: str, boost: float) -> None:
    """Add (field, term) with `boost`, keeping the higher boost of a pair given twice."""
    pair = (fieldname, term)
    alternatives[pair] = max(boost, alternatives.get(pair, 0.0))


def word(text: str, names_only: bool, negated: bool, terms: Terms) -> Alternatives:
    """Every (field, term) a query word matches, with its weight; the word's forms are
    added to `terms` unless it is excluded (`negated`)."""
    lowered, folded = lower(text), fold(text)
    others = () if names_only else translations(text)
    word_stems, word_keys = stems(text), keys(text)
    if others:
        # A generic word (mosque, qala) meets its translations through the glossary; only
        # its specific keys still look for names keeping it transliterated (Yuxarı →
        # Юхары), and not in every text that names a mosque.
        word_keys = tuple(key for key in word_keys if len(key) >= TRANSLATION_KEY_LENGTH)
    if not negated:
        terms.lower.add(lowered)
        terms.folded.add(folded)
        terms.stems.update(word_stems)
        terms.keys.update(word_keys)
    alternatives: Alternatives = {}
    add(alternatives, "name_exact", lowered, BOOSTS["name_exact"])
    add(alternatives, "name", folded, BOOSTS["name"])
    for key in word_keys:
        add(alternatives, "name_key", key, BOOSTS["name_key"])
    if names_only:
        return alternatives
    for stem in word_stems:
        add(alternatives, "text", stem, BOOSTS["text"])
    for key in () if others else word_keys:
        add(alternatives, "key", key, BOOSTS["key"])
    for other in others:
        other_stems = stems(other)
        if not negated:
            terms.stems.update(other_stems)
        for stem in other_stems:
            add(alternatives, "text", stem, BOOSTS["translation"])
        # Names often keep the Azerbaijani word in transliteration (Yuxarı Gövhər Ağa →
        # Юхары Гевхар-ага): its key finds them; only specific keys, "qala" (kl) would
        # match every Gül and Kol.
        if looks_azerbaijani(other):
            for key in keys(other):
                if len(key) >= TRANSLATION_KEY_LENGTH:
                    terms.keys.add(key)
                    add(alternatives, "name_key", key, BOOSTS["translation"])
    return alternatives


def may_have_typo(text: str, negated: bool) -> bool:
    """Whether a word is one whose one-typo neighbours are worth looking for (if rare)."""
    folded = fold(text)
    return len(folded) >= FUZZY_MIN_LENGTH and not negated and not folded.isdigit()


def phrase(
    words: tuple[str, ...], names_only: bool, negated: bool, terms: Terms
) -> list[tuple[str, list[str], float]]:
    """The (field, words in order, weight) readings of a phrase: its folded words among
    names, and (unless `names_only`) its stems in every language it may be written in."""
    folded = [fold(w) for w in words]
    if not negated:
        terms.folded.update(folded)
    readings = [("name", folded, BOOSTS["name"])]
    if names_only:
        return readings
    block = " ".join(words)
    stemmed = {tuple(map(block_stemmer(block), words))}
    if not is_cyrillic(block) and not looks_azerbaijani(block):
        # Azerbaijani typed without its letters reads like English: try both.
        stemmed.add(tuple(map(azerbaijani_block_stem, words)))
    for reading in sorted(stemmed):
        if not negated:
            terms.stems.update(reading)
        readings.append(("text", list(reading), BOOSTS["text"]))
    return readings
