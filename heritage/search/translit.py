"""Folding and transliteration keys for Azerbaijani, English and Russian spellings of names.

Three levels of sameness, from strict to loose:

- `lower`: lowercase only, the Azerbaijani way (İ is i, not i plus a combining dot).
- `fold`: also drop diacritics, as people type without them (Gövhər → govher, Şuşa → susa).
- `keys`: a phonetic skeleton that one name has in every script and spelling.

The skeleton follows how the three languages transliterate one another, not a list of
names. Azerbaijani writes one letter per sound, Russian nearly so; English uses digraphs.
The sounds that the spellings write differently fall into one class each:
ş/sh/ш/щ/s, ç/ch/ч/c/j/дж/dzh/ж/zh (Azerbaijani c is English j and Russian дж),
x/kh/х/h/g/q/ğ/gh/г/k (Qarabağ/Karabakh/Карабах, Həsən/Гасан), v/w. Vowels are the least
stable part of a transliteration (Gövhər/Govhar/Гевхар, Füzuli/Физули, Naxçıvan/Нахичевань),
so only a word-initial vowel is kept, as a marker. Doubled letters count once
(Məmməd/Мамед).

Plain Latin letters may be English or Azerbaijani typed without its letters, and the two
read "sh", "ch", "zh" differently (Sacha may be Saça or Şaçha, Шачха): such a word gets
the key of each reading. Russian adjectives made from a name (Шушинская, Агдамский) and
Azerbaijani case and possessive endings (Şuşanın, qalası) also yield the key of the name.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

MAX_WORD_LENGTH = 64
# Words: letters and digits of any script; apostrophes and hyphens split words, and so
# does every 64th letter (a 10,000-letter "word" is 157 words that match nothing).
WORD_RE = re.compile(rf"[^\W_]{{1,{MAX_WORD_LENGTH}}}")
CACHE = 262144

# Diacritic folding for Latin letters that Unicode does not decompose.
_FOLD = str.maketrans({"ə": "e", "ı": "i", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})

# Sound classes; "" is a vowel. Azerbaijani (and any plain Latin letter), one per letter.
_VOWEL = ""
_LETTER_SOUNDS = {
    **dict.fromkeys("aeiouyəıöüäé", _VOWEL),
    "b": "b", "c": "c", "ç": "c", "d": "d", "f": "f", "g": "k", "ğ": "k", "h": "k",
    "j": "c", "k": "k", "l": "l", "m": "m", "n": "n", "p": "p", "q": "k", "r": "r",
    "s": "s", "ş": "s", "t": "t", "v": "v", "w": "v", "x": "k", "z": "z",
}  # fmt: skip
_CYRILLIC_SOUNDS = {
    **dict.fromkeys("аеёиоуыэюяйіїєў", _VOWEL),
    "б": "b", "в": "v", "г": "k", "д": "d", "ж": "c", "з": "z", "к": "k", "л": "l",
    "м": "m", "н": "n", "п": "p", "р": "r", "с": "s", "т": "t", "ф": "f", "х": "k",
    "ц": "ts", "ч": "c", "ш": "s", "щ": "s", "ъ": None, "ь": None,
}  # fmt: skip
# English digraphs, longest first. Those that two Azerbaijani letters can also spell
# (Şazhalı is ş-a-z-h) are read both ways, up to a few per word.
_ENGLISH_DIGRAPHS = {
    "dzh": "c", "dj": "c", "zh": "c", "sh": "s", "ch": "c", "kh": "k", "gh": "k",
    "ph": "f", "ck": "k",
}  # fmt: skip
_AMBIGUOUS = re.compile("dzh|dj|zh|sh|ch|ck")
_MAX_AMBIGUOUS = 3

# Russian adjectives made from place names: Шушинская, Агдамский, Бардинского, Aghdamsky.
_RU_ADJECTIVE = re.compile(
    r"(?:ск(?:ая|ий|ое|ие|ого|ой|ом|их|ую|им|ими|ому)"
    r"|sk(?:aya|aja|ya|iy|ij|ii|yi|y|i|oe|oye|oj|oy|ogo|om|omu|ie|iye|ikh|ix|im|imi|uyu|uju))$"
)
_RU_ADJECTIVE_LINK = re.compile(r"(?:[иеы]н|[iey]n)$")
# The Russian instrumental carries a consonant (Агдамом); other singular endings are vowels.
_RU_NOUN_ENDING = re.compile(r"(?:ом|ем|ою|ею)$")
# Azerbaijani endings with a consonant: case (Şuşanın, Şuşada, Şuşadan), possessive
# (qalası), copula (-dır), plural (-lar, -lərin). Vowel-only endings vanish in the skeleton.
_A, _I = "[aeə]", "[ıiuü]"
_AZ_ENDING = re.compile(
    rf"(?:l{_A}r)?(?:n{_I}n|{_I}n|n{_I}|s{_I}|y{_A}|d{_A}n|t{_A}n|d{_A}|t{_A}|d{_I}r|t{_I}r)$"
    rf"|l{_A}r$"
)
# Uppercase I is left out: it is English I as often as Azerbaijani dotless I.
_AZ_LETTER = re.compile("[əışçğöüƏŞÇĞÖÜİ]")
CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]")
_MIN_STEM = 3


def lower(text: str) -> str:
    """Lowercase, the Azerbaijani way for İ, in composed form."""
    return unicodedata.normalize("NFC", text.replace("İ", "i").replace("I\u0307", "i")).lower()


@lru_cache(maxsize=CACHE)
def fold(word: str) -> str:
    """Lowercase without diacritics (Gövhər → govher, Şuşa → susa, Ёлка → елка)."""
    word = lower(word).translate(_FOLD)
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            # й is a letter of its own in Russian; only its breve survives folding.
            if ch == "\u0306" and kept and kept[-1] == "и":
                kept[-1] = "й"
            continue
        kept.append(ch)
    return "".join(kept)


def words(text: str) -> list[str]:
    """The words of `text`, each cut to a sane length."""
    return WORD_RE.findall(text)


def looks_azerbaijani(word: str) -> bool:
    """Whether a word carries a letter only Azerbaijani uses among the three languages."""
    return bool(_AZ_LETTER.search(word))


def is_cyrillic(word: str) -> bool:
    """Whether a word is written in Cyrillic."""
    return bool(CYRILLIC_WORD.search(word))


def _letter(ch: str) -> str | None:
    """The sound of a letter outside the tables: its base letter's, or itself."""
    base = fold(ch)
    return _LETTER_SOUNDS.get(base, base) if base else None


