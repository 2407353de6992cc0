"""What a workflow step may carry, from any door."""

from __future__ import annotations

from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Text


class StepInput(InputSchema):
    """What a workflow step may carry: the reason (withdraw) or comment (send back)."""

    note = Text(max_length=2000, multiline=True, allow_none=True)
