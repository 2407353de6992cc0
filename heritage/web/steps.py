"""Workflow steps and version restores submitted from staff pages, for any kind of record."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.i18n import say
from heritage.identity import current_actor
from heritage.services import editing
from heritage.services.errors import Conflict, InvalidTransition
from heritage.text import N_
from heritage.web.forms import field_errors, version_field
from heritage.web.items import item_title
from heritage.web.labels import field_label

# What a step did, naming the record.
STEP_DONE = {
    "submit": N_("Submitted for review: %(name)s."),
    "publish": N_("Published: %(name)s."),
    "send_back": N_("Sent back: %(name)s."),
    "withdraw": N_("Withdrawn: %(name)s."),
    "restore": N_("Restored: %(name)s."),
}


def confirmed(action: str) -> bool:
    """Whether the form confirmed a step that needs it (withdrawing takes a record off the
    public pages), flashing what to do when it did not."""
    if action != "withdraw" or request.form.get("confirm"):
        return True
    flash(_("Nothing was withdrawn: tick the box that confirms the withdrawal."), "error")
    return False


def done(entity, action: str) -> None:
    """Say what the step did, naming the record."""
    flash(_(STEP_DONE[action], name=item_title(entity, str(get_locale()))), "success")


def after_step(default_url: str) -> str:
    """Where a step's form goes back to: the review queue it was sent from, or the record."""
    if request.form.get("return_to") == "review":
        return url_for("staff.review_queue")
    return default_url


def take_step(change_status: Callable, entity_id: int, action: str) -> None:
    """Run the workflow step posted by a form and flash how it went."""
    if not confirmed(action):
        return
    try:
        entity = change_status(
            entity_id,
            action,
            actor=current_actor(),
            version=version_field(request.form),
            note=request.form.get("note"),
        )
    except ValidationError as error:
        if "note" not in error.normalized_messages():  # a proposed change fails today's rules
            fields = ", ".join(field_label(name) for name in field_errors(error))
            flash(_("The change cannot be published: %(fields)s.", fields=fields), "error")
        elif (request.form.get("note") or "").strip():
            flash(_("The note cannot be kept: use at most 2000 characters of text."), "error")
        else:
            flash(_(N_("Give a reason; it is kept with the record's history.")), "error")
    except (Conflict, InvalidTransition) as error:
        flash(say(error.message), "error")
    else:
        done(entity, action)


def restore_version(restore: Callable, entity_id: int, target: int) -> None:
    """Bring back an earlier version's fields as a new change, and flash how it went."""
    try:
        restore(entity_id, target, actor=current_actor(), version=version_field(request.form))
    except Conflict as error:
        flash(say(error.message), "error")
    except ValidationError as error:
        fields = ", ".join(field_label(name) for name in field_errors(error))
        flash(
            _(
                "That version cannot be restored: it does not pass today's checks (%(fields)s).",
                fields=fields,
            ),
            "error",
        )
    else:
        flash(_("Version %(n)s restored as a new change.", n=target), "success")


def flash_saved(kind: editing.Kind, entity) -> None:
    """Say that a change was saved, or that it waits for an editor's review."""
    if editing.proposes(kind.name, entity, current_actor()):
        flash(
            _(
                "Your change waits for an editor's review; the public sees the published "
                "version until then."
            ),
            "success",
        )
    else:
        flash(_("Changes saved."), "success")
