"""Staff pages for restoration records: the restorers' work log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.identity import current_actor
from heritage.schemas import RestorationInput
from heritage.services import editing, restorations, sites
from heritage.services.permissions import can
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors, form_payload
from heritage.web.kinds import StaffPages, add_record_pages, edit_form
from heritage.web.labels import STEP_BUTTONS

bp = Blueprint("worklog", __name__, url_prefix="/staff")


@bp.route("/sites/<int:site_id>/records/new", methods=["GET", "POST"])
@staff_required("record.create")
def log_work(site_id: int):
    """Log work done or planned on a site."""
    site = sites.get_site(site_id, actor=current_actor())
    if request.method == "GET":
        return render_template(
            "staff/record_form.html", site=site, record=None, values={}, errors={}
        )
    payload = form_payload(RestorationInput, request.form)
    try:
        record = restorations.create_record(site_id, payload, actor=current_actor())
    except ValidationError as error:
        page = render_template(
            "staff/record_form.html",
            site=site,
            record=None,
            values=payload,
            errors=field_errors(error),
        )
        return page, 422
    flash(_("Work logged as a draft."), "success")
    return redirect(url_for(".show_record", record_id=record.id), 303)


@bp.get("/records/<int:record_id>")
@staff_required("read")
def show_record(record_id: int):
    """A restoration record as staff see it."""
    record = restorations.get_record(record_id, actor=current_actor())
    return render_template(
        "staff/record.html",
        record=record,
        site=record.site,
        steps=editing.available_steps(restorations.RECORD, record, current_actor()),
        step_buttons=STEP_BUTTONS,
        may_edit=can(current_actor(), "record.update"),
        may_upload=can(current_actor(), "photo.upload"),
    )


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@staff_required("record.update")
def edit_record(record_id: int):
    """Update a record as the work moves on; a stale form is refused with what changed."""
    return edit_form(
        PAGES,
        record_id,
        "staff/record_form.html",
        lambda record: {"site": record.site, "record": record},
    )


PAGES = StaffPages(
    kind=restorations.RECORD,
    rule="/records/<int:record_id>",
    id_name="record_id",
    get=restorations.get_record,
    update=restorations.update_record,
    change_status=restorations.change_record_status,
    restore=restorations.restore_record_version,
    title=lambda record: record.title,
    may_restore=lambda _record, actor: can(actor, "record.update"),
    restore_permission="record.update",
)
add_record_pages(bp, PAGES)
