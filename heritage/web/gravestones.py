"""Staff pages for gravestones: quick entry of a row of stones, a stone's page, edit,
workflow, history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.identity import current_actor
from heritage.schemas import GravestoneInput
from heritage.services import editing, gravestones, sites
from heritage.services.permissions import can
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors, form_payload
from heritage.web.kinds import StaffPages, add_record_pages, edit_form
from heritage.web.labels import STEP_BUTTONS

bp = Blueprint("gravestones", __name__, url_prefix="/staff")

FORM = "staff/gravestone_form.html"
# What the next stone of a row keeps from the one just saved.
KEPT = ("section", "row", "marker_type", "calendar", "inscription_language")


@bp.route("/sites/<int:site_id>/gravestones/new", methods=["GET", "POST"])
@staff_required("gravestone.create")
def new_gravestone(site_id: int):
    """Record a gravestone; "Save and next" opens the form again for the next stone of the
    row, keeping its section, row and kind and advancing the number."""
    site = sites.get_site(site_id, actor=current_actor())
    if request.method == "GET":
        values = {name: request.args[name] for name in ("number", *KEPT) if request.args.get(name)}
        return render_template(FORM, site=site, stone=None, values=values, errors={})
    payload = form_payload(GravestoneInput, request.form)
    payload.pop("next_stone", None)
    try:
        stone = gravestones.create_gravestone(site_id, payload, actor=current_actor())
    except ValidationError as error:
        page = render_template(
            FORM, site=site, stone=None, values=payload, errors=field_errors(error)
        )
        return page, 422
    flash(_("Gravestone %(number)s recorded as a draft.", number=stone.number), "success")
    if "next_stone" in request.form:
        kept = {name: getattr(stone, name) for name in KEPT if getattr(stone, name)}
        number = gravestones.next_number(stone.number)
        return redirect(url_for(".new_gravestone", site_id=site_id, number=number, **kept), 303)
    return redirect(url_for(".show_gravestone", gravestone_id=stone.id), 303)


@bp.get("/gravestones/<int:gravestone_id>")
@staff_required("read")
def show_gravestone(gravestone_id: int):
    """A gravestone as staff see it."""
    stone = gravestones.get_gravestone(gravestone_id, actor=current_actor())
    return render_template(
        "staff/gravestone.html",
        stone=stone,
        site=stone.site,
        steps=editing.available_steps(gravestones.GRAVESTONE, stone, current_actor()),
        step_buttons=STEP_BUTTONS,
        may_edit=can(current_actor(), "gravestone.update"),
        may_upload=can(current_actor(), "photo.upload"),
    )


@bp.route("/gravestones/<int:gravestone_id>/edit", methods=["GET", "POST"])
@staff_required("gravestone.update")
def edit_gravestone(gravestone_id: int):
    """Edit a gravestone; a stale form is refused with what changed meanwhile."""
    return edit_form(PAGES, gravestone_id, FORM, lambda stone: {"site": stone.site, "stone": stone})


PAGES = StaffPages(
    kind=gravestones.GRAVESTONE,
    rule="/gravestones/<int:gravestone_id>",
    id_name="gravestone_id",
    get=gravestones.get_gravestone,
    update=gravestones.update_gravestone,
    change_status=gravestones.change_gravestone_status,
    restore=gravestones.restore_gravestone_version,
    title=lambda stone: stone.title(),
    may_restore=lambda _stone, actor: can(actor, "gravestone.update"),
    restore_permission="gravestone.update",
)
add_record_pages(bp, PAGES)
