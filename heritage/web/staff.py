"""The staff workspace: dashboard, cataloguing, the work log, review, history."""

from __future__ import annotations

from flask import Blueprint, render_template

from heritage.identity import current_actor
from heritage.services import review
from heritage.services.dashboard import overview
from heritage.services.permissions import can
from heritage.web.auth import staff_required

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
@staff_required("read")
def dashboard():
    """What needs me: my drafts, items awaiting review, recent activity, the archive at a glance."""
    return render_template("staff/dashboard.html", board=overview(current_actor()))


@bp.get("/review")
@staff_required("read")
def review_queue():
    """Everything submitted for review, of every kind, with what it changes and the
    editor's buttons."""
    return render_template(
        "staff/review.html",
        queue=review.queue(actor=current_actor()),
        may_review=can(current_actor(), "site.publish"),
    )
