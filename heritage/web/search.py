"""Search pages: /search for the public, /staff/search for staff, and result exports."""

from __future__ import annotations

from urllib.parse import urlencode, urljoin

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale

from heritage.extensions import limiter
from heritage.i18n import say
from heritage.identity import current_actor
from heritage.search import FACETS, InvalidQuery
from heritage.services import export as export_service
from heritage.services import search as search_service
from heritage.services.permissions import can
from heritage.web.auth import staff_required
from heritage.web.labels import KIND_LABELS

bp = Blueprint("search", __name__)


def _params() -> search_service.SearchParams:
    return search_service.SearchParams.from_args(request.args, str(get_locale() or "az"))


def _toggle(name: str, code: str) -> str:
    """This search's query string with one facet value chosen or dropped, from page 1."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    values = args.get(name, [])
    args[name] = [v for v in values if v != code] if code in values else [*values, code]
    return urlencode(args, doseq=True)


def _public_link(item: search_service.Item) -> str:
    return _public_path(item.kind, item.entity, item.site)


def _public_path(kind: str, entity, site) -> str:
    """A site's page; a restoration record's entry on its site's page; a photo's or an
    object's page."""
    if kind == "photo":
        return url_for("public.show_photo", photo_id=entity.id)
    if kind == "object":
        return url_for("collection.show_object", object_id=entity.id)
    if kind == "gravestone":
        return url_for("cemetery.show_gravestone", gravestone_id=entity.id)
    if kind == "survey" and entity.subject is not None:
        return _public_part_link(entity.subject)
    url = url_for("public.show_site", slug=site.slug)
    anchor = {"record": "work", "survey": "survey"}.get(kind)
    return f"{url}#{anchor}-{entity.id}" if anchor else url


def _public_part_link(part) -> str:
    """The public page of a surveyed object or gravestone."""
    if hasattr(part, "inventory_number"):
        return url_for("collection.show_object", object_id=part.id)
    return url_for("cemetery.show_gravestone", gravestone_id=part.id)


def _staff_link(item: search_service.Item) -> str:
    if item.kind == "site":
        return url_for("catalogue.show_site", site_id=item.entity.id)
    if item.kind == "record":
        return url_for("worklog.show_record", record_id=item.entity.id)
    if item.kind == "object":
        return url_for("objects.show_object", object_id=item.entity.id)
    if item.kind == "gravestone":
        return url_for("gravestones.show_gravestone", gravestone_id=item.entity.id)
    if item.kind == "survey":
        return url_for("surveys.show_survey", survey_id=item.entity.id)
    return url_for("photos.show_photo", photo_id=item.entity.id)


def _render(template: str, page: search_service.SearchPage, *, endpoint: str, link):
    status = 400 if page.error else 503 if page.unavailable else 200
    headers = {}
    if page.unavailable:
        headers["Retry-After"] = str(search_service.RETRY_AFTER_UNAVAILABLE)
    body = render_template(
        template,
        page=page,
        action=url_for(endpoint),
        link=link,
        toggle=_toggle,
        clear_filters=dict.fromkeys(FACETS),
        may_export=can(current_actor(), "export"),
    )
    return body, status, headers


def _search_limit() -> str:
    return current_app.config["SEARCH_RATE_LIMIT_ANONYMOUS"]


def _signed_in() -> bool:
    return current_actor() is not None


@bp.get("/search")
@limiter.limit(_search_limit, scope="search", exempt_when=_signed_in)
def public_search():
    """Search what is published."""
    page = search_service.search(_params(), actor=current_actor(), public_scope=True)
    return _render("public/search.html", page, endpoint="search.public_search", link=_public_link)


@bp.get("/staff/search")
@staff_required("read")
def staff_search():
    """Search everything, drafts included, with every facet."""
    page = search_service.search(_params(), actor=current_actor(), public_scope=False)
    return _render("staff/search.html", page, endpoint="search.staff_search", link=_staff_link)


@bp.get("/search/export.<fmt>")
@staff_required("export")
def export_public(fmt: str):
    """Download what the public search finds (no sensitive locations)."""
    return _download(fmt, public_scope=True)


@bp.get("/staff/search/export.<fmt>")
@staff_required("export")
def export_staff(fmt: str):
    """Download what the staff search finds."""
    return _download(fmt, public_scope=False)


def _download(fmt: str, *, public_scope: bool):
    if fmt not in export_service.FORMATS:
        abort(404)
    try:
        result = export_service.export(
            _params(),
            fmt,
            actor=current_actor(),
            public_scope=public_scope,
            public_url=lambda *found: urljoin(request.url_root, _public_path(*found)),
            kind_label=lambda kind: str(KIND_LABELS[kind]),
        )
    except InvalidQuery as error:
        abort(400, say(error.said))
    # Written out here, while the request's database session is open; the file is about
    # as big as the rows it holds (a few MB for the largest export allowed).
    chunks = list(result.chunks)
    return Response(
        chunks,
        content_type=result.mimetype,  # as the export names it, charset included
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )
