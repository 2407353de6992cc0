"""A heritage site: a monument, museum or cemetery."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.collation import name_sort_keys
from heritage.models.base import Base
from heritage.models.mixins import EditableMixin
from heritage.vocab import LANGUAGES

if TYPE_CHECKING:
    from heritage.models.collection_object import CollectionObject
    from heritage.models.gravestone import Gravestone
    from heritage.models.photo import Photo
    from heritage.models.restoration import RestorationRecord
    from heritage.models.survey import ConditionSurvey


class Site(EditableMixin, Base):
    __tablename__ = "sites"
    # For the public pages at scale: the newest published, the neighbours of a place, and
    # the counts of the browse filters, each read from an index alone.
    __table_args__ = (
        Index("ix_sites_status_published_at", "status", "published_at"),
        Index("ix_sites_status_place", "status", "location_sensitive", "latitude", "longitude"),
        Index(
            "ix_sites_status_facets",
            "status",
            "category",
            "site_type",
            "district",
            "condition",
            "year_from",
        ),
        *(
            Index(f"ix_sites_status_sort_key_{lang}", "status", f"sort_key_{lang}")
            for lang in LANGUAGES
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    inventory_number: Mapped[str | None] = mapped_column(String(60), unique=True)
    category: Mapped[str] = mapped_column(String(30), index=True)
    site_type: Mapped[str] = mapped_column(String(30), index=True)

    name_az: Mapped[str | None] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    name_ru: Mapped[str | None] = mapped_column(String(300))
    # Alternative and historical names, in any language or script.
    alternative_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    description_az: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    description_ru: Mapped[str | None] = mapped_column(Text)

    district: Mapped[str] = mapped_column(String(30), index=True)
    settlement: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # True when the coordinates mark the area, not the exact spot.
    location_approximate: Mapped[bool] = mapped_column(default=False)
    # True when the exact location must not be public (looting risk, say).
    location_sensitive: Mapped[bool] = mapped_column(default=False)

    # The period as written ("18th–19th century", "Late Bronze Age"), in each language.
    period_az: Mapped[str | None] = mapped_column(String(200))
    period_en: Mapped[str | None] = mapped_column(String(200))
    period_ru: Mapped[str | None] = mapped_column(String(200))
    # Negative years are BCE; both bounds allow range search ("which sites stood in 1500?").
    year_from: Mapped[int | None] = mapped_column(index=True)
    year_to: Mapped[int | None]

    protection_level: Mapped[str | None] = mapped_column(String(30))
    condition: Mapped[str | None] = mapped_column(String(30), index=True)
    clearance_status: Mapped[str] = mapped_column(String(30), default="not_surveyed", index=True)
    clearance_date: Mapped[date | None]
    clearance_reference: Mapped[str | None] = mapped_column(String(120))
    # The photo chosen to stand for the site on cards and the map; shown only while it is
    # published (else the first published general view stands in). Photos point at their
    # site too, so this constraint is added after both tables exist.
    cover_photo_id: Mapped[int | None] = mapped_column(
        ForeignKey("photos.id", use_alter=True, name="fk_sites_cover_photo_id_photos")
    )

    # The collation key (heritage.collation) of the name each language shows, kept by the
    # model whenever the names change, so that lists sort the reader's way in the database.
    # Derived, not content: packages of the archive's content leave them out.
    sort_key_az: Mapped[bytes | None] = mapped_column(LargeBinary, info={"derived": True})
    sort_key_en: Mapped[bytes | None] = mapped_column(LargeBinary, info={"derived": True})
    sort_key_ru: Mapped[bytes | None] = mapped_column(LargeBinary, info={"derived": True})

    records: Mapped[list[RestorationRecord]] = relationship(
        back_populates="site", order_by="RestorationRecord.id"
    )
    photos: Mapped[list[Photo]] = relationship(
        back_populates="site", order_by="Photo.id", foreign_keys="Photo.site_id"
    )
    objects: Mapped[list[CollectionObject]] = relationship(
        back_populates="site", order_by="CollectionObject.id"
    )
    gravestones: Mapped[list[Gravestone]] = relationship(
        back_populates="site", order_by="Gravestone.id"
    )
    surveys: Mapped[list[ConditionSurvey]] = relationship(
        back_populates="site", order_by="ConditionSurvey.survey_date"
    )

    @property
    def names(self) -> dict[str, str | None]:
        """Names keyed by language."""
        return {lang: getattr(self, f"name_{lang}") for lang in LANGUAGES}

    def name(self, lang: str = "az") -> str:
        """The name in `lang`, else the first name given in another language."""
        return self.in_language("name", lang) or self.slug

    def in_language(self, field: str, lang: str) -> str | None:
        """`field` (name, description, period) in `lang`, else in the first language that
        has it; None when none has."""
        texts = {code: getattr(self, f"{field}_{code}") for code in LANGUAGES}
        return texts.get(lang) or next((text for text in texts.values() if text), None)

    def __repr__(self) -> str:
        return f"<Site {self.id} {self.slug} {self.status} v{self.version}>"


@event.listens_for(Site, "before_insert")
@event.listens_for(Site, "before_update")
def _keep_sort_keys(_mapper, _connection, site: Site) -> None:
    for column, key in name_sort_keys(site.names, site.slug).items():
        setattr(site, column, key)
