"""Validation and serialisation of gravestones and the people they name."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from heritage.calendars import hijri_year
from heritage.schemas.audit import StaffTrail, public_updated_field, public_version_field
from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Code, Text, WholeNumber, by_language
from heritage.schemas.site import EARLIEST_YEAR, LATEST_YEAR
from heritage.text import N_
from heritage.vocab import CALENDARS, CONDITIONS, INSCRIPTION_LANGUAGES, MARKER_TYPES

# Hijri years run behind Gregorian ones (1500 AH is 2076), so one range holds both.
YEAR = validate.Range(min=EARLIEST_YEAR, max=LATEST_YEAR)


class PersonInput(InputSchema):
    """Someone a stone names: as inscribed, as read, and the years written for them."""

    name_inscribed = Text(max_length=500, allow_none=True)
    name_read = Text(max_length=500, allow_none=True)
    birth_year = WholeNumber(allow_none=True, validate=YEAR)
    death_year = WholeNumber(allow_none=True, validate=YEAR)

    @validates_schema
    def check_person(self, data, **kwargs):
        """A name in some form, and a life that ends after it began."""
        if not data.get("name_inscribed") and not data.get("name_read"):
            raise ValidationError({"name_read": [N_("Give the name as inscribed or as read.")]})
        born, died = data.get("birth_year"), data.get("death_year")
        if born is not None and died is not None and died < born:
            raise ValidationError({"death_year": [N_("Must not be earlier than the birth year.")]})


class GravestoneInput(InputSchema):
    """The fields staff may write on a gravestone."""

    number = Text(max_length=40, required=True)
    section = Text(max_length=40, allow_none=True)
    row = Text(max_length=40, allow_none=True)
    plot = Text(max_length=40, allow_none=True)
    latitude = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))
    marker_type = Code(MARKER_TYPES, required=True)
    material = Text(max_length=200, allow_none=True)
    decoration = Text(max_length=5000, multiline=True, allow_none=True)
    condition = Code(CONDITIONS, allow_none=True)
    damage = Text(max_length=5000, multiline=True, allow_none=True)
    calendar = Code(CALENDARS, load_default="gregorian")
    persons = fields.List(
        fields.Nested(PersonInput), load_default=list, validate=validate.Length(max=50)
    )
    inscription = Text(max_length=20000, multiline=True, allow_none=True)
    inscription_language = Code(INSCRIPTION_LANGUAGES, allow_none=True)
    inscription_reading = Text(max_length=20000, multiline=True, allow_none=True)
    translation_az = Text(max_length=20000, multiline=True, allow_none=True)
    translation_en = Text(max_length=20000, multiline=True, allow_none=True)
    translation_ru = Text(max_length=20000, multiline=True, allow_none=True)
    internal_note = Text(max_length=20000, multiline=True, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def check_consistency(self, data, **kwargs):
        """Both coordinates or neither; an inscription says its language; Hijri years exist."""
        errors: dict[str, list[str]] = {}
        if not self.failed(data, "latitude", "longitude") and (
            (data.get("latitude") is None) != (data.get("longitude") is None)
        ):
            errors["latitude"] = ["Give both latitude and longitude, or neither."]
        unsaid = data.get("inscription") and not data.get("inscription_language")
        if unsaid and not self.failed(data, "inscription_language"):
            errors["inscription_language"] = [N_("Say the inscription's language and script.")]
        if data.get("calendar") == "hijri":
            years = [
                person.get(name)
                for person in data.get("persons") or []
                for name in ("birth_year", "death_year")
            ]
            # A person whose fields failed comes here as sent (marshmallow 4.0 passes it
            # on): only the years that loaded as numbers are checked here.
            if any(isinstance(year, int) and year < 1 for year in years):
                errors["persons"] = [N_("A Hijri year is 1 or later.")]
        if errors:
            raise ValidationError(errors)


def gregorian(year: int | None, calendar: str) -> dict | None:
    """A year as written and as Gregorian years, with how it was computed."""
    if year is None:
        return None
    if calendar != "hijri":
        return {"written": year, "gregorian": [year, year], "computed": None}
    span = hijri_year(year)
    return {
        "written": year,
        "gregorian": list(span.gregorian),
        "computed": f"{span} (1 Muharram {year} AH = {span.first_day.isoformat()})",
    }


def dated_persons(stone) -> list[dict]:
    """The people a stone names, each year with its Gregorian equivalent."""
    return [
        {
            "name_inscribed": person.get("name_inscribed"),
            "name_read": person.get("name_read"),
            "birth": gregorian(person.get("birth_year"), stone.calendar),
            "death": gregorian(person.get("death_year"), stone.calendar),
        }
        for person in stone.persons or []
    ]


class YearOutput(Schema):
    written = fields.Integer()
    gregorian = fields.List(fields.Integer(), metadata={"description": "[first, last] year"})
    computed = fields.String(allow_none=True, metadata={"description": "How, for a Hijri year"})


class PersonOutput(Schema):
    name_inscribed = fields.String(allow_none=True)
    name_read = fields.String(allow_none=True)
    birth = fields.Nested(YearOutput, allow_none=True)
    death = fields.Nested(YearOutput, allow_none=True)


class GravestonePublic(Schema):
    """A published gravestone as anyone may read it (no coordinates of a sensitive site)."""

    id = fields.Integer()
    site_id = fields.Integer()
    status = fields.String()
    version = public_version_field()
    number = fields.String()
    section = fields.String(allow_none=True)
    row = fields.String(allow_none=True)
    plot = fields.String(allow_none=True)
    latitude = fields.Method(
        "public_latitude", allow_none=True, metadata={"type": "number", "nullable": True}
    )
    longitude = fields.Method(
        "public_longitude", allow_none=True, metadata={"type": "number", "nullable": True}
    )
    marker_type = fields.String()
    material = fields.String(allow_none=True)
    decoration = fields.String(allow_none=True)
    condition = fields.String(allow_none=True)
    damage = fields.String(allow_none=True)
    calendar = fields.String()
    persons = fields.Function(dated_persons, metadata={"type": "array", "items": {}})
    inscription = fields.String(allow_none=True)
    inscription_language = fields.String(allow_none=True)
    inscription_reading = fields.String(allow_none=True)
    translations = by_language("translation", "The inscription's translation by language.")
    published_at = fields.DateTime(allow_none=True)
    updated_at = public_updated_field()

    def public_latitude(self, stone) -> float | None:
        return None if stone.site.location_sensitive else stone.latitude

    def public_longitude(self, stone) -> float | None:
        return None if stone.site.location_sensitive else stone.longitude


class GravestoneStaff(GravestonePublic, StaffTrail):
    """A gravestone as staff read it: the exact location and the internal note too."""

    version = fields.Integer()
    updated_at = fields.DateTime()

    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
