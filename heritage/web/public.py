"""The public gallery: published data only, through the public gate, cached by revision."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale

from heritage import vocab
from heritage.schemas.site import EARLIEST_CENTURY, LATEST_CENTURY
from heritage.services import counts, public, revision
from heritage.web.caching import public_page, shows
from heritage.web.filters import thumbnail

bp = Blueprint("public", __name__)


@bp.get("/")
@public_page
def index():
    """What the archive is, featured sites, recent restorations, counts."""
    shows(revision.HOME)
    featured = public.featured_sites()
    return render_template(
        "public/index.html",
        featured=featured,
        covers=public.covers_of(featured),
        restorations=public.recent_restorations(),
        counts=counts.totals(),
    )


@bp.get("/sites")
@public_page
def list_sites():
    """Browse the published sites, narrowed by filters that are plain links."""
    shows(revision.SITES)
    filters = _filters_from(request.args)
    sort = request.args.get("sort")
    sort = sort if sort in public.SITE_SORTS else "name"
    page = public.browse_sites(
        filters,
        lang=_language(),
        sort=sort,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        total=counts.sites_matching(filters),
    )
    if page.past_the_end:
        abort(404)
    kept_order = {} if sort == "name" else {"sort": sort}
    return render_template(
        "public/sites.html",
        page=page,
        filters=filters,
        sort=sort,
        # What the page's links keep: the filters and the order, unless it is the default.
        kept={**filters.as_args(), **kept_order},
        kept_order=kept_order,
        counts=counts.browse_counts(filters),
        covers=public.covers_of(page.items),
    )


@bp.get("/sites/<slug>")
@public_page
def show_site(slug: str):
    """One published site: names, description, facts, work, location, neighbours."""
    page = public.site_page(slug)
    shows(*public.site_page_scopes(page.site))
    return render_template("public/site.html", page=page)


@bp.get("/photos/<int:photo_id>")
@public_page
def show_photo(photo_id: int):
    """One published photo: large view, caption, credit, licence, its site and restoration."""
    page = public.photo_page(photo_id)
    shows(*public.photo_page_scopes(page))
    return render_template("public/photo.html", page=page)


@bp.get("/map")
@public_page
def show_map():
    """Every published site on a map, with a plain list for browsers without JavaScript."""
    shows(revision.SITES)
    page = public.map_list(
        lang=_language(),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["MAP_LIST_SIZE"],
    )
    if page.past_the_end:
        abort(404)
    return render_template("public/map.html", page=page)


@bp.get("/map/sites.geojson")
@public_page
def map_geojson():
    """The map's points as GeoJSON (sensitive locations are never among them)."""
    shows(revision.SITES)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p["longitude"], p["latitude"]]},
            "properties": {
                "slug": p["slug"],
                "url": url_for(".show_site", slug=p["slug"]),
                "names": {lang: p[f"name_{lang}"] for lang in vocab.LANGUAGES},
                "category": p["category"],
                "type": p["site_type"],
                "district": p["district"],
                "approximate": p["location_approximate"],
                "thumbnail": thumbnail(p["cover"]),
            },
        }
        for p in public.map_points()
    ]
    response = current_app.json.response({"type": "FeatureCollection", "features": features})
    response.mimetype = "application/geo+json"
    return response


@bp.get("/sitemap.xml")
@public_page
def sitemap():
    """Every published page, with its alternates in each language, for search engines: one
    file while they fit in `SITEMAP_SIZE` addresses, else an index of numbered parts."""
    shows(revision.SITEMAP)
    size = current_app.config["SITEMAP_SIZE"]
    total = public.sitemap_count()
    if total <= size:
        return _xml("public/sitemap.xml", entries=public.sitemap_entries(0, total))
    parts = range(1, (total + size - 1) // size + 1)
    return _xml("public/sitemap_index.xml", parts=parts)


@bp.get("/robots.txt")
@public_page
def robots():
    """Crawlers may read every public page and are pointed to the sitemap; the staff side,
    sign-in, the API and the endless pages of search results are not for them."""
    shows()  # nothing of the archive's content
    sitemap_url = url_for("public.sitemap", _external=True)
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _NOT_FOR_CRAWLERS)]
    body = "\n".join([*lines, f"Sitemap: {sitemap_url}", ""])
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


_NOT_FOR_CRAWLERS = ("/staff/", "/login", "/api/", "/search")


@bp.get("/sitemap-<int:part>.xml")
@public_page
def sitemap_part(part: int):
    """One numbered part of the sitemap."""
    shows(revision.SITEMAP)
    size = current_app.config["SITEMAP_SIZE"]
    if part < 1 or (part - 1) * size >= public.sitemap_count():
        abort(404)
    return _xml("public/sitemap.xml", entries=public.sitemap_entries((part - 1) * size, size))


def _xml(template: str, **context):
    return (
        render_template(template, **context),
        200,
        {"Content-Type": "application/xml; charset=utf-8"},
    )


def _language() -> str:
    """The page's language."""
    return str(get_locale() or vocab.DEFAULT_LANGUAGE)


def _filters_from(args) -> public.SiteFilters:
    """Filters from the query string; values that are not codes are ignored, not errors."""
    chosen = {
        "category": vocab.CATEGORIES,
        "site_type": vocab.SITE_TYPES,
        "district": vocab.DISTRICTS,
        "condition": vocab.CONDITIONS,
    }
    values = {name: args.get(name) for name, terms in chosen.items() if args.get(name) in terms}
    century = args.get("century", type=int)
    if century is not None and EARLIEST_CENTURY <= century <= LATEST_CENTURY and century != 0:
        values["century"] = century
    return public.SiteFilters(**values)
