"""Field types shared by the input schemas."""

from __future__ import annotations

import re
import unicodedata

from marshmallow import ValidationError, fields, validate

from heritage.vocab import Vocabulary

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")


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
                "Contains control characters or line breaks that are not allowed."
            )
        return text


class Code(fields.String):
    """A code from a controlled vocabulary; the error lists the codes accepted."""

    def __init__(self, vocabulary: Vocabulary, **kwargs) -> None:
        choices = ", ".join(vocabulary.codes)
        kwargs["validate"] = validate.OneOf(vocabulary.codes, error=f"Must be one of: {choices}.")
        super().__init__(**kwargs)
        self.vocabulary = vocabulary
