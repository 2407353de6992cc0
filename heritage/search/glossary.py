"""A small trilingual glossary: the generic heritage words that differ by translation.

Proper names differ by spelling and meet through transliteration keys; words like mosque,
məscid and мечеть share no letters and meet only here. Each entry lists words in
Azerbaijani, English and Russian; a query word that is (an inflected form of) any of them
also searches for all the others. Site types, categories and regions come from the
controlled vocabularies, so the glossary grows with them.
"""

from __future__ import annotations

from functools import lru_cache

from heritage.search.stemming import stems
from heritage.search.translit import fold, keys, lower, words
from heritage.vocab import CATEGORIES, SITE_TYPES, WORK_TYPES

# Words the vocabularies do not hold: synonyms, parts of names (upper, east) and features.
_EXTRA: tuple[tuple[str, str, str], ...] = (
    ("məscid", "mosque", "мечеть"),
    ("türbə məqbərə", "mausoleum tomb", "мавзолей гробница усыпальница"),
    ("qala qəsr", "fortress castle citadel fort", "крепость замок цитадель"),
    ("hamam", "bathhouse bath baths hammam", "баня"),
    ("bulaq", "spring fountain", "родник источник"),
    ("karvansara", "caravanserai", "караван-сарай караван"),
    ("qəbiristanlıq qəbiristan məzarlıq", "cemetery graveyard", "кладбище"),
    ("kompleks", "complex ensemble", "комплекс ансамбль"),
    ("qüllə", "tower", "башня"),
    ("məbəd", "temple", "храм"),
    ("minarə", "minaret", "минарет"),
    ("mədrəsə", "madrasa", "медресе"),
    ("pir ziyarətgah", "shrine sanctuary", "святилище"),
    ("xarabalıq xarabalıqlar", "ruins", "руины развалины"),
    ("divar", "wall", "стена"),
    ("darvaza", "gate", "ворота"),
    ("kənd", "village", "село деревня"),
    ("şəhər", "city town", "город"),
    ("yuxarı", "upper", "верхний"),
    ("aşağı", "lower", "нижний"),
    ("şərqi şərq", "east eastern", "восточный восток"),
    ("qərbi qərb", "west western", "западный запад"),
    ("şimali şimal", "north northern", "северный север"),
    ("cənubi cənub", "south southern", "южный юг"),
    ("köhnə qədim", "old ancient", "старый древний"),
    ("yeni", "new", "новый"),
    ("böyük", "great big grand", "большой великий"),
    ("kiçik", "small little", "малый малая"),
    ("daş", "stone", "камень каменный"),
    ("ağac taxta", "wooden wood", "деревянный дерево"),
)


def _entries() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every entry as (its Azerbaijani words, all its words), from the vocabularies and the
    extras; only one-word labels translate word for word ("Arxeoloji abidə" does not)."""
    entries = []
    for az, en, ru in _EXTRA:
        entries.append((tuple(words(lower(az))), tuple(words(lower(f"{az} {en} {ru}")))))
    for vocabulary in (SITE_TYPES, CATEGORIES, WORK_TYPES):
        for term in vocabulary:
            labels = [words(lower(label)) for label in term.labels().values()]
            if all(len(label) == 1 for label in labels):
                entries.append((tuple(labels[0]), tuple(label[0] for label in labels)))
    return entries


def _forms(word: str) -> set[str]:
    """The normalised forms a word is looked up by: folded, and its stems."""
    return {fold(word), *stems(word)}


def _name_keys(word: str) -> set[str]:
    """Specific transliteration keys: Russian and English names often transliterate the
    Azerbaijani word rather than translate it (Yuxarı Gövhər Ağa → Юхары Гевхар-ага)."""
    return {f"key:{key}" for key in keys(word) if len(key) >= 3}


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    """Normalised form (or key:<transliteration key>) → the words of the entries holding it."""
    index: dict[str, set[str]] = {}
    for azerbaijani, entry in _entries():
        for word in entry:
            for form in _forms(word):
                index.setdefault(form, set()).update(entry)
        for word in azerbaijani:
            for key in _name_keys(word):
                index.setdefault(key, set()).update(entry)
    return {form: frozenset(found) for form, found in index.items()}


def translations(word: str) -> frozenset[str]:
    """The glossary's other words for `word` in any language; empty if it has none."""
    index = _index()
    found: set[str] = set()
    for form in _forms(word) | _name_keys(word):
        found.update(index.get(form, ()))
    return frozenset(other for other in found if fold(other) != fold(word))
