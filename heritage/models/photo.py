"""A photo's metadata. The original file lives in media/ under its SHA-256."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from heritage.models.base import Base
from heritage.models.mixins import EditableMixin
from heritage.vocab import LANGUAGES

if TYPE_CHECKING:
    from heritage.models.collection_object import CollectionObject
    from heritage.models.gravestone import Gravestone
    from heritage.models.restoration import RestorationRecord
    from heritage.models.site import Site
    from heritage.models.survey import ConditionSurvey


class Photo(EditableMixin, Base):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("restoration_records.id"), index=True)
    # Or it shows one object, gravestone or condition survey of the site (at most one of
    # these four; see services/photos.py).
    object_id: Mapped[int | None] = mapped_column(ForeignKey("collection_objects.id"), index=True)
    gravestone_id: Mapped[int | None] = mapped_column(ForeignKey("gravestones.id"), index=True)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("condition_surveys.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="general")

    # The original's content address: one photo per original, so an identical upload is found.
    sha256: Mapped[str] = mapped_column(String(64), index=True, unique=True)
    size_bytes: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(50))
    # The pixel size as the photo is seen, EXIF orientation applied.
    width: Mapped[int]
    height: Mapped[int]
    # The uploader's file name, kept as metadata only; nothing on disk is named from it.
    original_filename: Mapped[str | None] = mapped_column(String(255))

    # From EXIF. GPS is staff-only: never in anything public.
    captured_at: Mapped[datetime | None]
    camera: Mapped[str | None] = mapped_column(String(200))
    orientation: Mapped[int | None]
    gps_latitude: Mapped[float | None]
    gps_longitude: Mapped[float | None]

    caption_az: Mapped[str | None] = mapped_column(Text)
    caption_en: Mapped[str | None] = mapped_column(Text)
    caption_ru: Mapped[str | None] = mapped_column(Text)
    alt_az: Mapped[str | None] = mapped_column(String(500))
    alt_en: Mapped[str | None] = mapped_column(String(500))
    alt_ru: Mapped[str | None] = mapped_column(String(500))
    photographer: Mapped[str | None] = mapped_column(String(200))
    credit: Mapped[str | None] = mapped_column(String(300))
    licence: Mapped[str | None] = mapped_column(String(100))

    site: Mapped[Site] = relationship(back_populates="photos", foreign_keys=[site_id])
    record: Mapped[RestorationRecord | None] = relationship(back_populates="photos")
    object: Mapped[CollectionObject | None] = relationship(back_populates="photos")
    gravestone: Mapped[Gravestone | None] = relationship(back_populates="photos")
    survey: Mapped[ConditionSurvey | None] = relationship(back_populates="photos")

    @property
    def subject(self):
        """The record, object, gravestone or survey it belongs to besides its site, if any."""
        return self.record or self.object or self.gravestone or self.survey

    @property
    def captions(self) -> dict[str, str | None]:
        return {lang: getattr(self, f"caption_{lang}") for lang in LANGUAGES}

    @property
    def alts(self) -> dict[str, str | None]:
        """Alt texts keyed by language."""
        return {lang: getattr(self, f"alt_{lang}") for lang in LANGUAGES}

    @property
    def derivative_key(self) -> str:
        """The part of its derivatives' URLs that changes whenever the photo, its site or its
        record changes status: a copy cached for a year under one publication is never
        linked again once the photo leaves public view, and its URL then answers 404."""
        stamps = [self.status_changed_at, self.site.status_changed_at]
        if self.subject is not None:
            stamps.append(self.subject.status_changed_at)
        text = "|".join(stamp.isoformat() if stamp else "-" for stamp in stamps)
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()

    @property
    def iiif_identifier(self) -> str:
        """Its IIIF Image API identifier: its id and its derivative key, so that, like its
        derivatives, the info.json and tiles cached under one publication are never linked
        again once it leaves public view, and their addresses then answer 404."""
        return f"{self.id}-{self.derivative_key}"

    def __repr__(self) -> str:
        return f"<Photo {self.id} {self.sha256[:12]} site={self.site_id}>"
