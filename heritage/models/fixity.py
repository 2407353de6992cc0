"""One run of `heritage fixity`: when it ran and which originals it found changed, missing or
untracked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from heritage.models.base import Base, utcnow


class FixityRun(Base):
    """Kept for good: the record that the originals were checked, and what was found."""

    __tablename__ = "fixity_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Originals the database knows and files found under media/originals.
    photos: Mapped[int] = mapped_column(default=0)
    files: Mapped[int] = mapped_column(default=0)
    bytes_read: Mapped[int] = mapped_column(BigInteger, default=0)
    # [{"photo_id", "sha256", "path", "found_sha256"}]: content no longer matches its hash.
    changed: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{"photo_id", "sha256", "path"}]: the database knows the photo, the disk lacks the file.
    missing: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{"path", "sha256"}]: files under media/originals that no photo accounts for.
    untracked: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    @property
    def ok(self) -> bool:
        """True when every original is present and unchanged and nothing else is there."""
        return not (self.changed or self.missing or self.untracked)

    def __repr__(self) -> str:
        return (
            f"<FixityRun {self.id} changed={len(self.changed)} missing={len(self.missing)} "
            f"untracked={len(self.untracked)}>"
        )
