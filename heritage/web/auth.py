"""Signing in and out, and the guards staff pages use."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from marshmallow import ValidationError

from heritage.identity import current_actor
from heritage.services import auth
from heritage.services.errors import Busy
from heritage.services.permissions import can
from heritage.web.forms import field_errors

bp = Blueprint("auth", __name__)


def staff_required(permission: str | None = None):
    """Send anonymous visitors to sign in; refuse (403) accounts without `permission`."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            actor = current_actor()
            if actor is None:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if permission is not None and not can(actor, permission):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


@bp.route("/login", methods=["GET", "POST"])
def sign_in():
    """The sign-in form."""
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", next_url=next_url)
    email = request.form.get("email", "")
    try:
        user = auth.authenticate(
            email, request.form.get("password", ""), client_address=request.remote_addr or ""
        )
    except auth.TooManyAttempts as error:
        page = render_template("auth/login.html", next_url=next_url, email=email, error=_(
            "Too many failed sign-in attempts. Try again in %(seconds)s seconds.",
            seconds=error.retry_after,
        ))  # fmt: skip
        return page, 429, {"Retry-After": str(error.retry_after)}
    except auth.SignInRefused:
        error = _("The e-mail address or password is not correct.")
        page = render_template("auth/login.html", next_url=next_url, email=email, error=error)
        return page, 401
    except Busy as busy:
        error = _(
            "The archive is busy at the moment and you were not signed in. "
            "Try again in a few seconds."
        )
        page = render_template("auth/login.html", next_url=next_url, email=email, error=error)
        return page, 503, {"Retry-After": str(busy.retry_after)}
    session.clear()  # a fresh session: nothing from before sign-in carries over
    login_user(user)
    return redirect(next_url or url_for("staff.dashboard"))


@bp.post("/logout")
def sign_out():
    """Sign out, voiding every session of this account."""
    actor = current_actor()
    if actor is not None:
        auth.sign_out_everywhere(actor)
    logout_user()
    session.clear()
    return redirect(url_for("public.index"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never an open redirect to another host, nor a header break.

    Control and separator characters are refused, not stripped: browsers drop tabs and line
    breaks from addresses, so "/<tab>/evil.example" would lead to another host.
    """
    if not target or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/staff/account/password", methods=["GET", "POST"])
@staff_required()
def change_password():
    """Change one's own password; every other session of the account ends."""
    if request.method == "GET":
        return render_template("auth/password.html", errors={})
    actor = current_actor()
    try:
        auth.change_password(
            actor, request.form.get("current_password", ""), request.form.get("password", "")
        )
    except ValidationError as error:
        return render_template("auth/password.html", errors=field_errors(error)), 422
    except auth.SignInRefused:
        errors = {"current_password": [_("The current password is not correct.")]}
        return render_template("auth/password.html", errors=errors), 422
    # This session carried the old session version too: sign it in afresh with the new one.
    session.clear()
    login_user(actor)
    flash(_("Password changed. You were signed out everywhere else."), "success")
    return redirect(url_for("staff.dashboard"), 303)
