"""IIIF Presentation API 3.0 documents of published content: a manifest per site and per
restoration record (one canvas per published photo, its image service linked), and the
collection of every published site.

Built from what the public gate (services/public.py) hands over, so no unpublished photo,
GPS position or sensitive coordinate can appear. Texts are language maps holding only the
languages that exist ("none" for a text in no particular language).
"""

from __future__ import annotations

from datetime import UTC

from flask import url_for
from flask_babel import force_locale, gettext

from heritage import vocab
from heritage.models import Photo, RestorationRecord, Site
from heritage.schemas.photo import derivative_url
from heritage.services import iiif
from heritage.services.pagination import Page
from heritage.web.filters import derivative_size

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
# RightsStatements.org's "In Copyright", for photos whose rights are all reserved.
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"


def language_map(entity, field: str) -> dict[str, list[str]]:
    """{"az": [...], "en": [...], "ru": [...]}: `field` in each language that has it."""
    return {
        lang: [value] for lang in vocab.LANGUAGES if (value := getattr(entity, f"{field}_{lang}"))
    }


def _said(text: str) -> dict[str, list[str]]:
    """An interface string in each language of the archive."""
    found = {}
    for lang in vocab.LANGUAGES:
        with force_locale(lang):
            found[lang] = [gettext(text)]
    return found


def _term(vocabulary: vocab.Vocabulary, code: str) -> dict[str, list[str]]:
    return {lang: [vocabulary.label(code, lang)] for lang in vocab.LANGUAGES}


def rights(licence: str | None) -> str | None:
    """The licence as the URI IIIF asks for: Creative Commons' (over http), or
    RightsStatements.org's."""
    if licence == "all-rights-reserved":
        return IN_COPYRIGHT
    if licence in vocab.LICENCES and (url := vocab.LICENCES[licence].extra.get("url")):
        return url.replace("https://", "http://", 1)
    return None


def _attribution(photos: list[Photo]) -> dict | None:
    """Who took the photos and whom to credit, as the required statement."""
    lines = []
    for photo in photos:
        parts = [part for part in (photo.photographer, photo.credit) if part]
        if parts and (line := " · ".join(parts)) not in lines:
            lines.append(line)
    if not lines:
        return None
    return {"label": _said("Credit"), "value": {"none": ["; ".join(lines)]}}


def _service(photo: Photo) -> dict:
    return {
        "id": url_for("iiif.base", identifier=photo.iiif_identifier, _external=True),
        "type": "ImageService3",
        "profile": "level2",
    }


def _thumbnail(photo: Photo) -> dict:
    width, height = derivative_size(photo, "thumb")
    return {
        "id": derivative_url(photo, "thumb.jpg", _external=True),
        "type": "Image",
        "format": "image/jpeg",
        "width": width,
        "height": height,
        "service": [_service(photo)],
    }


def _canvas(photo: Photo, manifest_id: str) -> dict:
    canvas_id = f"{manifest_id}/canvas/{photo.id}"
    width, height = iiif.largest_size(photo)
    body = {
        "id": f"{_service(photo)['id']}/full/max/0/default.jpg",
        "type": "Image",
        "format": "image/jpeg",
        "width": width,
        "height": height,
        "service": [_service(photo)],
    }
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": language_map(photo, "caption") or _term(vocab.PHOTO_STAGES, photo.stage),
        "width": photo.width,
        "height": photo.height,
        "thumbnail": [_thumbnail(photo)],
        "homepage": [_homepage(url_for("public.show_photo", photo_id=photo.id, _external=True))],
        "items": [
            {
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/page/image",
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": body,
                        "target": canvas_id,
                    }
                ],
            }
        ],
    }
    if photo.captured_at is not None:
        canvas["navDate"] = _date(photo.captured_at)
    if uri := rights(photo.licence):
        canvas["rights"] = uri
    if statement := _attribution([photo]):
        canvas["requiredStatement"] = statement
    return canvas


def _date(moment) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _homepage(url: str, label: dict | None = None) -> dict:
    page = {"id": url, "type": "Text", "format": "text/html"}
    return {**page, "label": label} if label else page


