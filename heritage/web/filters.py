"""Jinja filters shared by the pages: labels, values as people read them, diffs, Markdown."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from heritage import vocab
from heritage.i18n import say
from heritage.media.derivatives import SIZES as DERIVATIVE_EDGES
from heritage.periods import PALAEOLITHIC, is_millennium
from heritage.schemas.photo import derivative_url
from heritage.web.charts import condition_chart
from heritage.web.labels import action_label, field_label
from heritage.web.markdown import render_markdown

FIELD_VOCABULARIES = {
    "category": vocab.CATEGORIES,
    "site_type": vocab.SITE_TYPES,
    "district": vocab.DISTRICTS,
    "condition": vocab.CONDITIONS,
    "condition_before": vocab.CONDITIONS,
    "condition_after": vocab.CONDITIONS,
    "protection_level": vocab.PROTECTION_LEVELS,
    "clearance_status": vocab.CLEARANCE_STATUSES,
    "site_clearance_status": vocab.CLEARANCE_STATUSES,
    "work_type": vocab.WORK_TYPES,
    "work_status": vocab.WORK_STATUSES,
    "status": vocab.PUBLICATION_STATUSES,
    "role": vocab.ROLES,
    "stage": vocab.PHOTO_STAGES,
    "licence": vocab.LICENCES,
    "object_type": vocab.OBJECT_TYPES,
    "object_status": vocab.OBJECT_STATUSES,
    "marker_type": vocab.MARKER_TYPES,
    "calendar": vocab.CALENDARS,
    "inscription_language": vocab.INSCRIPTION_LANGUAGES,
    "method": vocab.SURVEY_METHODS,
    "overall_condition": vocab.CONDITIONS,
    "risk_level": vocab.RISK_LEVELS,
    "urgency": vocab.URGENCIES,
}
# Texts long enough that a word-by-word diff reads better than old and new side by side.
LONG_TEXT = 80
_TOKENS = re.compile(r"\s+|[^\s]+")


def show_value(value, field: str, lang: str = vocab.DEFAULT_LANGUAGE) -> str:
    """A stored value as people read it: vocabulary labels, yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(_item(item, lang) for item in value)
    if field in FIELD_VOCABULARIES:
        return FIELD_VOCABULARIES[field].label(value, lang)
    return str(value)


def _item(item, lang: str) -> str:
    """One item of a list value: a status change as "1993-07-23 Looted (evidence; source)",
    a person named on a stone as their names and years."""
    if not isinstance(item, dict):
        return str(item)
    if "status" not in item:
        return " ".join(str(value) for value in item.values() if value not in (None, ""))
    said = [item.get("date") or "", show_value(item.get("status"), "object_status", lang)]
    notes = [item[part] for part in ("evidence", "source") if item.get(part)]
    return " ".join(said) + (f" ({'; '.join(notes)})" if notes else "")


def text_diff(old, new) -> Markup:
    """Word-level differences between two long texts, as <del> and <ins>."""
    old_words = _TOKENS.findall(old or "")
    new_words = _TOKENS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(Markup("<del>%s</del>") % "".join(old_words[a1:a2]))
        if b2 > b1:
            parts.append(Markup("<ins>%s</ins>") % "".join(new_words[b1:b2]))
    return Markup("").join(parts)


def is_long_text(old, new) -> bool:
    return isinstance(old or new, str) and max(len(old or ""), len(new or "")) > LONG_TEXT


def localized(entity, field: str, lang: str) -> tuple[str, str]:
    """(text, its language): `field` in `lang`, else in the first language that has it."""
    for candidate in (lang, *(code for code in vocab.LANGUAGES if code != lang)):
        value = getattr(entity, f"{field}_{candidate}", None)
        if value:
            return value, candidate
    return "", lang


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def century_label(century: int, lang: str) -> str:
    """A period's name (heritage.periods): 14 → "14th century" / "XIV əsr" / "XIV век";
    negative centuries are BCE; -20 the 2nd millennium BCE; older, the Palaeolithic."""
    century = int(century)
    if century == PALAEOLITHIC:
        return _("Palaeolithic (before 10,000 BCE)")
    if is_millennium(century):
        n, words = -century // 10, {"en": "millennium", "ru": "тысячелетие", "az": "minillik"}
    else:
        n, words = abs(century), {"en": "century", "ru": "век", "az": "əsr"}
    if lang == "en":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} {words['en']}" + (" BCE" if century < 0 else "")
    if lang == "ru":
        return f"{roman(n)} {words['ru']}" + (" до н. э." if century < 0 else "")
    return ("e.ə. " if century < 0 else "") + f"{roman(n)} {words['az']}"


def language_name(code: str) -> str:
    """The name of a content language, in the interface language."""
    return {"az": _("Azerbaijani"), "en": _("English"), "ru": _("Russian")}.get(code, code)


