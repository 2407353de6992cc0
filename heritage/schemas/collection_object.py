"""Validation and serialisation of collection objects and their status history."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from heritage.schemas.audit import StaffTrail, public_updated_field, public_version_field
from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Code, Text, WholeNumber, by_language
from heritage.schemas.site import EARLIEST_YEAR, LATEST_YEAR
from heritage.text import N_
from heritage.vocab import LANGUAGES, OBJECT_STATUSES, OBJECT_TYPES

# A change is dated as precisely as it is known: a year, a month or a day.
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
DATE_FORMAT = N_("Give the date as YYYY, YYYY-MM or YYYY-MM-DD.")
NO_STATUS = N_("Record at least one status, with its date.")


class StatusChangeInput(InputSchema):
    """One change of where an object is: what it became, when, and how we know."""

    status = Code(OBJECT_STATUSES, required=True)
    date = fields.String(
        required=True,
        validate=validate.Regexp(
            PARTIAL_DATE, error=N_("Give the date as YYYY, YYYY-MM or YYYY-MM-DD.")
        ),
        metadata={"description": "YYYY, YYYY-MM or YYYY-MM-DD: as precisely as it is known."},
    )
    evidence = Text(max_length=5000, multiline=True, allow_none=True)
    source = Text(max_length=500, allow_none=True)

    @validates_schema
    def check_date(self, data, **kwargs):
        """A full date must be a day of the calendar, and none is in the future."""
        parts = [int(part) for part in data["date"].split("-")]
        try:
            day = date(*[*parts, 1, 1][:3])
        except ValueError:
            raise ValidationError({"date": [N_("Not a valid date.")]}) from None
        if day > date.today():
            raise ValidationError({"date": [N_("Must not be in the future.")]})


class CollectionObjectInput(InputSchema):
    """The fields staff may write on a collection object."""

    inventory_number = Text(max_length=60, required=True)
    object_type = Code(OBJECT_TYPES, required=True)
    title_az = Text(max_length=300, allow_none=True)
    title_en = Text(max_length=300, allow_none=True)
    title_ru = Text(max_length=300, allow_none=True)
    description_az = Text(max_length=20000, multiline=True, allow_none=True)
    description_en = Text(max_length=20000, multiline=True, allow_none=True)
    description_ru = Text(max_length=20000, multiline=True, allow_none=True)
    materials = Text(max_length=2000, multiline=True, allow_none=True)
    technique = Text(max_length=2000, multiline=True, allow_none=True)
    dimensions = Text(max_length=300, allow_none=True)
    date_text = Text(max_length=200, allow_none=True)
    year_from = WholeNumber(
        allow_none=True, validate=validate.Range(min=EARLIEST_YEAR, max=LATEST_YEAR)
    )
    year_to = WholeNumber(
        allow_none=True, validate=validate.Range(min=EARLIEST_YEAR, max=LATEST_YEAR)
    )
    maker = Text(max_length=300, allow_none=True)
    provenance = Text(max_length=20000, multiline=True, allow_none=True)
    current_location = Text(max_length=500, allow_none=True)
    status_history = fields.List(
        fields.Nested(StatusChangeInput),
        required=True,
        validate=validate.Length(
            min=1, max=200, error=N_("Record at least one status, with its date.")
        ),
    )
    internal_note = Text(max_length=20000, multiline=True, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def check_consistency(self, data, **kwargs):
        """A title in some language, and years in order."""
        errors: dict[str, list[str]] = {}
        titles = [f"title_{lang}" for lang in LANGUAGES]
        if not any(data.get(name) for name in titles) and not self.failed(data, *titles):
            errors["title_az"] = [N_("Give the object's title in at least one language.")]
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            errors["year_to"] = [N_("Must not be earlier than the start year.")]
        if errors:
            raise ValidationError(errors)

    @post_load
    def in_order(self, data, **kwargs):
        """The history in the order things happened (same dates keep the order given)."""
        if data.get("status_history"):
            data["status_history"] = sorted(data["status_history"], key=lambda c: c["date"])
        return data


def current_status(history: list[dict]) -> str:
    """Where the object is now: the latest change's status (unknown with no history)."""
    return history[-1]["status"] if history else "unknown"


class StatusChangeOutput(Schema):
    status = fields.String()
    date = fields.String()
    evidence = fields.String(allow_none=True)
    source = fields.String(allow_none=True)


class ObjectPublic(Schema):
    """A published collection object as anyone may read it."""

    id = fields.Integer()
    site_id = fields.Integer()
    status = fields.String()
    version = public_version_field()
    inventory_number = fields.String()
    type = fields.String(attribute="object_type")
    titles = by_language("title", "Titles keyed by language (az, en, ru); null when not given.")
    descriptions = by_language("description", "Descriptions keyed by language.")
    materials = fields.String(allow_none=True)
    technique = fields.String(allow_none=True)
    dimensions = fields.String(allow_none=True)
    date_text = fields.String(allow_none=True)
    year_from = fields.Integer(allow_none=True)
    year_to = fields.Integer(allow_none=True)
    maker = fields.String(allow_none=True)
    provenance = fields.String(allow_none=True)
    current_location = fields.String(allow_none=True)
    object_status = fields.String(metadata={"description": "The latest status of its history."})
    status_history = fields.List(fields.Nested(StatusChangeOutput))
    published_at = fields.DateTime(allow_none=True)
    updated_at = public_updated_field()


class ObjectStaff(ObjectPublic, StaffTrail):
    """A collection object as staff read it: its internal note and keeping too."""

    version = fields.Integer()
    updated_at = fields.DateTime()
