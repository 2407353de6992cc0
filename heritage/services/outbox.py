"""The index outbox: 'this record needs (re)indexing', written with the change itself."""

from __future__ import annotations

from heritage.extensions import db
from heritage.models import IndexOutbox


def enqueue(entity_type: str, entity_id: int) -> None:
    """Record, in the current transaction, that the search index must catch up on a record."""
    db.session.add(IndexOutbox(entity_type=entity_type, entity_id=entity_id))
