"""Validation of restoration-record input."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from heritage.schemas.audit import StaffTrail, public_updated_field, public_version_field
from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Code, Reference, Text
from heritage.text import N_
from heritage.vocab import CONDITIONS, STARTED_WORK_STATUSES, WORK_STATUSES, WORK_TYPES


class RestorationInput(InputSchema):
    """The fields staff may write on a restoration record."""

    title = Text(max_length=300, required=True)
    work_type = Code(WORK_TYPES, required=True)
    work_status = Code(WORK_STATUSES, required=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    organisation = Text(max_length=500, allow_none=True)
    team = Text(max_length=500, allow_none=True)
    description = Text(max_length=50000, multiline=True, allow_none=True)
    materials = Text(max_length=5000, multiline=True, allow_none=True)
    techniques = Text(max_length=5000, multiline=True, allow_none=True)
    condition_before = Code(CONDITIONS, allow_none=True)
    condition_after = Code(CONDITIONS, allow_none=True)
    # Giving a reason is the explicit override of the mine-clearance rule.
    clearance_override_reason = Text(max_length=2000, multiline=True, allow_none=True)
    # The condition survey of the site that prompted the work.
    survey_id = Reference()
    internal_note = Text(max_length=20000, multiline=True, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def check_consistency(self, data, **kwargs):
        """Dates in order, and the dates each state of the work implies."""
        errors: dict[str, list[str]] = {}
        start, end = data.get("start_date"), data.get("end_date")
        status = data.get("work_status")
        if start and end and end < start:
            errors["end_date"] = [N_("Must not be earlier than the start date.")]
        if status in STARTED_WORK_STATUSES and not start and not self.failed(data, "start_date"):
            errors["start_date"] = [N_("Work that has started needs a start date.")]
        if status == "completed" and not end and not self.failed(data, "end_date"):
            errors["end_date"] = [N_("Completed work needs an end date.")]
        reason = data.get("clearance_override_reason")
        if reason is not None and len(reason) < 10:
            errors["clearance_override_reason"] = [
                "Explain the override in a sentence (at least 10 characters)."
            ]
        if errors:
            raise ValidationError(errors)


class RecordPublic(Schema):
    """A published restoration record as anyone may read it."""

    id = fields.Integer()
    site_id = fields.Integer()
    status = fields.String()
    version = public_version_field()
    title = fields.String()
    work_type = fields.String()
    work_status = fields.String()
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    organisation = fields.String(allow_none=True)
    team = fields.String(allow_none=True)
    description = fields.String(allow_none=True, metadata={"description": "Markdown."})
    materials = fields.String(allow_none=True)
    techniques = fields.String(allow_none=True)
    condition_before = fields.String(allow_none=True)
    condition_after = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    updated_at = public_updated_field()


class RecordStaff(RecordPublic, StaffTrail):
    """A restoration record as staff read it: the clearance override and internal note too."""

    version = fields.Integer()
    updated_at = fields.DateTime()

    clearance_override_reason = fields.String(allow_none=True)
    # Staff only: the survey may not be public.
    survey_id = fields.Integer(allow_none=True)
