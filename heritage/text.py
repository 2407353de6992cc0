"""Small text helpers that know the region's alphabets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

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


def N_(message: str) -> Message:
    """A message for a person, marked for translation (`pybabel extract` finds N_): said in
    the reader's language where it is shown. With values: Message(N_("…%(n)s…"), {"n": 1}).
    """
    return Message(message)


class Message(str):
    """Words for a person, made wherever they arise (schemas, services, the query parser,
    media): an English template marked with N_ and its values. As a string it is the
    English, for the API, logs and marshmallow; pages say it in their reader's language
    (heritage.i18n.say).

    A value may be a Message itself, or names by language ({"az": …, "en": …}).
    marshmallow formats a validator's message with its values (`format(max=…)`), so a
    Message is also how marshmallow's own messages are given (heritage.schemas.base).
    """

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        # Only the values the template names: marshmallow also passes the input.
        params = {k: v for k, v in (params or {}).items() if f"%({k})" in template}
        self = super().__new__(cls, _render(template, params, lambda text: text, "en"))
        self.template = template
        self.params = params
        return self

    def __reduce__(self):
        return (Message, (self.template, dict(self.params)))

    def format(self, *args: object, **values: object) -> Message:
        """This message with `values` filled in (marshmallow's validators call this)."""
        return Message(self.template, {**self.params, **values})

    def render(self, translate: Callable[[str], str], lang: str) -> str:
        """The message through `translate` (a gettext), names taken in `lang`."""
        return _render(self.template, self.params, translate, lang)


def _render(
    template: str, params: Mapping[str, object], translate: Callable[[str], str], lang: str
) -> str:
    values = {name: _value(value, translate, lang) for name, value in params.items()}
    text = translate(template)
    return text % values if values else text


def _value(value: object, translate: Callable[[str], str], lang: str) -> object:
    if isinstance(value, Message):
        return value.render(translate, lang)
    if isinstance(value, Mapping):  # names by language: this one, else the first given
        return value.get(lang) or next((name for name in value.values() if name), "")
    return value
