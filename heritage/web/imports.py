"""The staff page for spreadsheet imports: a dry run first, then the import itself."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from heritage.bodies import streams_uploads
from heritage.identity import current_actor
from heritage.services import importing
from heritage.services.permissions import can
from heritage.web.auth import staff_required
from heritage.web.filters import say

bp = Blueprint("imports", __name__, url_prefix="/staff")


@bp.route("/import", methods=["GET", "POST"])
@streams_uploads(lambda: can(current_actor(), "site.create"))
@staff_required("site.create")
def import_table():
    """Upload a CSV or XLSX file: "Check" reports what would change; "Import" writes it."""
    if request.method == "GET":
        return _page(None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(None, missing=True), 422
    report = importing.import_file(
        upload.stream,
        upload.filename,
        actor=current_actor(),
        dry_run=request.form.get("action") != "import",
        skip_invalid=bool(request.form.get("skip_invalid")),
        submit=bool(request.form.get("submit")) and can(current_actor(), "site.publish"),
    )
    if request.form.get("as_csv"):
        return (
            report.as_csv(say),
            200,
            {
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{importing.report_filename()}"',
            },
        )
    return _page(report, filename=upload.filename), 200 if report.succeeded else 422


def _page(report: importing.ImportReport | None, **context) -> str:
    outcomes = {"create": _("created"), "update": _("updated"), "unchanged": _("unchanged")}
    return render_template(
        "staff/import.html",
        report=report,
        outcomes=outcomes,
        may_submit=can(current_actor(), "site.publish"),
        **context,
    )
