"""The index outbox: 'this record needs (re)indexing', written with the change itself."""

from __future__ import annotations

from heritage.extensions import db
from heritage.models import IndexOutbox
from heritage.services import harvest


def enqueue(entity_type: str, entity_id: int) -> None:
    """Record, in the current transaction, that the search index must catch up on a record;
    the harvest rows catch up on it when the transaction commits."""
    db.session.add(IndexOutbox(entity_type=entity_type, entity_id=entity_id))
    harvest.note(entity_type, entity_id)
