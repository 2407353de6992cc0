"""Staff pages for sites: the catalogue, the site form, workflow steps and history."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.i18n import say
from heritage.identity import current_actor
from heritage.schemas import SiteInput
from heritage.search import InvalidQuery
from heritage.services import collection, editing, gravestones, packages, restorations, sites
from heritage.services import photos as photo_service
from heritage.services.pagination import Page
from heritage.services.permissions import can
from heritage.services.public import SiteFilters
from heritage.vocab import CONDITIONS, DISTRICTS, PUBLICATION_STATUSES, SITE_TYPES
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors, form_payload
from heritage.web.kinds import StaffPages, add_record_pages, edit_form
from heritage.web.labels import STEP_BUTTONS

bp = Blueprint("catalogue", __name__, url_prefix="/staff/sites")

# The catalogue's filters, each with the vocabulary its values come from.
CATALOGUE_FILTERS = {"district": DISTRICTS, "site_type": SITE_TYPES, "condition": CONDITIONS}


@bp.get("/")
@staff_required("read")
def list_sites():
    """Every site, of every status: found by words, narrowed by status, district, type and
    condition, in the order asked, a page at a time."""
    args = request.args
    status = args.get("status") if args.get("status") in PUBLICATION_STATUSES else None
    sort = args.get("sort") if args.get("sort") in sites.CATALOGUE_SORTS else "changed"
    filters = SiteFilters(
        **{name: args.get(name) if args.get(name) in vocabulary else None
           for name, vocabulary in CATALOGUE_FILTERS.items()}
    )  # fmt: skip
    q, error = (args.get("q") or "").strip()[:200], None
    lang = str(get_locale())
    try:
        page = sites.list_sites(
            filters, actor=current_actor(), status=status, q=q, sort=sort, lang=lang,
            page=args.get("page", 1, type=int), per_page=current_app.config["CATALOGUE_PAGE_SIZE"],
        )  # fmt: skip
    except InvalidQuery as invalid:
        page, error = Page(items=[], total=0, page=1, per_page=1), say(invalid.said)
    if page.past_the_end:
        abort(404)
    chosen = {"q": q or None, "status": status, **filters.as_args()}
    return render_template(
        "staff/sites.html", page=page, chosen=chosen, sort=sort, error=error,
        sorts=sites.CATALOGUE_SORTS, may_export=can(current_actor(), "export"),
    )  # fmt: skip


@bp.route("/new", methods=["GET", "POST"])
@staff_required("site.create")
def new_site():
    """Catalogue a new site."""
    if request.method == "GET":
        return render_template("staff/site_form.html", site=None, values={}, errors={})
    payload = form_payload(SiteInput, request.form)
    try:
        site = sites.create_site(payload, actor=current_actor())
    except ValidationError as error:
        page = render_template(
            "staff/site_form.html", site=None, values=payload, errors=field_errors(error)
        )
        return page, 422
    flash(_("Site catalogued as a draft."), "success")
    return redirect(url_for(".show_site", site_id=site.id), 303)


@bp.get("/<int:site_id>")
@staff_required("read")
def show_site(site_id: int):
    """A site as staff see it: every field, its work log, what can be done next."""
    site = sites.get_site(site_id, actor=current_actor())
    return render_template(
        "staff/site.html",
        site=site,
        records=restorations.records_of_site(site.id),
        objects=collection.objects_of_site(site.id),
        may_add_object=can(current_actor(), "object.create"),
        gravestones=gravestones.gravestones_of_site(site.id),
        may_add_gravestone=can(current_actor(), "gravestone.create"),
        surveys=site.surveys,
        may_add_survey=can(current_actor(), "survey.create"),
        steps=editing.available_steps(sites.SITE, site, current_actor()),
        step_buttons=STEP_BUTTONS,
        may_edit=sites.may_edit(site, current_actor()),
        may_log_work=can(current_actor(), "record.create"),
    )


@bp.get("/<int:site_id>/bag")
@staff_required("read")
def download_bag(site_id: int):
    """The site, its work, photos (originals) and history as a BagIt bag in a ZIP file."""
    archive, remove = packages.zipped_bag(site_id, actor=current_actor())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    response = send_file(
        archive, as_attachment=True, download_name=f"heritage-site-{site_id}-{stamp}-bagit.zip"
    )
    response.call_on_close(remove)
    return response


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
@staff_required("read")
def edit_site(site_id: int):
    """Edit a site; a stale form is refused with what changed meanwhile."""
    return edit_form(PAGES, site_id, "staff/site_form.html", _form_context)


def _form_context(site) -> dict:
    """The site, and its photos to choose the cover from."""
    return {"site": site, "photos": photo_service.site_photos(site.id)}


PAGES = StaffPages(
    kind=sites.SITE,
    rule="/<int:site_id>",
    id_name="site_id",
    get=sites.get_site,
    update=sites.update_site,
    change_status=sites.change_site_status,
    restore=sites.restore_site_version,
    title=lambda site: site.name(),
    may_restore=sites.may_edit,
    restore_permission="read",
)
add_record_pages(bp, PAGES)
