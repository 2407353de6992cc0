"""Staff pages for collection objects: catalogue one, its page, edit, workflow, history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.identity import current_actor
from heritage.schemas import CollectionObjectInput
from heritage.services import collection, editing, sites
from heritage.services.permissions import can
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors, form_payload
from heritage.web.kinds import StaffPages, add_record_pages, edit_form
from heritage.web.labels import STEP_BUTTONS

bp = Blueprint("objects", __name__, url_prefix="/staff")

FORM = "staff/object_form.html"


@bp.route("/sites/<int:site_id>/objects/new", methods=["GET", "POST"])
@staff_required("object.create")
def new_object(site_id: int):
    """Catalogue an object of a site's collection, with where it is now and since when."""
    site = sites.get_site(site_id, actor=current_actor())
    if request.method == "GET":
        return render_template(FORM, site=site, obj=None, values={}, errors={})
    payload = form_payload(CollectionObjectInput, request.form)
    try:
        obj = collection.create_object(site_id, payload, actor=current_actor())
    except ValidationError as error:
        page = render_template(
            FORM, site=site, obj=None, values=payload, errors=field_errors(error)
        )
        return page, 422
    flash(_("Object catalogued as a draft."), "success")
    return redirect(url_for(".show_object", object_id=obj.id), 303)


@bp.get("/objects/<int:object_id>")
@staff_required("read")
def show_object(object_id: int):
    """A collection object as staff see it, with its status history."""
    obj = collection.get_object(object_id, actor=current_actor())
    return render_template(
        "staff/object.html",
        obj=obj,
        site=obj.site,
        steps=editing.available_steps(collection.OBJECT, obj, current_actor()),
        step_buttons=STEP_BUTTONS,
        may_edit=can(current_actor(), "object.update"),
        may_upload=can(current_actor(), "photo.upload"),
    )


@bp.route("/objects/<int:object_id>/edit", methods=["GET", "POST"])
@staff_required("object.update")
def edit_object(object_id: int):
    """Edit an object or add to its status history; a stale form is refused."""
    return edit_form(PAGES, object_id, FORM, lambda obj: {"site": obj.site, "obj": obj})


PAGES = StaffPages(
    kind=collection.OBJECT,
    rule="/objects/<int:object_id>",
    id_name="object_id",
    get=collection.get_object,
    update=collection.update_object,
    change_status=collection.change_object_status,
    restore=collection.restore_object_version,
    title=lambda obj: obj.title(),
    may_restore=lambda _obj, actor: can(actor, "object.update"),
    restore_permission="object.update",
)
add_record_pages(bp, PAGES)
