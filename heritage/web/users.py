"""Admin pages for staff accounts: create, change role, deactivate (never delete)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.identity import current_actor
from heritage.services import users
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors

bp = Blueprint("users", __name__, url_prefix="/staff/users")


@bp.get("/")
@staff_required("user.manage")
def list_users():
    """Every account, with forms to add one and to change each."""
    return render_template("staff/users.html", users=users.list_users(), values={}, errors={})


@bp.post("/")
@staff_required("user.manage")
def create_user():
    """Create an account."""
    data = {name: request.form.get(name, "") for name in ("email", "name", "role", "password")}
    try:
        user = users.create_user(data, actor=current_actor())
    except ValidationError as error:
        data.pop("password")
        page = render_template(
            "staff/users.html", users=users.list_users(), values=data, errors=field_errors(error)
        )
        return page, 422
    flash(_("Account %(email)s created.", email=user.email), "success")
    return redirect(url_for(".list_users"), 303)


@bp.post("/<int:user_id>/role")
@staff_required("user.manage")
def change_role(user_id: int):
    """Give an account another role."""
    try:
        users.change_role(user_id, request.form.get("role", ""), actor=current_actor())
    except ValidationError as error:
        flash(" ".join(msg for msgs in field_errors(error).values() for msg in msgs), "error")
    else:
        flash(_("Role changed."), "success")
    return redirect(url_for(".list_users"), 303)


@bp.post("/<int:user_id>/active")
@staff_required("user.manage")
def set_active(user_id: int):
    """Deactivate an account (its history stays attributed), or activate it again."""
    active = request.form.get("active") == "1"
    try:
        users.set_active(user_id, active, actor=current_actor())
    except ValidationError as error:
        flash(" ".join(msg for msgs in field_errors(error).values() for msg in msgs), "error")
    else:
        flash(_("Account activated.") if active else _("Account deactivated."), "success")
    return redirect(url_for(".list_users"), 303)
