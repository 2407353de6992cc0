"""Columns shared by the records staff edit and publish."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, and_
from sqlalchemy.orm import Mapped, declared_attr, foreign, mapped_column, relationship

from heritage.models.base import utcnow
from heritage.models.revision import PendingRevision
from heritage.vocab import DRAFT


class EditableMixin:
    """Publication status, optimistic-lock version and who created and changed it when."""

    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    # When the status last changed, and why it was withdrawn (shown on the withdrawn page).
    status_changed_at: Mapped[datetime | None]
    # When it was first published: a withdrawn record that once was public keeps its URL,
    # which then explains the withdrawal; one that never was answers 404.
    published_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    # Staff-only remarks; never shown to the public.
    internal_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    # The version and time of the last change the public could see: the public API's
    # `version` and `updated_at`, so staff work it cannot see (a proposal, an internal
    # note) never shows through them.
    public_version: Mapped[int] = mapped_column(default=1)
    public_updated_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # The UPDATE carries "WHERE version = <the version read>", so even two writers that
        # both passed the service's version check cannot overwrite each other.
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}

    @declared_attr
    def pending_revision(cls) -> Mapped[PendingRevision | None]:
        """The change proposed to it while published, waiting for review; None mostly."""
        return relationship(
            PendingRevision,
            primaryjoin=lambda: and_(
                PendingRevision.entity_table == cls.__tablename__,
                foreign(PendingRevision.entity_id) == cls.id,
            ),
            viewonly=True,
            uselist=False,
        )
