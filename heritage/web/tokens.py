"""The staff page for API tokens: create one (its secret shown once), list and revoke."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.identity import current_actor
from heritage.services import tokens
from heritage.services.permissions import can
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors

bp = Blueprint("tokens", __name__, url_prefix="/staff/tokens")


def _page(status: int = 200, **context):
    actor = current_actor()
    everyone = can(actor, "token.manage")
    page = render_template(
        "staff/tokens.html",
        tokens=tokens.list_tokens(actor=actor, everyone=everyone),
        everyone=everyone,
        values=context.pop("values", {}),
        errors=context.pop("errors", {}),
        **context,
    )
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/")
@staff_required("read")
def list_tokens():
    """One's API tokens (an admin's page lists everyone's), and the form for a new one;
    after a token is created, its secret, this once."""
    issued = session.pop(_ISSUED, None)
    return _page(issued=issued)


@bp.post("/")
@staff_required("read")
def create_token():
    """Issue a token for oneself; the page shows its secret this once."""
    actor = current_actor()
    data = {"name": request.form.get("name", ""), "read_only": "read_only" in request.form}
    try:
        issued = tokens.create_token(actor.id, data, actor=actor)
    except ValidationError as error:
        return _page(422, values=data, errors=field_errors(error))
    # Shown by the page this redirects to, so reloading it cannot create a second token.
    session[_ISSUED] = {"name": issued.token.name, "secret": issued.secret}
    return redirect(url_for(".list_tokens"), 303)


# Where the new token's secret waits in the session for the page that shows it once.
_ISSUED = "issued_token"


@bp.post("/<int:token_id>/revoke")
@staff_required("read")
def revoke_token(token_id: int):
    """Revoke a token: it stops working at once."""
    tokens.revoke_token(token_id, actor=current_actor())
    flash(_("Token revoked."), "success")
    return redirect(url_for(".list_tokens"), 303)
