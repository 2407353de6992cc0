"""Counts of what the public sees, kept in the transaction of each change."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from heritage.models.base import Base


class PublicCount(Base):
    """One row per count ("sites", "records", "sites.district=shusha", …; services/counts.py
    names them): a page reads a row, not the archive."""

    __tablename__ = "public_counts"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int]

    def __repr__(self) -> str:
        return f"<PublicCount {self.name}={self.count}>"
