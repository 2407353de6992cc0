"""The staff pages every kind of record has: its edit form, workflow steps, history and the
restore of an earlier version. A kind's blueprint adds them with a call, not with copies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError

from heritage.identity import current_actor
from heritage.services import audit, editing
from heritage.services.errors import Conflict
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors, form_payload, version_field
from heritage.web.steps import after_step, flash_saved, restore_version, take_step


@dataclass(frozen=True)
class StaffPages:
    """One kind of record in the staff workspace: how its pages find and change a record."""

    kind: editing.Kind
    # The URL rule of one record inside its blueprint, e.g. /records/<int:record_id>.
    rule: str
    id_name: str
    get: Callable[..., Any]
    update: Callable
    change_status: Callable
    restore: Callable
    # The record's name as its pages show it.
    title: Callable[[Any], str]
    # Who may bring back an earlier version of this record.
    may_restore: Callable[[Any, Any], bool]
    # The permission the restore's form needs at the door (the service checks the rest).
    restore_permission: str

    def show_url(self, entity_id: int) -> str:
        return url_for(f".show_{self.kind.name}", **{self.id_name: entity_id})


def edit_form(pages: StaffPages, entity_id: int, template: str, context: Callable[[Any], dict]):
    """An edit form: shown with the record's values, saved (or proposed) on POST; a stale or
    invalid form is shown again, with what changed meanwhile or what is wrong."""
    entity = pages.get(entity_id, actor=current_actor())
    proposes = editing.proposes(pages.kind.name, entity, current_actor())
    if request.method == "GET":
        values = editing.editable_values(pages.kind, entity, current_actor())
        return render_template(
            template, values=values, errors={}, proposes=proposes, **context(entity)
        )
    payload = form_payload(pages.kind.schema, request.form)
    try:
        entity = pages.update(
            entity_id, payload, actor=current_actor(), version=version_field(request.form)
        )
    except ValidationError as error:
        shown, status = {"errors": field_errors(error)}, 422
    except Conflict as conflict:
        shown, status = {"errors": {}, "conflict": conflict}, 409
    else:
        flash_saved(pages.kind, entity)
        return redirect(pages.show_url(entity_id), 303)
    entity = pages.get(
        entity_id, actor=current_actor()
    )  # read again: the failed transaction was rolled back
    page = render_template(template, values=payload, proposes=proposes, **context(entity), **shown)
    return page, status


def add_record_pages(bp: Blueprint, pages: StaffPages) -> None:
    """POST <rule>/workflow/<action>, GET <rule>/history, POST <rule>/history/<n>/restore."""
    name, id_name = pages.kind.name, pages.id_name

    @staff_required("read")
    def change_status(action: str, **kwargs):
        """Submit, publish, send back, withdraw or restore a record."""
        take_step(pages.change_status, kwargs[id_name], action)
        return redirect(after_step(pages.show_url(kwargs[id_name])), 303)

    @staff_required("read")
    def history(**kwargs):
        """Every change to a record: who, when, which fields, old → new."""
        entity = pages.get(kwargs[id_name], actor=current_actor())
        return render_template(
            "staff/history.html",
            entity=entity,
            title=pages.title(entity),
            events=audit.history(name, entity.id),
            back_url=pages.show_url(entity.id),
            restore_endpoint=f"{bp.name}.restore_old_version",
            may_restore=pages.may_restore(entity, current_actor()),
            id_arg={id_name: entity.id},
        )

    @staff_required(pages.restore_permission)
    def restore_old_version(target: int, **kwargs):
        """Bring back the fields of an earlier version, as a new change."""
        restore_version(pages.restore, kwargs[id_name], target)
        return redirect(url_for(f".{name}_history", **{id_name: kwargs[id_name]}), 303)

    bp.add_url_rule(
        f"{pages.rule}/workflow/<action>", "change_status", change_status, methods=["POST"]
    )
    bp.add_url_rule(f"{pages.rule}/history", f"{name}_history", history, methods=["GET"])
    bp.add_url_rule(
        f"{pages.rule}/history/<int:target>/restore",
        "restore_old_version",
        restore_old_version,
        methods=["POST"],
    )
