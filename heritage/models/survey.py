"""A condition survey: a dated assessment of a site (or of one of its objects or gravestones),
of the damage found and what to do."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ColumnElement, ForeignKey, Index, String, Text, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base
from heritage.models.mixins import EditableMixin

if TYPE_CHECKING:
    from heritage.models.collection_object import CollectionObject
    from heritage.models.gravestone import Gravestone
    from heritage.models.photo import Photo
    from heritage.models.restoration import RestorationRecord
    from heritage.models.site import Site


class ConditionSurvey(EditableMixin, Base):
    __tablename__ = "condition_surveys"
    # A site's latest published survey, which sets its condition.
    __table_args__ = (
        Index("ix_condition_surveys_status_site", "status", "site_id", "survey_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    # What was surveyed when not the whole site: one of its objects or gravestones.
    object_id: Mapped[int | None] = mapped_column(ForeignKey("collection_objects.id"), index=True)
    gravestone_id: Mapped[int | None] = mapped_column(ForeignKey("gravestones.id"), index=True)
    survey_date: Mapped[date]
    assessor: Mapped[str | None] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(500))
    method: Mapped[str] = mapped_column(String(30))
    overall_condition: Mapped[str] = mapped_column(String(30))
    # The damage found: [{damage_type, extent}], several at once.
    damages: Mapped[list[dict]] = mapped_column(JSON, default=list)
    risk_level: Mapped[str] = mapped_column(String(20), index=True)
    urgency: Mapped[str] = mapped_column(String(20))
    findings_az: Mapped[str | None] = mapped_column(Text)
    findings_en: Mapped[str | None] = mapped_column(Text)
    findings_ru: Mapped[str | None] = mapped_column(Text)
    recommendations_az: Mapped[str | None] = mapped_column(Text)
    recommendations_en: Mapped[str | None] = mapped_column(Text)
    recommendations_ru: Mapped[str | None] = mapped_column(Text)

    site: Mapped[Site] = relationship(back_populates="surveys")
    object: Mapped[CollectionObject | None] = relationship()
    gravestone: Mapped[Gravestone | None] = relationship()
    photos: Mapped[list[Photo]] = relationship(back_populates="survey", order_by="Photo.id")
    # The restoration work it prompted.
    records: Mapped[list[RestorationRecord]] = relationship(
        back_populates="survey", order_by="RestorationRecord.id"
    )

    @classmethod
    def of_whole_site(cls) -> ColumnElement[bool]:
        """The surveys of a site as a whole (which set its condition), not of one part."""
        return and_(cls.object_id.is_(None), cls.gravestone_id.is_(None))

    @property
    def subject(self):
        """The object or gravestone surveyed, or None for the site as a whole."""
        return self.object or self.gravestone

    def title(self, lang: str = "az") -> str:
        return f"{self.survey_date.isoformat()}"

    def __repr__(self) -> str:
        return f"<ConditionSurvey {self.id} site={self.site_id} {self.survey_date}>"
