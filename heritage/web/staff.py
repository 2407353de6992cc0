"""The staff workspace: dashboard, cataloguing, the work log, review, history."""

from __future__ import annotations

from flask import Blueprint, render_template

from heritage.services.dashboard import overview
from heritage.web.auth import current_actor, staff_required

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
@staff_required("read")
def dashboard():
    """What needs me: my drafts, items awaiting review, recent activity, the archive at a glance."""
    return render_template("staff/dashboard.html", board=overview(current_actor()))
