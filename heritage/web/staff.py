"""The staff workspace: dashboard, cataloguing, the work log, review, history."""

from __future__ import annotations

from flask import Blueprint, render_template

from heritage.identity import current_actor
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
    """Everything submitted for review, with the editor's buttons."""
    board = overview(current_actor())
    return render_template(
        "staff/review.html",
        sites=board.sites_in_review,
        records=board.records_in_review,
        items=board.items_in_review,
        changes=board.changes_in_review,
        may_review=can(current_actor(), "site.publish"),
    )
