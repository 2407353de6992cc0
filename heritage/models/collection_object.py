"""A collection object: something a site (usually a museum) holds or held."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base
from heritage.models.mixins import EditableMixin
from heritage.vocab import LANGUAGES

if TYPE_CHECKING:
    from heritage.models.photo import Photo
    from heritage.models.site import Site


class CollectionObject(EditableMixin, Base):
    __tablename__ = "collection_objects"
    __table_args__ = (
        # The museum's own inventory number identifies one object of that museum.
        UniqueConstraint("site_id", "inventory_number"),
        # For the public lists: a museum's published collection, the missing objects.
        Index("ix_collection_objects_status_site", "status", "site_id", "object_status"),
        Index("ix_collection_objects_status_missing", "status", "object_status", "object_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    inventory_number: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(30), index=True)

    title_az: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    title_ru: Mapped[str | None] = mapped_column(String(300))
    description_az: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    description_ru: Mapped[str | None] = mapped_column(Text)

    materials: Mapped[str | None] = mapped_column(Text)
    technique: Mapped[str | None] = mapped_column(Text)
    dimensions: Mapped[str | None] = mapped_column(String(300))
    date_text: Mapped[str | None] = mapped_column(String(200))
    # Negative years are BCE, as for sites.
    year_from: Mapped[int | None]
    year_to: Mapped[int | None]
    # Maker, school or culture.
    maker: Mapped[str | None] = mapped_column(String(300))
    provenance: Mapped[str | None] = mapped_column(Text)
    current_location: Mapped[str | None] = mapped_column(String(500))

    # Every known change of where the object is: [{status, date, evidence, source}], in the
    # order they happened; `object_status` is the latest one, kept for lists and filters.
    status_history: Mapped[list[dict]] = mapped_column(JSON, default=list)
    object_status: Mapped[str] = mapped_column(String(20), index=True)

    photos: Mapped[list[Photo]] = relationship(back_populates="object", order_by="Photo.id")
    site: Mapped[Site] = relationship(back_populates="objects")

    @property
    def titles(self) -> dict[str, str | None]:
        """Titles keyed by language."""
        return {lang: getattr(self, f"title_{lang}") for lang in LANGUAGES}

    def title(self, lang: str = "az") -> str:
        """The title in `lang`, else the first title given in another language."""
        titles = self.titles
        return titles.get(lang) or next((t for t in titles.values() if t), self.inventory_number)

    def __repr__(self) -> str:
        return f"<CollectionObject {self.id} {self.inventory_number} site={self.site_id}>"
