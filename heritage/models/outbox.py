"""Work the search index still owes the database, written in the same transaction as a change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from heritage.models.base import Base, utcnow


class IndexOutbox(Base):
    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<IndexOutbox {self.id} {self.entity_type}:{self.entity_id}>"
