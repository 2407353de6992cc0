"""How far each part of the public archive has changed: what public pages are validated by."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from heritage.models.base import Base


class PublicRevision(Base):
    """One row per scope of public content ("site:12", "sites", "home", …; services/revision.py
    names them). `revision` is the archive's public clock (the row of scope "*", moved by every
    public change, under its row lock, so numbers are handed out in commit order) at the scope's
    last change; a page's validator is the newest revision among the scopes it shows."""

    __tablename__ = "public_revisions"

    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    revision: Mapped[int] = mapped_column(index=True)
    changed_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<PublicRevision {self.scope} {self.revision}>"
