"""Serialisation of an import's report: what each row did, and each problem where it is."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.experimental.context import Context


def _said(problem) -> str:
    """The problem's message, in the language the caller's context says (else English)."""
    return Context.get({}).get("say", str)(problem.message)


class OutcomeOutput(Schema):
    row = fields.Integer(metadata={"description": "The row's number in the file (1: header)."})
    kind = fields.String(metadata={"description": "site or record."})
    action = fields.String(metadata={"description": "create, update or unchanged."})
    key = fields.String(metadata={"description": "A site's address; a record's site: title."})
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw(allow_none=True)),
        metadata={"description": "On update: {field: [value before, value after]}."},
    )


class ProblemOutput(Schema):
    row = fields.Integer(metadata={"description": "0 is the file itself, 1 its header row."})
    column = fields.String()
    value = fields.String()
    message = fields.Function(_said, metadata={"description": "What is wrong, for a person."})


class ImportCounts(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    problems = fields.Integer()


class ImportReportOutput(Schema):
    """An import's report; `written` says whether anything was saved."""

    dry_run = fields.Boolean()
    written = fields.Boolean(
        metadata={
            "description": "Saved: false for a dry run, and for a file with problems "
            "unless skip_invalid."
        }
    )
    counts = fields.Nested(ImportCounts)
    outcomes = fields.List(fields.Nested(OutcomeOutput))
    problems = fields.List(fields.Nested(ProblemOutput))
