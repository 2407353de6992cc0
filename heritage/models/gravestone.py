"""A gravestone: one burial marker of a cemetery or necropolis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base
from heritage.models.mixins import EditableMixin
from heritage.vocab import LANGUAGES

if TYPE_CHECKING:
    from heritage.models.photo import Photo
    from heritage.models.site import Site


class Gravestone(EditableMixin, Base):
    __tablename__ = "gravestones"
    # For the public list of a cemetery's published gravestones, in their order.
    __table_args__ = (Index("ix_gravestones_status_site", "status", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    # Its number, and where it stands: section, row, plot (any may be unknown).
    number: Mapped[str] = mapped_column(String(40))
    section: Mapped[str | None] = mapped_column(String(40))
    row: Mapped[str | None] = mapped_column(String(40))
    plot: Mapped[str | None] = mapped_column(String(40))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    marker_type: Mapped[str] = mapped_column(String(20), index=True)
    material: Mapped[str | None] = mapped_column(String(200))
    decoration: Mapped[str | None] = mapped_column(Text)
    condition: Mapped[str | None] = mapped_column(String(30))
    damage: Mapped[str | None] = mapped_column(Text)

    # Everyone the stone names: [{name_inscribed, name_read, birth_year, death_year}], the
    # years in `calendar` as written on the stone.
    persons: Mapped[list[dict]] = mapped_column(JSON, default=list)
    calendar: Mapped[str] = mapped_column(String(20), default="gregorian")

    # The inscription as written (often right to left), its language and script, how it
    # reads in Latin letters, and what it says.
    inscription: Mapped[str | None] = mapped_column(Text)
    inscription_language: Mapped[str | None] = mapped_column(String(20))
    inscription_reading: Mapped[str | None] = mapped_column(Text)
    translation_az: Mapped[str | None] = mapped_column(Text)
    translation_en: Mapped[str | None] = mapped_column(Text)
    translation_ru: Mapped[str | None] = mapped_column(Text)

    photos: Mapped[list[Photo]] = relationship(back_populates="gravestone", order_by="Photo.id")
    site: Mapped[Site] = relationship(back_populates="gravestones")

    @property
    def translations(self) -> dict[str, str | None]:
        return {lang: getattr(self, f"translation_{lang}") for lang in LANGUAGES}

    def title(self, lang: str = "az") -> str:
        """What a list calls it: the first name read (or inscribed), else its number."""
        for person in self.persons or []:
            name = person.get("name_read") or person.get("name_inscribed")
            if name:
                return name
        return f"№ {self.number}"

    def __repr__(self) -> str:
        return f"<Gravestone {self.id} {self.number} site={self.site_id}>"
