"""A change proposed to a published record, waiting for an editor's review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base, utcnow
from heritage.models.user import User


class PendingRevision(Base):
    """At most one per record: later proposals revise it. Removed once it is published or
    sent back; the audit trail keeps every proposal and what became of it."""

    __tablename__ = "pending_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The table of the record it would change, and the record's id.
    entity_table: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int]
    # {field: proposed value} (JSON-ready), only the fields that differ from the live record.
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposed_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("entity_table", "entity_id"),)

    def __repr__(self) -> str:
        return f"<PendingRevision {self.entity_table}:{self.entity_id} {sorted(self.values)}>"
