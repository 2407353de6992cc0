"""A condition survey: a dated assessment of a site, of the damage found and what to do."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base
from heritage.models.mixins import EditableMixin

if TYPE_CHECKING:
    from heritage.models.site import Site


class ConditionSurvey(EditableMixin, Base):
    __tablename__ = "condition_surveys"
    # A site's latest published survey, which sets its condition.
    __table_args__ = (
        Index("ix_condition_surveys_status_site", "status", "site_id", "survey_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
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

    def title(self, lang: str = "az") -> str:
        return f"{self.survey_date.isoformat()}"

    def __repr__(self) -> str:
        return f"<ConditionSurvey {self.id} site={self.site_id} {self.survey_date}>"
