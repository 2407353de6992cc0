"""Staff pages for restoration records: the restorers' work log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.schemas import RestorationInput
from heritage.services import audit, editing, restorations, sites
from heritage.services.errors import Conflict
from heritage.services.permissions import can
from heritage.web.auth import current_actor, staff_required
from heritage.web.forms import field_errors, form_payload, version_field
from heritage.web.labels import STEP_BUTTONS
from heritage.web.steps import flash_saved, restore_version, take_step

bp = Blueprint("worklog", __name__, url_prefix="/staff")


@bp.route("/sites/<int:site_id>/records/new", methods=["GET", "POST"])
@staff_required("record.create")
def log_work(site_id: int):
    """Log work done or planned on a site."""
    site = sites.get_site(site_id)
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
    record = restorations.get_record(record_id)
    return render_template(
        "staff/record.html",
        record=record,
        site=record.site,
        steps=editing.available_steps(restorations.RECORD, record, current_actor()),
        step_buttons=STEP_BUTTONS,
        may_edit=can(current_actor(), "record.update"),
    )


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@staff_required("record.update")
def edit_record(record_id: int):
    """Update a record as the work moves on; a stale form is refused with what changed."""
    record = restorations.get_record(record_id)
    proposes = editing.proposes(restorations.RECORD.name, record, current_actor())
    if request.method == "GET":
        values = editing.editable_values(restorations.RECORD, record, current_actor())
        return render_template(
            "staff/record_form.html",
            site=record.site,
            record=record,
            values=values,
            errors={},
            proposes=proposes,
        )
    payload = form_payload(RestorationInput, request.form)
    context = {}
    try:
        record = restorations.update_record(
            record_id, payload, actor=current_actor(), version=version_field(request.form)
        )
    except ValidationError as error:
        context, status = {"errors": field_errors(error)}, 422
    except Conflict as conflict:
        context, status = {"errors": {}, "conflict": conflict}, 409
    if context:
        record = restorations.get_record(record_id)
        page = render_template(
            "staff/record_form.html",
            site=record.site,
            record=record,
            values=payload,
            proposes=proposes,
            **context,
        )
        return page, status
    flash_saved(restorations.RECORD, record)
    return redirect(url_for(".show_record", record_id=record_id), 303)


@bp.post("/records/<int:record_id>/workflow/<action>")
@staff_required("read")
def change_status(record_id: int, action: str):
    """Submit, publish, send back, withdraw or restore a record."""
    take_step(restorations.change_record_status, record_id, action)
    return redirect(url_for(".show_record", record_id=record_id), 303)


@bp.get("/records/<int:record_id>/history")
@staff_required("read")
def record_history(record_id: int):
    """Every change to a record: who, when, which fields, old → new."""
    record = restorations.get_record(record_id)
    return render_template(
        "staff/history.html",
        entity=record,
        title=record.title,
        events=audit.history("record", record.id),
        back_url=url_for(".show_record", record_id=record.id),
        restore_endpoint="worklog.restore_old_version",
        may_restore=can(current_actor(), "record.update"),
        id_arg={"record_id": record.id},
    )


@bp.post("/records/<int:record_id>/history/<int:target>/restore")
@staff_required("record.update")
def restore_old_version(record_id: int, target: int):
    """Bring back the fields of an earlier version, as a new change."""
    restore_version(restorations.restore_record_version, record_id, target)
    return redirect(url_for(".record_history", record_id=record_id), 303)