def _cyrillic_reading(word: str) -> list[str | None]:
    # дж is one sound, as Azerbaijani c and English j.
    word = word.replace("дж", "ж")
    return [_CYRILLIC_SOUNDS[ch] if ch in _CYRILLIC_SOUNDS else _letter(ch) for ch in word]


def _letter_reading(word: str) -> list[str | None]:
    return [_LETTER_SOUNDS[ch] if ch in _LETTER_SOUNDS else _letter(ch) for ch in word]


def _english_readings(word: str) -> list[list[str | None]]:
    """Readings of plain Latin letters: each of "sh", "ch", "zh", "dj" (the first few) as
    one English sound or as two Azerbaijani letters; other digraphs always as one."""
    found = [(m.start(), m.group()) for m in _AMBIGUOUS.finditer(word)][:_MAX_AMBIGUOUS]
    readings = []
    for split in itertools.product((False, True), repeat=len(found)):
        letters = {start for (start, _), apart in zip(found, split, strict=True) if apart}
        sounds: list[str | None] = []
        i = 0
        while i < len(word):
            if i not in letters:
                spelling = next((s for s in _ENGLISH_DIGRAPHS if word.startswith(s, i)), None)
                if spelling is not None:
                    sounds.append(_ENGLISH_DIGRAPHS[spelling])
                    i += len(spelling)
                    continue
            ch = word[i]
            sounds.append(_LETTER_SOUNDS[ch] if ch in _LETTER_SOUNDS else _letter(ch))
            i += 1
        readings.append(sounds)
    return readings


def _readings(word: str) -> list[list[str | None]]:
    """How a lowercase word sounds: one reading, or two for plain Latin letters."""
    if is_cyrillic(word):
        return [_cyrillic_reading(word)]
    if looks_azerbaijani(word):
        return [_letter_reading(word)]
    return _english_readings(word)


def _skeleton(sounds: list[str | None]) -> str:
    """Initial vowel marker and consonant classes, doubled letters once.

    A skeleton of one sound says too little to match on alone; a "_" marks it as the
    skeleton of a short word, so Xayı, Khayi and Хайы still meet."""
    classes: list[str] = []
    for sound in sounds:
        if sound is None:
            continue
        if not classes or classes[-1] != sound:
            classes.append(sound)
    if not classes:
        return ""
    key = ("a" if classes[0] == _VOWEL else "") + "".join(classes)
    return key if len(key) >= 2 else key + "_"


def _bare_forms(word: str) -> list[str]:
    """The word without a Russian adjective suffix or an Azerbaijani or Russian ending."""
    forms = []
    adjective = _RU_ADJECTIVE.sub("", word)
    if adjective != word and len(adjective) >= _MIN_STEM:
        forms.append(adjective)
        linked = _RU_ADJECTIVE_LINK.sub("", adjective)
        if linked != adjective and len(linked) >= _MIN_STEM:
            forms.append(linked)
    ending = _RU_NOUN_ENDING if is_cyrillic(word) else _AZ_ENDING
    bare = ending.sub("", word)
    if bare != word and len(bare) >= _MIN_STEM:
        forms.append(bare)
    return forms


@lru_cache(maxsize=CACHE)
def keys(word: str) -> tuple[str, ...]:
    """The transliteration keys of a word: its own, then those of its bare forms."""
    word = lower(word)
    if not word or word.isdigit():
        return ()
    result: list[str] = []
    for form in (word, *_bare_forms(word)):
        for reading in _readings(form):
            key = _skeleton(reading)
            if key and key not in result:
                result.append(key)
    return tuple(result)
