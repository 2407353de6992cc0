"""Photos in bulk: a ZIP of image files, with an optional manifest (manifest.csv or
manifest.xlsx at the top of the ZIP), each file through the same upload as one sent alone.

The manifest has a row per file: `file` (its name in the ZIP), `site` (inventory number or
address), `record` (the number or title of one of the site's restoration records), and the
photo fields as the API names them (`stage`, `caption_az`, …, `alt_ru`, `photographer`,
`credit`, `licence`). Without a manifest, or for a file it does not name, the folder a
file is in names its site. Each file is checked, hashed, stored and given its derivatives
as a draft, or refused with why, without stopping the others; a dry run checks it all and
stores nothing.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import RestorationRecord, User
from heritage.schemas.photo import PhotoInput
from heritage.services import importing, photos
from heritage.services.errors import ServiceError
from heritage.services.importing import FileRefused, ImportReport, Outcome, Problem
from heritage.services.permissions import require
from heritage.text import N_, Message

MANIFESTS = ("manifest.csv", "manifest.xlsx")
MANIFEST_COLUMNS = frozenset(PhotoInput().fields) - {"record_id"} | {"file", "site", "record"}
MAX_FILES = 10_000
# A file that unpacks to this many times its packed size is refused as a ZIP bomb (photos
# are compressed already: a real one packs to nearly its own size).
MAX_RATIO = 100
MAX_MANIFEST = 10 * 1024 * 1024
_CHUNK = 1024 * 1024


def import_zip(stream: BinaryIO, *, actor: User, dry_run: bool) -> ImportReport:
    """Import every image of the ZIP in `stream` as `actor`; report each file."""
    require(actor, "photo.upload")
    report = ImportReport(dry_run=dry_run)
    try:
        archive = zipfile.ZipFile(stream)
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        ]
        if len(members) > MAX_FILES:
            raise FileRefused(
                Message(N_("The ZIP holds more than %(most)s files."), {"most": MAX_FILES})
            )
        manifest = _manifest(archive, members, report)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError):
        report.problems.append(Problem(0, "", "", N_("The file is not a readable ZIP archive.")))
        return report
    except FileRefused as refusal:
        report.problems.append(Problem(0, "", "", refusal.args[0]))
        return report
    if report.problems:
        return report
    seen: dict[str, str] = {}
    images = [info for info in members if info.filename not in MANIFESTS]
    for info in images:
        number, cells = manifest.pop(info.filename, (0, {}))
        _one(archive, info, number, cells, report, seen, actor=actor, dry_run=dry_run)
    for name, (number, _cells) in manifest.items():
        report.problems.append(
            Problem(number, "file", name, N_("The ZIP has no file of this name."))
        )
    report.written = not dry_run and report.count("create") > 0
    return report


def _manifest(archive, members, report) -> dict[str, tuple[int, dict[str, str]]]:
    found = [info for info in members if info.filename in MANIFESTS]
    if not found:
        return {}
    info = found[0]
    if info.file_size > MAX_MANIFEST:
        raise FileRefused(N_("The manifest is larger than 10 MB."))
    with tempfile.SpooledTemporaryFile() as copy:
        with archive.open(info) as source:
            copy.write(source.read())
        table = importing.read_table(copy, info.filename)
        copy.seek(0)
        header = importing.read_header(table)
        for position, name in enumerate(header, 1):
            if name and name not in MANIFEST_COLUMNS:
                report.problems.append(
                    Problem(1, name, name, N_("No field has this name; see the README."))
                )
            elif not name:
                report.problems.append(
                    Problem(1, f"#{position}", "", N_("This column has no name in the header row."))
                )
        if "file" not in header:
            report.problems.append(Problem(1, "file", "", N_("The manifest needs a file column.")))
        rows = {}
        for number, values in enumerate(table, 2):
            cells = {name: value for name, value in zip(header, values, strict=False) if name}
            if cells.get("file", "").strip():
                rows[cells["file"].strip()] = (number, cells)
    return rows


def _one(archive, info, number, cells, report, seen, *, actor, dry_run) -> None:
    name = info.filename

    def refuse(message, column: str = "file", value: str | None = None) -> None:
        report.problems.append(Problem(number, column, name if value is None else value, message))

    path = PurePosixPath(name)
    if name.startswith("/") or "\\" in name or ".." in path.parts or ":" in path.parts[0]:
        return refuse(N_("This name points outside the ZIP's folder; the file was not read."))
    if info.file_size > current_app.config["MAX_CONTENT_LENGTH"]:
        return refuse(N_("This file is larger than the largest upload; it was not read."))
    if info.file_size > _CHUNK and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return refuse(N_("This file unpacks to far more than its packed size (a ZIP bomb)."))
    reference = cells.get("site", "").strip() or (path.parts[0] if len(path.parts) > 1 else "")
    site = importing.find_site(reference, reference) if reference else None
    if site is None:
        column = "site" if cells.get("site", "").strip() else "file"
        return refuse(
            N_("No site has this inventory number or address (give it in the manifest's site "
               "column, or as the file's folder)."),
            column, reference or name,
        )  # fmt: skip
    try:
        data = importing.cell_values(PhotoInput(), cells)
        record = cells.get("record", "").strip()
        if record:
            data["record_id"] = _record_id(site.id, record)
        with tempfile.SpooledTemporaryFile(max_size=8 * _CHUNK) as copy:
            digest = hashlib.sha256()
            with archive.open(info) as source:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    copy.write(chunk)
            copy.seek(0)
            sha256 = digest.hexdigest()
            if sha256 in seen:
                return refuse(
                    Message(
                        N_("The same picture as %(other)s in this ZIP."), {"other": seen[sha256]}
                    )
                )
            seen[sha256] = name
            result = photos.upload_photo(
                site.id, copy, path.name, data, actor=actor, check_only=dry_run
            )
    except zipfile.BadZipFile:
        return refuse(N_("This file is damaged in the ZIP (its checksum does not match)."))
    except photos.UploadRefused as refusal:
        return refuse(refusal.said)
    except ValidationError as error:
        report.problems += importing.field_problems(number, cells, error)
        return None
    except ServiceError as error:
        return refuse(error.message)
    action = "unchanged" if result.duplicate else "create"
    key = (
        f"{site.slug}: {name}" if result.photo is None else f"{site.slug}: photo {result.photo.id}"
    )
    report.outcomes.append(Outcome(number, "photo", action, key))
    return None


def _record_id(site_id: int, reference: str) -> int:
    """The site's record with this number or title."""
    query = select(RestorationRecord.id).where(RestorationRecord.site_id == site_id)
    if reference.isdigit():
        found = db.session.scalar(query.where(RestorationRecord.id == int(reference)))
    else:
        found = db.session.scalar(query.where(RestorationRecord.title == reference))
    if found is None:
        raise ValidationError(
            {"record": [N_("The site has no restoration record of this number or title.")]}
        )
    return found
