"""Stems for the three languages: Snowball for Russian and English, a light suffix
stripper for Azerbaijani (Snowball has none). All take folded words.

Stems are cached: descriptions repeat their vocabulary, and the stemmers are pure Python.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.lang import stemmer_for_language

from heritage.search.translit import fold, is_cyrillic

CACHE = 262144

# Azerbaijani endings, on folded text (ə → e, ı → i, ü → u): case, possessive, copula,
# plural; stripped from the end, at most three layers (kəndlərində → kend).
_AZ_ENDINGS = re.compile(
    r"(?:dan|den|tan|ten|nin|nun|dir|dur|tir|tur|lar|ler|da|de|ta|te|ya|ye|ni|nu|si|su"
    r"|in|un|i|u)$"
)
_AZ_MIN_STEM = 3

STOP_WORDS = frozenset(
    {
        # English
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it",
        "of", "on", "or", "that", "the", "this", "to", "was", "were", "with",
        # Azerbaijani (folded)
        "ve", "ile", "bu", "o", "da", "de", "ki", "ucun", "olan", "olub", "kimi",
        # Russian
        "и", "в", "во", "на", "с", "со", "к", "ко", "у", "о", "об", "по", "из", "за", "для",
        "от", "до", "а", "но", "что", "это", "как", "был", "была", "было", "были",
    }
)  # fmt: skip

english_stem = lru_cache(maxsize=CACHE)(stemmer_for_language("en"))
russian_stem = lru_cache(maxsize=CACHE)(stemmer_for_language("ru"))


def is_stop_word(word: str) -> bool:
    """Whether a word is too common in any of the three languages to search on its own."""
    return fold(word) in STOP_WORDS


@lru_cache(maxsize=CACHE)
def az_stem(folded: str) -> str:
    """Strip Azerbaijani endings from a folded word, keeping at least three letters."""
    for _ in range(3):
        match = _AZ_ENDINGS.search(folded)
        if not match or match.start() < _AZ_MIN_STEM:
            break
        folded = folded[: match.start()]
    return folded


@lru_cache(maxsize=CACHE)
def stems(word: str) -> tuple[str, ...]:
    """Every stem a word may have been indexed under: Russian for Cyrillic; English and
    Azerbaijani for Latin, whose language a single word does not tell."""
    folded = fold(word)
    if is_cyrillic(word):
        return (russian_stem(folded),)
    english, azerbaijani = english_stem(folded), az_stem(folded)
    return (english,) if english == azerbaijani else (english, azerbaijani)
