"""One spreadsheet import: who ran it on which file, how far it got, what it wrote (so that
it can be undone as a whole)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base, utcnow
from heritage.models.user import User

# queued → running → done (written), refused (nothing written: problems, or rolled back),
# checked (a dry run), failed (stopped by an error); done → undone.
RUN_STATES = ("queued", "running", "done", "refused", "checked", "failed", "undone")


class ImportRun(Base):
    """Kept for good, like the audit trail: the record that a file was imported."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    dry_run: Mapped[bool]
    skip_invalid: Mapped[bool] = mapped_column(default=False)
    submit: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    rows_total: Mapped[int | None]
    rows_done: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    problems: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moves with every batch: a running import that stops moving has lost its process.
    progressed_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # Why it failed, for a person (an error that stopped it; problems are in `report`).
    error: Mapped[str | None] = mapped_column(String(2000))
    # The report when finished: {"outcomes": [...], "problems": [...]}.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])

    def __repr__(self) -> str:
        return f"<ImportRun {self.id} {self.filename!r} {self.state}>"


class ImportRunEntry(Base):
    """One record an import created or updated, at the version it left it."""

    __tablename__ = "import_run_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"), index=True)
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(10))  # "create" or "update"
    version: Mapped[int]
    # On update: the version before it, which an undo brings back as a new version.
    version_before: Mapped[int | None]
    # On update: {field: [value before, value after]}, what an undo puts back.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<ImportRunEntry {self.run_id} {self.action} {self.entity_type} {self.entity_id}>"
