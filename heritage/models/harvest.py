"""What harvesters see: one row per record that is or once was public, for OAI-PMH."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from heritage.models.base import Base


class HarvestRecord(Base):
    """The public state of one site or restoration record, as of `datestamp`.

    Derived data, written in the same transaction as the change it follows. A change to
    what the public sees replaces the row by a new one, so the ids increase in the order
    harvesters must see changes: a keyset on the id never skips nor repeats a record while
    the archive changes under a harvest. A record that leaves the public view keeps a row
    marked deleted, forever; one that never was public has none.
    """

    __tablename__ = "harvest_records"
    __table_args__ = (
        UniqueConstraint("entity_type", "entity_id"),
        Index("ix_harvest_records_datestamp", "datestamp", "id"),
        # Never reuse the id of a deleted row (SQLite would, for the highest one).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int]
    # When the public last saw this record change (or leave), to the second.
    datestamp: Mapped[datetime]
    deleted: Mapped[bool] = mapped_column(default=False)
    # A digest of what the public sees; a save that leaves it equal keeps the datestamp.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    # The sets it belongs to: the site's (a record's site's) category, type and district.
    category: Mapped[str | None] = mapped_column(String(30), index=True)
    site_type: Mapped[str | None] = mapped_column(String(30), index=True)
    district: Mapped[str | None] = mapped_column(String(30), index=True)

    def __repr__(self) -> str:
        state = "deleted" if self.deleted else "public"
        return f"<HarvestRecord {self.id} {self.entity_type}:{self.entity_id} {state}>"
