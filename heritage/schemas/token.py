"""Validation of new API tokens."""

from __future__ import annotations

from marshmallow import fields

from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Text


class TokenInput(InputSchema):
    """What a person chooses for a new token."""

    name = Text(max_length=100, required=True)
    read_only = fields.Boolean(load_default=False)
