"""Writing and reading the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from heritage.extensions import db
from heritage.models import AuditEvent, User


def jsonable(value: Any) -> Any:
    """A value as it is kept in a diff: dates as ISO strings, lists copied."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def snapshot(entity: Any, fields: list[str]) -> dict[str, Any]:
    """The current values of `fields`, JSON-ready."""
    return {name: jsonable(getattr(entity, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record_event(
    entity_type: str,
    entity_id: int,
    action: str,
    *,
    actor: User | None,
    changes: dict[str, list[Any]] | None = None,
    note: str | None = None,
    version: int | None = None,
    public: bool,
) -> AuditEvent:
    """Add an event to the current transaction; it commits (or not) with the change.

    `public`: whether the change altered what the public sees. The newest such event is the
    revision of every public page (services/revision.py), so staff work on anything the
    public does not see never shows through its validators.
    """
    event = AuditEvent(
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        actor_id=actor.id if actor else None,
        changes=changes or {},
        note=note,
        version=version,
        public=public,
    )
    db.session.add(event)
    return event


def history(entity_type: str, entity_id: int) -> list[AuditEvent]:
    """Every event of one record, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(query))
