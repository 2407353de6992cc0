"""The index outbox: 'this record needs (re)indexing', written with the change itself."""

from __future__ import annotations

from heritage.extensions import db
from heritage.models import IndexOutbox
from heritage.services import harvest

_QUEUED = "heritage.index_queued"


def enqueue(entity_type: str, entity_id: int) -> None:
    """Record, in the current transaction, that the search index must catch up on a record;
    the harvest rows catch up on it when the transaction commits."""
    row = IndexOutbox(entity_type=entity_type, entity_id=entity_id)
    db.session.add(row)
    db.session.info.setdefault(_QUEUED, []).append(row)
    harvest.note(entity_type, entity_id)


def queued() -> list[IndexOutbox]:
    """The outbox rows this transaction added (and forgets them)."""
    return db.session.info.pop(_QUEUED, [])


def forget() -> None:
    """Drop what was queued (the transaction was undone)."""
    db.session.info.pop(_QUEUED, None)
