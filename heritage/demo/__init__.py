"""The demo archive: real sites of Karabakh and East Zangezur, loaded through the services.

The descriptions (and the museums' collection objects, objects.json, and the gravestones
and condition surveys, cemeteries.json) are illustrative, the photos drawn (see
demo/photos.py). Loading is idempotent: a site is known by its slug, a record by its site
and title, a photo by its site and file name, a gravestone by its cemetery and number, a
survey by its site, date and what it surveyed, and what exists already is left as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources

from sqlalchemy import select

from heritage.demo import photos as demo_photos
from heritage.extensions import db
from heritage.models import (
    CollectionObject,
    ConditionSurvey,
    Gravestone,
    RestorationRecord,
    Site,
    User,
)
from heritage.services import collection, gravestones, restorations, sites, surveys, users
from heritage.vocab import DRAFT, IN_REVIEW, PUBLISHED

DEMO_USER_EMAIL = "demo-loader@heritage.invalid"

# The workflow steps that take a new draft to each publication status.
_STEPS_TO = {DRAFT: (), IN_REVIEW: ("submit",), PUBLISHED: ("submit", "publish")}


@dataclass
class DemoReport:
    sites_created: int = 0
    sites_existing: int = 0
    records_created: int = 0
    records_existing: int = 0
    photos_created: int = 0
    photos_existing: int = 0
    objects_created: int = 0
    objects_existing: int = 0
    gravestones_created: int = 0
    gravestones_existing: int = 0
    surveys_created: int = 0
    surveys_existing: int = 0


def demo_data() -> dict:
    """The demo sites and records, and the collection objects of its museums, as shipped with
    the package."""
    folder = resources.files("heritage.demo")
    data = json.loads(folder.joinpath("sites.json").read_text(encoding="utf-8"))
    objects = json.loads(folder.joinpath("objects.json").read_text(encoding="utf-8"))
    cemeteries = json.loads(folder.joinpath("cemeteries.json").read_text(encoding="utf-8"))
    return {
        **data,
        "objects": objects["objects"],
        "gravestones": cemeteries["gravestones"],
        "surveys": cemeteries["surveys"],
    }


def load_demo(progress: Callable[[int, int], None] | None = None) -> DemoReport:
    """Add whatever of the demo archive is missing, acting as the demo loader account."""
    data = demo_data()
    actor = users.ensure_system_user(DEMO_USER_EMAIL, "Demo loader", "admin")
    report = DemoReport()
    planned_photos = demo_photos.plan(data)
    total = sum(
        len(data[part]) for part in ("sites", "records", "objects", "gravestones", "surveys")
    ) + len(planned_photos)
    done = 0
    site_ids: dict[str, int] = {}
    for entry in data["sites"]:
        site_ids[entry["slug"]], created = _ensure_site(entry, actor)
        report.sites_created += created
        report.sites_existing += not created
        done += 1
        if progress:
            progress(done, total)
    for entry in data["records"]:
        created = _ensure_record(entry, site_ids[entry["site"]], actor)
        report.records_created += created
        report.records_existing += not created
        done += 1
        if progress:
            progress(done, total)
    for entry in data["objects"]:
        created = _ensure_object(entry, site_ids[entry["site"]], actor)
        report.objects_created += created
        report.objects_existing += not created
        done += 1
        if progress:
            progress(done, total)
    for entry in data["gravestones"]:
        created = _ensure_gravestone(entry, site_ids[entry["site"]], actor)
        report.gravestones_created += created
        report.gravestones_existing += not created
        done += 1
        if progress:
            progress(done, total)
    for entry in data["surveys"]:
        created = _ensure_survey(entry, site_ids[entry["site"]], actor)
        report.surveys_created += created
        report.surveys_existing += not created
        done += 1
        if progress:
            progress(done, total)
    record_ids = _record_ids(site_ids)
    for created in demo_photos.ensure_photos(planned_photos, site_ids, record_ids, actor):
        report.photos_created += created
        report.photos_existing += not created
        done += 1
        if progress:
            progress(done, total)
    return report


def _record_ids(site_ids: dict[str, int]) -> dict[tuple[int, str], int]:
    """The demo records' ids by (site id, title), as records are known."""
    query = select(RestorationRecord.site_id, RestorationRecord.title, RestorationRecord.id).where(
        RestorationRecord.site_id.in_(site_ids.values())
    )
    return {(site_id, title): record_id for site_id, title, record_id in db.session.execute(query)}


