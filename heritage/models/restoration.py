"""A restoration record: one piece of work done (or planned) on a site."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base
from heritage.models.mixins import EditableMixin

if TYPE_CHECKING:
    from heritage.models.photo import Photo
    from heritage.models.site import Site
    from heritage.models.survey import ConditionSurvey


class RestorationRecord(EditableMixin, Base):
    __tablename__ = "restoration_records"

    # For the public pages at scale: the newest published work, and how much is public.
    __table_args__ = (
        Index("ix_restoration_records_status_published_at", "status", "published_at"),
        Index("ix_restoration_records_status_site", "status", "site_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    work_type: Mapped[str] = mapped_column(String(40), index=True)
    work_status: Mapped[str] = mapped_column(String(20), index=True)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    organisation: Mapped[str | None] = mapped_column(String(500))
    team: Mapped[str | None] = mapped_column(String(500))
    # Markdown; rendered through a sanitiser.
    description: Mapped[str | None] = mapped_column(Text)
    materials: Mapped[str | None] = mapped_column(Text)
    techniques: Mapped[str | None] = mapped_column(Text)
    condition_before: Mapped[str | None] = mapped_column(String(30))
    condition_after: Mapped[str | None] = mapped_column(String(30))
    # Set when work was recorded as started on a site not cleared of mines: the explicit
    # override the clearance rule demands, with its reason.
    clearance_override_reason: Mapped[str | None] = mapped_column(Text)
    # The condition survey that prompted the work, if one did.
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("condition_surveys.id"), index=True)

    site: Mapped[Site] = relationship(back_populates="records")
    photos: Mapped[list[Photo]] = relationship(back_populates="record", order_by="Photo.id")
    survey: Mapped[ConditionSurvey | None] = relationship(back_populates="records")

    def __repr__(self) -> str:
        return (
            f"<RestorationRecord {self.id} site={self.site_id} {self.work_status} v{self.version}>"
        )