def structured_data(page, url: str, lang: str) -> dict:
    """schema.org metadata of a public site page (no coordinates for a sensitive location)."""
    site = page.site
    name, _shown = localized(site, "name", lang)
    description, _shown = localized(site, "description", lang)
    data = {
        "@context": "https://schema.org",
        "@type": "LandmarksOrHistoricalBuildings",
        "name": name,
        "alternateName": [
            n for n in (*site.names.values(), *site.alternative_names) if n and n != name
        ],
        "description": description,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "addressRegion": vocab.DISTRICTS.label(site.district, lang),
            "addressLocality": site.settlement or "",
            "addressCountry": "AZ",
        },
    }
    if page.coordinates:
        latitude, longitude = page.coordinates
        data["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    # The photos as a IIIF Presentation 3 manifest, for IIIF viewers and aggregators.
    data["subjectOf"] = {
        "@type": "CreativeWork",
        "additionalType": "http://iiif.io/api/presentation/3#Manifest",
        "url": url_for("iiif.site_manifest", slug=site.slug, _external=True),
        "encodingFormat": "application/ld+json",
    }
    return data


def query_with(**changes) -> str:
    """This request's query string with some arguments changed (None removes one)."""
    args = request.args.to_dict(flat=False)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = [value]
    return urlencode(args, doseq=True)


def photo_structured_data(page, url: str, lang: str) -> dict:
    """schema.org metadata of a public photo page (never its GPS)."""
    photo = page.photo
    caption, _shown = localized(photo, "caption", lang)
    data = {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "url": url,
        "contentUrl": derivative_url(photo, "large.jpg", _external=True),
        "caption": caption,
        "width": photo.width,
        "height": photo.height,
        "contentLocation": {
            "@type": "LandmarksOrHistoricalBuildings",
            "name": localized(page.site, "name", lang)[0],
            "url": url_for("public.show_site", slug=page.site.slug, _external=True),
        },
    }
    if photo.photographer:
        data["creator"] = {"@type": "Person", "name": photo.photographer}
    if photo.credit:
        data["creditText"] = photo.credit
    if photo.licence in vocab.LICENCES and vocab.LICENCES[photo.licence].extra.get("url"):
        data["license"] = vocab.LICENCES[photo.licence].extra["url"]
    return data


def derivative_size(photo, size: str) -> tuple[int, int]:
    """The pixel size of one of a photo's derivatives (never larger than the photo)."""
    scale = min(1.0, DERIVATIVE_EDGES[size] / max(photo.width, photo.height))
    return max(1, round(photo.width * scale)), max(1, round(photo.height * scale))


def srcset(photo, ext: str) -> str:
    """Every derivative of `photo` in format `ext`, as an img/source srcset."""
    return ", ".join(
        f"{derivative_url(photo, f'{size}.{ext}')} {derivative_size(photo, size)[0]}w"
        for size in reversed(DERIVATIVE_EDGES)
    )


def thumbnail(photo) -> dict | None:
    """A photo's thumbnail for scripts that draw it (the map's pop-ups): the JPEG sizes as
    the pages offer them, its dimensions and its alt text in each language."""
    if photo is None:
        return None
    width, height = derivative_size(photo, "thumb")
    return {
        "src": derivative_url(photo, "thumb.jpg"),
        "srcset": srcset(photo, "jpg"),
        "width": width,
        "height": height,
        "alt": photo.alts,
    }


def archive_time(moment: datetime) -> datetime:
    """`moment` on the archive's clock (EXIF_DEFAULT_UTC_OFFSET, Azerbaijan time): the day
    a photo was taken is the day its photographer saw, not the day in UTC."""
    offset = datetime.strptime(current_app.config["EXIF_DEFAULT_UTC_OFFSET"], "%z").tzinfo
    if moment.tzinfo is None:  # SQLite gives back UTC without saying so
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(offset)


def gravestone_points(stones, lang: str) -> list[dict]:
    """The markers of a cemetery's map: where each gravestone stands, its name, its page."""
    return [
        {
            "latitude": stone.latitude,
            "longitude": stone.longitude,
            "name": f"{_('Gravestone %(number)s', number=stone.number)} · {stone.title(lang)}",
            "url": url_for("cemetery.show_gravestone", gravestone_id=stone.id),
        }
        for stone in stones
    ]


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        say=say,
        archive_time=archive_time,
        markdown=render_markdown,
        field_label=field_label,
        action_label=action_label,
        show_value=show_value,
        text_diff=text_diff,
    )
    app.jinja_env.tests["long_text"] = lambda pair: is_long_text(*pair)
    app.jinja_env.globals.update(
        localized=localized,
        query_with=query_with,
        derivative_size=derivative_size,
        derivative_url=derivative_url,
        srcset=srcset,
        structured_data=structured_data,
        photo_structured_data=photo_structured_data,
        language_name=language_name,
        # Functions from a code to its label, for templates that list a vocabulary's values.
        labeller=lambda vocabulary, lang: lambda code: vocabulary.label(code, lang),
        century_labeller=lambda lang: lambda century: century_label(century, lang),
        condition_chart=condition_chart,
        gravestone_points=gravestone_points,
    )
