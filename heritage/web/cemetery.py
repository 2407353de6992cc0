"""Public pages of cemeteries: a cemetery's published gravestones and each one's page, with
its inscription shown in its own script and direction. Published data only."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import get_locale

from heritage import vocab
from heritage.schemas.gravestone import dated_persons
from heritage.services import public, revision
from heritage.web.caching import public_page, shows
from heritage.web.filters import localized

bp = Blueprint("cemetery", __name__)


@bp.get("/sites/<slug>/gravestones")
@public_page
def list_gravestones(slug: str):
    """A published cemetery's published gravestones, with the people they name."""
    site = public.get_published_site(slug)
    shows(*revision.item("site", site.id))
    stones = public.cemetery_gravestones(site)
    return render_template(
        "public/gravestones.html",
        site=site,
        stones=[(stone, dated_persons(stone)) for stone in stones],
    )


@bp.get("/gravestones/<int:gravestone_id>")
@public_page
def show_gravestone(gravestone_id: int):
    """One published gravestone: its people and years, its inscription, reading and
    translation, its marker and condition."""
    stone = public.published_gravestone(gravestone_id)
    shows(*public.item_page_scopes("gravestone", stone))
    lang = str(get_locale() or vocab.DEFAULT_LANGUAGE)
    canonical = url_for(".show_gravestone", gravestone_id=stone.id, _external=True)
    language = stone.inscription_language
    surveys = public.surveys_of(stone)
    return render_template(
        "public/gravestone.html",
        stone=stone,
        site=stone.site,
        photos=public.photos_of(stone),
        surveys=surveys,
        survey_photos=public.survey_photos(surveys),
        persons=dated_persons(stone),
        direction=vocab.INSCRIPTION_LANGUAGES[language].extra["dir"] if language else "ltr",
        canonical=canonical,
        structured=_structured_data(stone, canonical, lang),
    )


def _structured_data(stone, url: str, lang: str) -> dict:
    """schema.org metadata of a public gravestone page (no coordinates of a sensitive site)."""
    data = {
        "@context": "https://schema.org",
        "@type": "LandmarksOrHistoricalBuildings",
        "name": stone.title(lang),
        "url": url,
        "identifier": stone.number,
        "containedInPlace": {
            "@type": "Cemetery",
            "name": localized(stone.site, "name", lang)[0],
            "url": url_for("public.show_site", slug=stone.site.slug, _external=True),
        },
    }
    if stone.inscription:
        data["text"] = stone.inscription
        data["inLanguage"] = stone.inscription_language
    if stone.latitude is not None and not stone.site.location_sensitive:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": stone.latitude,
            "longitude": stone.longitude,
        }
    return data