def _ensure_site(entry: dict, actor: User) -> tuple[int, bool]:
    existing = db.session.scalar(select(Site.id).where(Site.slug == entry["slug"]))
    if existing is not None:
        return existing, False
    fields = {key: value for key, value in entry.items() if key != "status"}
    site = sites.create_site(fields, actor=actor)
    for step in _STEPS_TO[entry["status"]]:
        site = getattr(sites, f"{step}_site")(site.id, actor=actor, version=site.version)
    return site.id, True


def _ensure_record(entry: dict, site_id: int, actor: User) -> bool:
    query = select(RestorationRecord.id).where(
        RestorationRecord.site_id == site_id, RestorationRecord.title == entry["title"]
    )
    if db.session.scalar(query) is not None:
        return False
    fields = {key: value for key, value in entry.items() if key not in ("site", "status")}
    record = restorations.create_record(site_id, fields, actor=actor)
    for step in _STEPS_TO[entry["status"]]:
        record = getattr(restorations, f"{step}_record")(
            record.id, actor=actor, version=record.version
        )
    return True


def _ensure_object(entry: dict, site_id: int, actor: User) -> bool:
    query = select(CollectionObject.id).where(
        CollectionObject.site_id == site_id,
        CollectionObject.inventory_number == entry["inventory_number"],
    )
    if db.session.scalar(query) is not None:
        return False
    fields = {key: value for key, value in entry.items() if key not in ("site", "status")}
    obj = collection.create_object(site_id, fields, actor=actor)
    for step in _STEPS_TO[entry["status"]]:
        obj = collection.change_object_status(obj.id, step, actor=actor, version=obj.version)
    return True


def _ensure_gravestone(entry: dict, site_id: int, actor: User) -> bool:
    query = select(Gravestone.id).where(
        Gravestone.site_id == site_id, Gravestone.number == entry["number"]
    )
    if db.session.scalar(query) is not None:
        return False
    fields = {key: value for key, value in entry.items() if key not in ("site", "status")}
    stone = gravestones.create_gravestone(site_id, fields, actor=actor)
    for step in _STEPS_TO[entry["status"]]:
        stone = gravestones.change_gravestone_status(
            stone.id, step, actor=actor, version=stone.version
        )
    return True


def _ensure_survey(entry: dict, site_id: int, actor: User) -> bool:
    stone_id = None
    if "gravestone" in entry:
        stone_id = db.session.scalar(
            select(Gravestone.id).where(
                Gravestone.site_id == site_id, Gravestone.number == entry["gravestone"]
            )
        )
    query = select(ConditionSurvey.id).where(
        ConditionSurvey.site_id == site_id,
        ConditionSurvey.survey_date == date.fromisoformat(entry["survey_date"]),
        ConditionSurvey.gravestone_id.is_(None)
        if stone_id is None
        else ConditionSurvey.gravestone_id == stone_id,
    )
    if db.session.scalar(query) is not None:
        return False
    fields = {k: v for k, v in entry.items() if k not in ("site", "status", "gravestone")}
    if stone_id is not None:
        fields["gravestone_id"] = stone_id
    survey = surveys.create_survey(site_id, fields, actor=actor)
    for step in _STEPS_TO[entry["status"]]:
        survey = surveys.change_survey_status(survey.id, step, actor=actor, version=survey.version)
    return True
