"""Validation and serialisation of condition surveys."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates

from heritage.schemas.audit import StaffTrail, public_updated_field, public_version_field
from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Code, Reference, Text, by_language
from heritage.vocab import (
    CONDITIONS,
    DAMAGE_EXTENTS,
    DAMAGE_TYPES,
    RISK_LEVELS,
    SURVEY_METHODS,
    URGENCIES,
)


class DamageInput(InputSchema):
    """One kind of damage found, and how far it goes."""

    damage_type = Code(DAMAGE_TYPES, required=True)
    extent = Code(DAMAGE_EXTENTS, required=True)


class SurveyInput(InputSchema):
    """The fields staff may write on a condition survey."""

    # What was surveyed, when not the whole site: one of its objects or gravestones.
    object_id = Reference()
    gravestone_id = Reference()
    survey_date = fields.Date(required=True)
    assessor = Text(max_length=300, allow_none=True)
    organisation = Text(max_length=500, allow_none=True)
    method = Code(SURVEY_METHODS, required=True)
    overall_condition = Code(CONDITIONS, required=True)
    damages = fields.List(
        fields.Nested(DamageInput), load_default=list, validate=validate.Length(max=30)
    )
    risk_level = Code(RISK_LEVELS, required=True)
    urgency = Code(URGENCIES, required=True)
    findings_az = Text(max_length=20000, multiline=True, allow_none=True)
    findings_en = Text(max_length=20000, multiline=True, allow_none=True)
    findings_ru = Text(max_length=20000, multiline=True, allow_none=True)
    recommendations_az = Text(max_length=20000, multiline=True, allow_none=True)
    recommendations_en = Text(max_length=20000, multiline=True, allow_none=True)
    recommendations_ru = Text(max_length=20000, multiline=True, allow_none=True)
    internal_note = Text(max_length=20000, multiline=True, allow_none=True)

    @validates("survey_date")
    def not_in_the_future(self, value: date, **kwargs) -> None:
        if value > date.today():
            raise ValidationError("Must not be in the future.")


class DamageOutput(Schema):
    damage_type = fields.String()
    extent = fields.String()


class SurveyPublic(Schema):
    """A published condition survey as anyone may read it."""

    id = fields.Integer()
    site_id = fields.Integer()
    object_id = fields.Integer(allow_none=True)
    gravestone_id = fields.Integer(allow_none=True)
    status = fields.String()
    version = public_version_field()
    survey_date = fields.Date()
    assessor = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    method = fields.String()
    overall_condition = fields.String()
    damages = fields.List(fields.Nested(DamageOutput))
    risk_level = fields.String()
    urgency = fields.String()
    findings = by_language("findings", "What was found, by language.")
    recommendations = by_language("recommendations", "What was recommended, by language.")
    published_at = fields.DateTime(allow_none=True)
    updated_at = public_updated_field()


class SurveyStaff(SurveyPublic, StaffTrail):
    """A condition survey as staff read it: its internal note and keeping too."""

    version = fields.Integer()
    updated_at = fields.DateTime()
