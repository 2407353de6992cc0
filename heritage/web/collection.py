"""Public pages of collections: a museum's published collection, one object's page, and the
list of missing objects that a dealer, customs officer or researcher checks an object
against. Published data only, through the public gate."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale

from heritage import vocab
from heritage.services import public, revision
from heritage.web.caching import public_page, shows
from heritage.web.filters import localized

bp = Blueprint("collection", __name__)


@bp.get("/sites/<slug>/collection")
@public_page
def list_collection(slug: str):
    """A published site's published collection, narrowed to one status by a plain link."""
    site = public.get_published_site(slug)
    shows(*revision.item("site", site.id))
    chosen = request.args.get("status")
    chosen = chosen if chosen in vocab.OBJECT_STATUSES else None
    return render_template(
        "public/collection.html",
        site=site,
        objects=public.site_collection(site, object_status=chosen),
        counts=public.collection_counts(site),
        chosen=chosen,
    )


@bp.get("/objects/<int:object_id>")
@public_page
def show_object(object_id: int):
    """One published object: what it is, where it is now, and each change with its evidence."""
    obj = public.published_object(object_id)
    shows(*public.item_page_scopes("object", obj))
    lang = str(get_locale() or vocab.DEFAULT_LANGUAGE)
    canonical = url_for(".show_object", object_id=obj.id, _external=True)
    surveys = public.surveys_of(obj)
    return render_template(
        "public/object.html",
        obj=obj,
        site=obj.site,
        photos=public.photos_of(obj),
        surveys=surveys,
        survey_photos=public.survey_photos(surveys),
        canonical=canonical,
        structured=_structured_data(obj, canonical, lang),
    )


@bp.get("/missing")
@public_page
def list_missing():
    """Every published object still lost, looted or of unknown whereabouts."""
    shows(revision.MISSING)
    # Values that are not codes are ignored, not errors, as on the other browse pages.
    object_type = request.args.get("type")
    filters = public.MissingFilters(
        museum=request.args.get("museum") or None,
        object_type=object_type if object_type in vocab.OBJECT_TYPES else None,
    )
    page = public.missing_objects(
        filters,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
    )
    if page.past_the_end:
        abort(404)
    return render_template(
        "public/missing.html", page=page, filters=filters, museums=public.missing_museums()
    )


def _structured_data(obj, url: str, lang: str) -> dict:
    """schema.org metadata of a public object page."""
    title, _shown = localized(obj, "title", lang)
    description, _shown = localized(obj, "description", lang)
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": title,
        "description": description,
        "url": url,
        "identifier": obj.inventory_number,
        "genre": vocab.OBJECT_TYPES.label(obj.object_type, lang),
        "holdingArchive": {
            "@type": "Museum",
            "name": localized(obj.site, "name", lang)[0],
            "url": url_for("public.show_site", slug=obj.site.slug, _external=True),
        },
    }
    optional = {
        "dateCreated": obj.date_text,
        "material": obj.materials,
        "creator": obj.maker and {"@type": "Organization", "name": obj.maker},
        "size": obj.dimensions,
    }
    return {**data, **{key: value for key, value in optional.items() if value}}
