"""Exports of a result set as CSV, JSON or GeoJSON, for researchers.

Records are read from the database a batch at a time and written out as text. A public
export (from the public search page) holds what the public may see and no exact location
marked sensitive; a staff export holds every status and the coordinates as recorded.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from flask import current_app

from heritage import vocab
from heritage.models import Site, User
from heritage.services import public
from heritage.services import search as search_service
from heritage.services.permissions import require
from heritage.text import slugify
from heritage.vocab import DAMAGE_EXTENTS, LANGUAGES, PUBLISHED

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}
BATCH = 500

COLUMNS = (
    "kind",
    "id",
    "site_id",
    "site_slug",
    "inventory_number",
    *(f"name_{lang}" for lang in LANGUAGES),
    "title",
    "category",
    "site_type",
    "district",
    "settlement",
    "latitude",
    "longitude",
    "location_approximate",
    "period",
    "year_from",
    "year_to",
    "condition",
    "clearance_status",
    "work_type",
    "work_status",
    "start_date",
    "end_date",
    "organisation",
    "caption",
    "object_inventory_number",
    "object_type",
    "object_status",
    "marker_type",
    "survey_date",
    "assessor",
    "risk_level",
    "urgency",
    "damages",
    "findings",
    "status",
    "public_url",
)
# Columns holding a vocabulary's code, each followed by its label in the export's language.
LABELLED = {
    "kind": None,
    "category": vocab.CATEGORIES,
    "site_type": vocab.SITE_TYPES,
    "district": vocab.DISTRICTS,
    "condition": vocab.CONDITIONS,
    "clearance_status": vocab.CLEARANCE_STATUSES,
    "work_type": vocab.WORK_TYPES,
    "work_status": vocab.WORK_STATUSES,
    "object_type": vocab.OBJECT_TYPES,
    "object_status": vocab.OBJECT_STATUSES,
    "marker_type": vocab.MARKER_TYPES,
    "status": vocab.PUBLICATION_STATUSES,
}
# What a file name calls the records of one kind.
FILE_KINDS = {
    "site": "sites",
    "record": "work",
    "photo": "photos",
    "object": "objects",
    "gravestone": "gravestones",
}
COLUMNS = tuple(
    column
    for name in COLUMNS
    for column in ((name, f"{name}_label") if name in LABELLED else (name,))
)


@dataclass(frozen=True)
class Export:
    filename: str
    mimetype: str
    chunks: Iterator[str]


def export(
    params: search_service.SearchParams,
    fmt: str,
    *,
    actor: User | None,
    public_scope: bool,
    public_url: Callable[[str, Any, Site], str] | None = None,
    kind_label: Callable[[str], str] = str,
    today: date | None = None,
) -> Export:
    """The result set of `params` in `fmt` (csv, json, geojson); needs the export permission.

    Each code has its label in the export's language beside it (`kind_label` names the
    kinds of record); `public_url(kind, entity, site)` gives the public address of what
    the public sees (left empty for the rest). The file's name says what it holds and when
    it was made."""
    require(actor, "export")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if not public_scope:
        require(actor, "read")
    hits = search_service.all_hits(
        params,
        published_only=public_scope,
        limit=current_app.config["SEARCH_EXPORT_LIMIT"],
    )
    rows = _rows(hits, public_scope, params.language, public_url, kind_label)
    writer = {"csv": _csv, "json": _json, "geojson": _geojson}[fmt]
    return Export(filename(params, fmt, today or date.today()), FORMATS[fmt], writer(rows))


def filename(params: search_service.SearchParams, fmt: str, day: date) -> str:
    """heritage-<what>-<district>-<words>-<date>.<fmt>: what the file holds (the kind, else
    "search"), where (a single district chosen) and the words searched, as ASCII."""
    kinds = sorted(params.filters.get("kind", ()))
    what = FILE_KINDS.get(kinds[0], "search") if len(kinds) == 1 else "search"
    parts = ["heritage", what]
    districts = sorted(params.filters.get("district", ()))
    if len(districts) == 1:
        parts.append(districts[0])
    words = slugify(params.q)[:40].strip("-")
    if words:
        parts.append(words)
    return f"{'-'.join(parts)}-{day.isoformat()}.{fmt}"


def _rows(hits, public_scope: bool, language: str, public_url, kind_label) -> Iterator[dict]:
    hits = iter(hits)
    while batch := list(islice(hits, BATCH)):
        for kind, entity, site in search_service.load_hits(batch, public_scope):
            row = _row(kind, entity, site, public_scope, language)
            _label(row, language)
            row["kind_label"] = kind_label(kind)
            shown = entity.status == PUBLISHED and site.status == PUBLISHED
            if public_url is not None and shown:
                row["public_url"] = public_url(kind, entity, site)
            yield row


def _label(row: dict, language: str) -> None:
    """Put beside each code its label in `language`."""
    for name, vocabulary in LABELLED.items():
        if vocabulary is not None and row[name] is not None:
            row[f"{name}_label"] = vocabulary.label(row[name], language)


def _coordinates(site: Site, public_scope: bool) -> tuple[float | None, float | None]:
    if public_scope:
        found = public.public_coordinates(site)
        return found if found is not None else (None, None)
    return site.latitude, site.longitude


def _row(kind: str, entity: Any, site: Site, public_scope: bool, language: str) -> dict:
    latitude, longitude = _coordinates(site, public_scope)
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(
        kind=kind,
        id=entity.id,
        site_id=site.id,
        site_slug=site.slug,
        inventory_number=site.inventory_number,
        category=site.category,
        site_type=site.site_type,
        district=site.district,
        settlement=site.settlement,
        latitude=latitude,
        longitude=longitude,
        location_approximate=site.location_approximate,
        period=site.in_language("period", language),
        year_from=site.year_from,
        year_to=site.year_to,
        condition=site.condition,
        clearance_status=site.clearance_status,
        status=entity.status,
        **{f"name_{lang}": getattr(site, f"name_{lang}") for lang in LANGUAGES},
    )
    if kind == "record":
        row.update(
            title=entity.title,
            work_type=entity.work_type,
            work_status=entity.work_status,
            start_date=entity.start_date.isoformat() if entity.start_date else None,
            end_date=entity.end_date.isoformat() if entity.end_date else None,
            organisation=entity.organisation,
        )
    elif kind == "object":
        row.update(
            title=entity.title(language),
            object_inventory_number=entity.inventory_number,
            object_type=entity.object_type,
            object_status=entity.object_status,
        )
    elif kind == "gravestone":
        row.update(title=entity.title(language), marker_type=entity.marker_type)
    elif kind == "survey":
        row.update(
            title=entity.subject.title(language) if entity.subject is not None else None,
            condition=entity.overall_condition,
            survey_date=entity.survey_date.isoformat(),
            assessor=entity.assessor,
            organisation=entity.organisation,
            risk_level=entity.risk_level,
            urgency=entity.urgency,
            # type:extent, the most extensive first, for a cell a spreadsheet can split.
            damages="; ".join(
                f"{d['damage_type']}:{d['extent']}" for d in _by_extent(entity.damages or [])
            ),
            findings=next((text for text in _in_order(entity, "findings", language) if text), None),
        )
    elif kind == "photo":
        row["caption"] = entity.captions.get(language) or next(
            (caption for caption in entity.captions.values() if caption), None
        )
        if entity.record is not None:
            row["work_type"] = entity.record.work_type
    return row


def _in_order(entity: Any, prefix: str, language: str) -> list[str | None]:
    """A trilingual field's texts, the export's language first."""
    order = [language, *(lang for lang in LANGUAGES if lang != language)]
    return [getattr(entity, f"{prefix}_{lang}") for lang in order]


def _by_extent(damages: list[dict]) -> list[dict]:
    extents = DAMAGE_EXTENTS.codes
    return sorted(
        damages, key=lambda d: -extents.index(d["extent"]) if d["extent"] in extents else 0
    )


def safe_cell(value: Any) -> Any:
    """Defuse text a spreadsheet would run as a formula (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(rows: Iterator[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    # A byte order mark, so spreadsheet programs read the file as UTF-8.
    buffer.write("\ufeff")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow({name: safe_cell(value) for name, value in row.items()})
        if n % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(rows: Iterator[dict]) -> Iterator[str]:
    yield "["
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"


def _geojson(rows: Iterator[dict]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    for n, row in enumerate(rows):
        latitude, longitude = row["latitude"], row["longitude"]
        geometry = (
            {"type": "Point", "coordinates": [longitude, latitude]}
            if latitude is not None and longitude is not None
            else None
        )
        properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        yield ("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False)
    yield "\n]}\n"
