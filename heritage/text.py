"""Small text helpers that know the region's alphabets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Azerbaijani letters without an ASCII base, and Russian Cyrillic, in the usual English
# romanisation (Şuşa → shusha, Шуша → shusha).
_ROMAN = str.maketrans(
    {
        "ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh", "ö": "o", "ü": "u",
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip


def slugify(text: str, max_length: int = 80) -> str:
    """A lowercase ASCII slug: words joined by single hyphens."""
    # casefold() alone would turn "İ" into "i" plus a combining dot; strip marks after.
    text = text.replace("İ", "i").casefold().translate(_ROMAN)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].rstrip("-")


def N_(message: str) -> str:
    """Mark `message` for translation where it is shown; returns it unchanged.

    For messages made far from any request (services, the query parser) that the pages
    translate when they show them (`pybabel extract` finds N_ by default).
    """
    return message


@dataclass(frozen=True)
class Message:
    """Words for a person, made where no request is known (services, media): the English
    template (marked with N_) and its values. `str()` is the English, for the API and logs;
    pages say it in their reader's language (web/filters.py `say`).

    A value may be a Message itself, or names by language ({"az": …, "en": …}).
    """

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.render(lambda template: template, "en")

    def render(self, translate: Callable[[str], str], lang: str) -> str:
        """The message through `translate` (a gettext), names taken in `lang`."""
        values = {name: _value(value, translate, lang) for name, value in self.params.items()}
        text = translate(self.template)
        return text % values if values else text


def _value(value: object, translate: Callable[[str], str], lang: str) -> object:
    if isinstance(value, Message):
        return value.render(translate, lang)
    if isinstance(value, Mapping):  # names by language: this one, else the first given
        return value.get(lang) or next((name for name in value.values() if name), "")
    return value