def _manifest(manifest_id: str, label: dict, photos: list[Photo], **fields) -> dict:
    """The parts every manifest shares; `fields` add or replace the rest."""
    manifest = {
        "@context": CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": label or {"none": [manifest_id]},
        **fields,
        "partOf": [
            {
                "id": url_for("iiif.collection", _external=True),
                "type": "Collection",
                "label": _said("Heritage of Karabakh and East Zangezur"),
            }
        ],
        "items": [_canvas(photo, manifest_id) for photo in photos],
    }
    if photos:
        manifest["thumbnail"] = [_thumbnail(photos[0])]
        dates = [photo.captured_at for photo in photos if photo.captured_at]
        if dates:
            manifest["navDate"] = _date(min(dates))
    if statement := _attribution(photos):
        manifest["requiredStatement"] = statement
    licences = {rights(photo.licence) for photo in photos}
    if len(licences) == 1 and None not in licences:
        manifest["rights"] = licences.pop()
    return manifest


def site_manifest(site: Site, photos: list[Photo]) -> dict:
    """A published site with every published photo of it (its own, then its records')."""
    homepage = url_for("public.show_site", slug=site.slug, _external=True)
    metadata = [
        {"label": _said("Category"), "value": _term(vocab.CATEGORIES, site.category)},
        {"label": _said("Type"), "value": _term(vocab.SITE_TYPES, site.site_type)},
        {"label": _said("District"), "value": _term(vocab.DISTRICTS, site.district)},
    ]
    if site.in_language("period", vocab.DEFAULT_LANGUAGE):
        metadata.append({"label": _said("Period"), "value": language_map(site, "period")})
    fields = {
        "metadata": metadata,
        "homepage": [_homepage(homepage, language_map(site, "name"))],
        "seeAlso": [_api(f"sites/{site.id}")],
    }
    if summary := language_map(site, "description"):
        fields["summary"] = summary
    return _manifest(
        url_for("iiif.site_manifest", slug=site.slug, _external=True),
        language_map(site, "name"),
        photos,
        **fields,
    )


def record_manifest(record: RestorationRecord, photos: list[Photo]) -> dict:
    """A published restoration record: its photos before, during, then after the work."""
    site = record.site
    homepage = url_for("public.show_site", slug=site.slug, _external=True) + f"#work-{record.id}"
    metadata = [
        {"label": _said("Site"), "value": language_map(site, "name")},
        {
            "label": _said("Restoration work"),
            "value": _term(vocab.WORK_STATUSES, record.work_status),
        },
    ]
    fields = {
        "metadata": metadata,
        "homepage": [_homepage(homepage)],
        "seeAlso": [_api(f"records/{record.id}")],
    }
    if record.description:
        fields["summary"] = {"none": [record.description]}
    return _manifest(
        url_for("iiif.record_manifest", record_id=record.id, _external=True),
        {"none": [record.title]},
        photos,
        **fields,
    )


def collection(page: Page, *, part: int | None) -> dict:
    """The collection of every published site: their manifests, or, when there are more
    than one part holds, the parts as collections of their own (IIIF 3 has no paging)."""
    collection_id = url_for("iiif.collection", part=part, _external=True)
    label = _said("Heritage of Karabakh and East Zangezur")
    if part is None and page.pages > 1:
        items = [
            {
                "id": url_for("iiif.collection", part=number, _external=True),
                "type": "Collection",
                "label": {"none": [f"{number} / {page.pages}"]},
            }
            for number in range(1, page.pages + 1)
        ]
    else:
        items = [
            {
                "id": url_for("iiif.site_manifest", slug=site.slug, _external=True),
                "type": "Manifest",
                "label": language_map(site, "name"),
            }
            for site in page.items
        ]
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "Collection",
        "label": label,
        "homepage": [_homepage(url_for("public.list_sites", _external=True))],
        "items": items,
    }


def _api(path: str) -> dict:
    return {
        "id": url_for("public.index", _external=True) + f"api/v1/{path}",
        "type": "Dataset",
        "format": "application/json",
    }
