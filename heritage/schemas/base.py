"""What every input schema shares: unknown fields refused, text no column can store refused,
blank fields read as 'not given'."""

from __future__ import annotations

from typing import ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load

from heritage.schemas.fields import NOT_TEXT, unstorable
from heritage.schemas.messages import SCHEMA_ERRORS, configure


class InputSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages: ClassVar[dict[str, str]] = SCHEMA_ERRORS

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        """Each field's messages, marshmallow's own included, as translatable Messages."""
        configure(field_obj)

    @pre_load
    def blank_to_none(self, data, **kwargs):
        """Forms send "" for an empty field; treat it as "no value"."""
        if not isinstance(data, dict):
            return data
        # Every door's text meets this rule, whichever field type takes it (passwords too).
        refused = {str(key): [NOT_TEXT] for key, value in data.items() if unstorable(value)}
        if refused:
            raise ValidationError(refused)
        self._given = set(data)
        return {
            key: (None if isinstance(v, str) and not v.strip() else v) for key, v in data.items()
        }

    def failed(self, data: dict, *names: str) -> bool:
        """Whether any of `names` was given but refused, so rules spanning it must wait.

        The cross-field checks run even when single fields fail, so that one submission
        shows every error; they skip the rules whose inputs are already known to be wrong.
        """
        given = getattr(self, "_given", set())
        return any(name in given and name not in data for name in names)
