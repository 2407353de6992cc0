"""Demo photos: a general view of every site and before/after pairs of finished work (plus a
view of work in progress), drawn by heritage.media.samples and uploaded through the same
service as any restorer's photo. Idempotent: a photo is known by its site and file name.

The pictures are illustrations, and their captions and alt text say so.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from heritage.extensions import db
from heritage.media import samples
from heritage.models import Photo, User
from heritage.services import photos
from heritage.vocab import IN_REVIEW, PUBLISHED, SITE_TYPES

AZERBAIJAN = timezone(timedelta(hours=4))
CAMERAS = (
    ("Apple", "iPhone 13 Pro"),
    ("Samsung", "SM-S911B"),
    ("Canon", "Canon EOS R6"),
    ("NIKON CORPORATION", "NIKON Z 7II"),
)
# What each stage shows, in az/en/ru: (caption ending, state drawn, alt text template).
STAGES = {
    "general": (
        ("ümumi görünüş", "general view", "общий вид"),
        "whole",
        (
            "Təsvir: {az} səma fonunda.",
            "Illustration: the {en} against the sky.",
            "Иллюстрация: {ru} на фоне неба.",
        ),
    ),
    "before": (
        ("işlərdən əvvəl", "before the work", "до работ"),
        "ruined",
        (
            "Təsvir: çatlamış, hörgüsü uçmuş {az}.",
            "Illustration: the {en}, cracked and with masonry missing.",
            "Иллюстрация: {ru} с трещинами и утратами кладки.",
        ),
    ),
    "during": (
        ("işlər zamanı", "during the work", "во время работ"),
        "scaffolded",
        (
            "Təsvir: iskele içində {az}.",
            "Illustration: the {en} in scaffolding.",
            "Иллюстрация: {ru} в строительных лесах.",
        ),
    ),
    "after": (
        ("işlərdən sonra", "after the work", "после работ"),
        "whole",
        (
            "Təsvir: bərpadan sonra bütöv {az}.",
            "Illustration: the {en}, whole again after the work.",
            "Иллюстрация: {ru}, снова целый после работ.",
        ),
    ),
}


@dataclass(frozen=True)
class PlannedPhoto:
    site: dict
    record: dict | None
    stage: str
    number: int

    @property
    def filename(self) -> str:
        return f"IMG_{self.number:04d}.JPG"


def plan(data: dict) -> list[PlannedPhoto]:
    """Which photos the demo holds: a general view of each site, and at each site a
    before/after pair of the first finished work and a view of the first work going on."""
    sites = {entry["slug"]: entry for entry in data["sites"]}
    planned = [PlannedPhoto(site, None, "general", 0) for site in data["sites"]]
    stages = {"completed": ("before", "after"), "in_progress": ("during",)}
    shown: set[tuple[str, str]] = set()
    for record in data["records"]:
        key = (record["site"], record["work_status"])
        if record["work_status"] in stages and key not in shown:
            shown.add(key)
            for stage in stages[record["work_status"]]:
                planned.append(PlannedPhoto(sites[record["site"]], record, stage, 0))
    return [PlannedPhoto(p.site, p.record, p.stage, number) for number, p in enumerate(planned, 1)]


def ensure_photos(
    planned: list[PlannedPhoto],
    site_ids: dict[str, int],
    record_ids: dict[tuple[int, str], int],
    actor: User,
) -> Iterator[bool]:
    """Upload each planned photo that is missing; yields whether each one was added.

    The next picture is drawn in a second thread while the one before is being uploaded.
    """
    missing = [photo for photo in planned if not _exists(photo, site_ids)]
    with ThreadPoolExecutor(1, thread_name_prefix="demo-painter") as painter:
        pictures = iter([painter.submit(_picture, photo) for photo in missing])
        for photo in planned:
            if photo not in missing:
                yield False
                continue
            site_id = site_ids[photo.site["slug"]]
            record_id = record_ids[site_id, photo.record["title"]] if photo.record else None
            result = photos.upload_photo(
                site_id,
                io.BytesIO(next(pictures).result()),
                photo.filename,
                {**_description(photo), "stage": photo.stage, "record_id": record_id},
                actor=actor,
            )
            _publish_like_parent(result.photo, photo, actor)
            yield not result.duplicate


def _exists(photo: PlannedPhoto, site_ids: dict[str, int]) -> bool:
    query = select(Photo.id).where(
        Photo.site_id == site_ids[photo.site["slug"]], Photo.original_filename == photo.filename
    )
    return db.session.scalar(query) is not None


def _picture(photo: PlannedPhoto) -> bytes:
    rng = random.Random(photo.filename)  # noqa: S311 - a made-up camera, not a secret
    site = photo.site
    position = None
    if photo.number % 2 and site.get("latitude") is not None:
        position = (
            site["latitude"] + rng.uniform(-0.0005, 0.0005),
            site["longitude"] + rng.uniform(-0.0005, 0.0005),
        )
    shot = samples.Shot(
        taken=datetime.combine(_day(photo), time(rng.randrange(8, 18), rng.randrange(60))).replace(
            tzinfo=AZERBAIJAN
        ),
        camera=CAMERAS[photo.number % len(CAMERAS)],
        position=position,
    )
    state = STAGES[photo.stage][1]
    return samples.photograph(photo.filename, site["site_type"], state, shot)


def _day(photo: PlannedPhoto) -> date:
    record = photo.record
    if photo.stage == "before":
        return date.fromisoformat(record["start_date"]) - timedelta(days=3)
    if photo.stage == "after":
        return date.fromisoformat(record["end_date"]) + timedelta(days=5)
    if photo.stage == "during":
        return date.fromisoformat(record["start_date"]) + timedelta(days=20)
    return date(2023, 6, 1) + timedelta(days=photo.number * 3)


def _description(photo: PlannedPhoto) -> dict:
    site = photo.site
    endings, _state, alts = STAGES[photo.stage]
    subject = photo.record["title"] if photo.record else None
    term = SITE_TYPES[site["site_type"]]
    values = {
        "photographer": "Heritage demo",
        "credit": "Illustration made for the heritage demo archive",
        "licence": "CC0-1.0",
    }
    for n, lang in enumerate(("az", "en", "ru")):
        title = subject or site[f"name_{lang}"]
        values[f"caption_{lang}"] = f"{title}: {endings[n]}."
        kind = getattr(term, lang)
        values[f"alt_{lang}"] = alts[n].format(**{lang: kind.lower() if lang != "az" else kind})
    return values


def _publish_like_parent(photo: Photo, planned: PlannedPhoto, actor: User) -> None:
    """A photo goes as far in the workflow as the record or site it shows (the loader, an
    admin, publishes straight from draft: one transaction fewer per photo)."""
    status = (planned.record or planned.site)["status"]
    if planned.record and planned.site["status"] != PUBLISHED:
        status = planned.site["status"]
    if status == PUBLISHED:
        photos.publish_photo(photo.id, actor=actor, version=photo.version)
    elif status == IN_REVIEW:
        photos.submit_photo(photo.id, actor=actor, version=photo.version)
