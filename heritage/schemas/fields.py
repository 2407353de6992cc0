"""Field types shared by the input schemas."""

from __future__ import annotations

import re
import unicodedata

from marshmallow import ValidationError, fields, validate

from heritage.text import N_
from heritage.vocab import LANGUAGES, Vocabulary

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")
# Halves of UTF-16 pairs on their own are not characters: no UTF-8 column can store one.
_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_TEXT = N_("Holds a lone surrogate (half of a UTF-16 pair), which is not a character.")


def unstorable(value: object) -> bool:
    """Whether `value` (a string, or a list of them) holds what no text column can store."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list | tuple):
        return any(isinstance(item, str) and _SURROGATE.search(item) for item in value)
    return False


class Text(fields.String):
    """A string, NFC-normalised and trimmed, without control characters.

    `multiline=False` also refuses line breaks (names, codes, references).
    """

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs) -> None:
        kwargs.setdefault("validate", validate.Length(max=max_length))
        super().__init__(**kwargs)
        self.multiline = multiline

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        # Browsers send a textarea's line breaks as CRLF: stored as LF, an unchanged text
        # saved again is no change.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = unicodedata.normalize("NFC", text).strip()
        if _CONTROL.search(text) or (not self.multiline and _LINE_BREAK.search(text)):
            raise ValidationError(
                N_("Contains control characters or line breaks that are not allowed.")
            )
        return text


class WholeNumber(fields.Integer):
    """An integer from any door: 1768 or "1768"; 1768.0 is 1768, but 1.5 or "1.5" is refused,
    never rounded."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Reference(WholeNumber):
    """The id of another record, optional: a whole number in the range ids take."""

    def __init__(self, **kwargs) -> None:
        super().__init__(allow_none=True, validate=validate.Range(min=1, max=2**31 - 1), **kwargs)


class Code(fields.String):
    """A code from a controlled vocabulary; the error lists the codes accepted."""

    def __init__(self, vocabulary: Vocabulary, **kwargs) -> None:
        kwargs["validate"] = validate.OneOf(vocabulary.codes)
        super().__init__(**kwargs)
        self.vocabulary = vocabulary


def by_language(prefix: str, description: str) -> fields.Function:
    """An output field {az, en, ru} of a record's `<prefix>_<lang>` attributes."""
    return fields.Function(
        lambda entity: {lang: getattr(entity, f"{prefix}_{lang}") for lang in LANGUAGES},
        metadata={"description": description, "type": "object"},
    )
