"""The staff page for spreadsheet imports: a dry run first, then the import itself."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from heritage.bodies import streams_uploads
from heritage.identity import current_actor
from heritage.services import import_runs, importing
from heritage.services.errors import Conflict
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
    options = {
        "actor": current_actor(),
        "skip_invalid": bool(request.form.get("skip_invalid")),
        "submit": bool(request.form.get("submit")) and can(current_actor(), "site.publish"),
    }
    real = request.form.get("action") == "import" and not request.form.get("as_csv")
    if real and not importing.is_photo_zip(upload.filename):
        # A real import runs on its own; its page follows it and then shows the report.
        run = importing.import_in_background(upload.stream, upload.filename, **options)
        return redirect(url_for(".show_run", run_id=run.id), 303)
    report = importing.import_file(
        upload.stream, upload.filename, dry_run=request.form.get("action") != "import", **options
    )
    if request.form.get("as_csv"):
        return _csv(report)
    return _page(report, filename=upload.filename), 200 if report.succeeded else 422


@bp.route("/import/runs")
@staff_required("site.create")
def list_runs():
    """Every import, newest first, with its state and progress."""
    found = import_runs.list_runs(actor=current_actor(), page=request.args.get("page", 1, int))
    running = any(run.state in ("queued", "running") for run in found.items)
    return render_template("staff/import_runs.html", runs=found, running=running, **_helpers())


@bp.route("/import/runs/<int(max=2147483647):run_id>")
@staff_required("site.create")
def show_run(run_id: int):
    """One import: its progress while it runs (the page reloads itself), then its report."""
    run = import_runs.get_run(run_id, actor=current_actor())
    report = None if run.state in ("queued", "running") else import_runs.report_of(run)
    return _page(report, run=run, filename=run.filename)


@bp.route("/import/runs/<int(max=2147483647):run_id>/report.csv")
@staff_required("site.create")
def run_report(run_id: int):
    """A finished import's report as CSV, in the reader's language."""
    return _csv(import_runs.report_of(import_runs.get_run(run_id, actor=current_actor())))


@bp.route("/import/runs/<int(max=2147483647):run_id>/undo", methods=["POST"])
@staff_required("site.publish")
def undo_run(run_id: int):
    """Undo a whole import: what it created is removed, what it updated restored."""
    try:
        import_runs.undo(run_id, actor=current_actor())
    except Conflict as refusal:
        flash(say(refusal.message), "error")
    else:
        flash(_("The import was undone."), "success")
    return redirect(url_for(".show_run", run_id=run_id), 303)


def _csv(report: importing.ImportReport):
    disposition = f'attachment; filename="{importing.report_filename()}"'
    headers = {"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": disposition}
    return report.as_csv(say), 200, headers


def _helpers() -> dict:
    states = {
        "queued": _("waiting to start"),
        "running": _("running"),
        "done": _("imported"),
        "refused": _("nothing written"),
        "checked": _("dry run"),
        "failed": _("stopped by an error"),
        "undone": _("undone"),
    }
    return {"states": states, "stalled": import_runs.stalled}


def _page(report: importing.ImportReport | None, **context) -> str:
    outcomes = {"create": _("created"), "update": _("updated"), "unchanged": _("unchanged")}
    return render_template(
        "staff/import.html",
        report=report,
        outcomes=outcomes,
        may_submit=can(current_actor(), "site.publish"),
        **_helpers(),
        **context,
    )
