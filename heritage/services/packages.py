"""Preservation packages: sites with their restoration records, photos (the originals) and
full history, as BagIt bags for another archive or a preservation system.

A package is a staff export: every status, every field as recorded. Each site has a folder
`data/site-<id>/` holding `site.json` (the site, its records and photos, every field),
`site.csv`, `records.csv` and `photos.csv` (the same, for spreadsheets), `history.json`
(every audit event of the site, its records and photos) and `originals/photo-<id>.<ext>`.
No file is named from what a user typed.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from heritage.extensions import db
from heritage.models import AuditEvent, Photo, RestorationRecord, Site, User
from heritage.services import audit, bags
from heritage.services.errors import NotFound
from heritage.services.export import safe_cell
from heritage.services.permissions import require

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
}


def site_ids(
    *, slugs: Iterable[str] = (), query: str | None = None, everything: bool = False
) -> list[int]:
    """The ids of the sites named by slug (NotFound for one that is not), of the sites a
    staff search finds (directly or through their records and photos), or of them all."""
    if everything:
        return list(db.session.scalars(select(Site.id).order_by(Site.id)))
    if query is not None:
        from flask import current_app

        from heritage.services import search

        hits = search.all_hits(
            search.SearchParams(q=query),
            published_only=False,
            limit=current_app.config["SEARCH_EXPORT_LIMIT"],
        )
        found = {site.id: None for _kind, _entity, site in search.load_hits(hits, False)}
        return list(found)
    ids = []
    for slug in slugs:
        site_id = db.session.scalar(select(Site.id).where(Site.slug == slug))
        if site_id is None:
            raise NotFound(f"No site has the address {slug!r}.")
        ids.append(site_id)
    return ids


def export_bag(destination: Path, ids: list[int], *, actor: User | None) -> bags.Written:
    """Write the sites `ids` as one bag at `destination` (a folder that must not exist).

    `actor` None is the command line, run by whoever holds the server."""
    if actor is not None:
        require(actor, "read")
    description = f"{len(ids)} heritage sites with their restoration work, photos and history"

    def fill(folder: Path) -> None:
        for site_id in ids:
            _write_site(folder / f"site-{site_id}", site_id)

    return bags.write_bag(Path(destination), fill, bags.bag_info(description))


def zipped_bag(site_id: int, *, actor: User) -> tuple[Path, Callable[[], None]]:
    """One site's package as a ZIP file to download, and what removes it once sent."""
    require(actor, "read")
    if db.session.get(Site, site_id) is None:
        raise NotFound("No such site.")
    workspace = Path(tempfile.mkdtemp(prefix="heritage-bag-"))
    try:
        export_bag(workspace / f"site-{site_id}", [site_id], actor=actor)
        archive = shutil.make_archive(
            str(workspace / f"site-{site_id}"), "zip", workspace, f"site-{site_id}"
        )
    except BaseException:
        shutil.rmtree(workspace, ignore_errors=True)
        raise
    return Path(archive), lambda: shutil.rmtree(workspace, ignore_errors=True)


def _write_site(folder: Path, site_id: int) -> None:
    from heritage.services.photos import media_store

    site = db.session.get(Site, site_id)
    records = list(
        db.session.scalars(
            select(RestorationRecord)
            .where(RestorationRecord.site_id == site_id)
            .order_by(RestorationRecord.id)
        )
    )
    photos = list(
        db.session.scalars(select(Photo).where(Photo.site_id == site_id).order_by(Photo.id))
    )
    folder.mkdir(parents=True)
    content = {
        "site": _fields(site),
        "records": [_fields(record) for record in records],
        "photos": [_fields(photo) for photo in photos],
    }
    _write_json(folder / "site.json", content)
    _write_csv(folder / "site.csv", [content["site"]])
    _write_csv(folder / "records.csv", content["records"])
    _write_csv(folder / "photos.csv", content["photos"])
    _write_json(folder / "history.json", _history(site, records, photos))
    originals = folder / "originals"
    originals.mkdir()
    store = media_store()
    for photo in photos:
        name = f"photo-{photo.id}.{EXTENSIONS.get(photo.media_type, 'bin')}"
        shutil.copyfile(store.original_path(photo.sha256), originals / name)
    # A package of many sites holds one site's rows in memory at a time.
    for entity in (site, *records, *photos):
        db.session.expunge(entity)


def _fields(entity: Any) -> dict[str, Any]:
    return {
        column.key: audit.jsonable(getattr(entity, column.key))
        for column in entity.__mapper__.columns
        if not column.info.get("derived")
    }


def _history(site: Site, records: list, photos: list) -> list[dict]:
    wanted = [
        ("site", [site.id]),
        ("record", [r.id for r in records]),
        ("photo", [p.id for p in photos]),
    ]
    query = (
        select(AuditEvent)
        .where(
            or_(
                *(
                    (AuditEvent.entity_type == kind) & AuditEvent.entity_id.in_(ids)
                    for kind, ids in wanted
                    if ids
                )
            )
        )
        .order_by(AuditEvent.id)
    )
    return [
        {
            "at": event.at.isoformat(),
            "actor": event.actor.email if event.actor else None,
            "entity_type": event.entity_type,
            "entity_id": event.entity_id,
            "action": event.action,
            "version": event.version,
            "changes": event.changes,
            "note": event.note,
        }
        for event in db.session.scalars(query)
    ]


def _write_json(path: Path, content: Any) -> None:
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        if not rows:
            return
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: safe_cell(_cell(v)) for k, v in row.items()})


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
