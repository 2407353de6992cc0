"""Names in the reader's order: each interface language's collation, from ICU (PyICU).

Azerbaijani puts c before ç, e before ə, g before ğ, h before x, ı before i, k before q,
o before ö, s before ş and u before ü; Russian follows its alphabet (е before ё before ж);
English ignores diacritics at first. A byte string from `sort_key` orders as the language
does when compared byte by byte, so the database (a BLOB or bytea column) and the search
index sort by it without knowing any language.
"""

from __future__ import annotations

from functools import cache

import icu

from heritage.vocab import LANGUAGES

# Enough to order names by their first hundred or so letters; ties fall to the id.
KEY_BYTES = 255


@cache
def _collator(lang: str) -> icu.Collator:
    # Read-only use of one collator is thread-safe in ICU.
    return icu.Collator.createInstance(icu.Locale(lang if lang in LANGUAGES else "az"))


def sort_key(text: str | None, lang: str) -> bytes:
    """`text`'s collation key in `lang`, cut to KEY_BYTES."""
    return bytes(_collator(lang).getSortKey(text or ""))[:KEY_BYTES]


def name_sort_keys(names: dict[str, str | None], fallback: str) -> dict[str, bytes]:
    """{"sort_key_<lang>": key} of the name each language shows: its own, else the first
    other name given, else `fallback` (as Site.name does)."""
    keys = {}
    for lang in LANGUAGES:
        shown = names.get(lang) or next((name for name in names.values() if name), fallback)
        keys[f"sort_key_{lang}"] = sort_key(shown, lang)
    return keys


def sorted_by_name(items, name, lang: str) -> list:
    """`items` in `lang`'s order of `name(item)`."""
    return sorted(items, key=lambda item: sort_key(name(item), lang))
