"""The audit trail: one append-only row per change, with its field-level diff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, true
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from heritage.models.base import Base, utcnow
from heritage.models.user import User


class AuditEvent(Base):
    """Never updated, never deleted: the ORM refuses it and a database trigger does too."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(30))
    # The record's version after this change, so "what changed since version N" is a query.
    version: Mapped[int | None]
    # {field: [old, new]} with JSON-ready values.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The reason or comment that came with the change (a withdrawal's reason, say).
    note: Mapped[str | None] = mapped_column(Text)
    # Whether the change altered what the public sees (events from before this was kept
    # count as public): the newest such event is the public pages' revision.
    public: Mapped[bool] = mapped_column(server_default=true())

    actor: Mapped[User | None] = relationship()

    __table_args__ = (
        Index("ix_audit_events_entity", "entity_type", "entity_id", "id"),
        Index("ix_audit_events_public", "public", "id"),
    )

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.entity_type}:{self.entity_id}>"


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session, _flush_context, _instances) -> None:
    """The trail is append-only: refuse to flush any change or deletion of an event."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("audit events are append-only")
