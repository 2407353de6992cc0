"""Spreadsheet imports in the JSON API: the same import, dry run and report as the
`heritage import` command and the staff page /staff/import."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.experimental.context import Context

from heritage.api import auth
from heritage.api.common import WRITE_ERRORS, documented
from heritage.api.errors import ProblemSchema, guard, in_language
from heritage.bodies import streams_uploads
from heritage.problems import PROBLEM_JSON
from heritage.schemas.importing import ImportReportOutput
from heritage.services import importing
from heritage.services.permissions import can
from heritage.vocab import LANGUAGES

blp = Blueprint("imports_api", __name__, url_prefix="/api/v1", description="Spreadsheet imports.")
guard(blp)


class ImportArgs(Schema):
    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "Report what the import would do, and write nothing."},
    )
    skip_invalid = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Import the valid rows and report the others (otherwise "
            "one bad row writes nothing)."
        },
    )
    submit = fields.Boolean(
        load_default=False,
        metadata={"description": "Send the new rows for review (editors and admins)."},
    )
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={"description": "csv: the report as a CSV file, a line per row and problem."},
    )
    lang = fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Language of the problems' messages (default en)."},
    )


class ImportUpload(Schema):
    file = fields.Raw(
        required=True,
        metadata={
            "type": "string",
            "format": "binary",
            "description": "The CSV or XLSX file, or a ZIP of photos (see the README).",
        },
    )


# The report as JSON, or with format=csv as the CSV file the staff page downloads.
_REPORT = {
    "application/json": {"schema": ImportReportOutput},
    "text/csv": {"schema": {"type": "string"}},
}


@blp.route("/imports", methods=["POST"])
@streams_uploads(lambda: can(auth.caller().actor, "site.create"))
@blp.arguments(ImportArgs, location="query", as_kwargs=True)
@blp.doc(
    requestBody={"required": True, "content": {"multipart/form-data": {"schema": ImportUpload}}},
    responses={
        "200": {
            "description": "Imported (or, for a dry run, nothing wrong found).",
            "content": _REPORT,
        },
        "422": {
            "description": "The file has problems (listed in the report), or the request is "
            "not valid (problem+json); nothing was written.",
            "content": {**_REPORT, PROBLEM_JSON: {"schema": ProblemSchema}},
        },
    },
)
@documented(blp, {k: v for k, v in WRITE_ERRORS.items() if k not in (404, 412, 422, 428)})
def import_table(dry_run: bool, skip_invalid: bool, submit: bool, format: str, lang=None):
    """Import sites and restoration records from a CSV or XLSX file, or photos from a ZIP
    (multipart field `file`); with dry_run=true report what would change, writing nothing."""
    files = request.files.getlist("file")
    if len(files) != 1 or not files[0].filename:
        raise ValidationError({"file": ["Send exactly one CSV or XLSX file in the field 'file'."]})
    report = importing.import_file(
        files[0].stream,
        files[0].filename,
        actor=auth.actor(),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        submit=submit,
    )
    status = 200 if report.succeeded else 422
    if format == "csv":
        disposition = f'attachment; filename="{importing.report_filename()}"'
        headers = {"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": disposition}
        return report.as_csv(in_language), status, headers
    with Context({"say": in_language}):
        return ImportReportOutput().dump(report), status
