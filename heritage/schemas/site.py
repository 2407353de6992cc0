"""Validation of site input: one schema for forms, the API, CSV import and the CLI."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema
from marshmallow.experimental.context import Context

from heritage.schemas.audit import StaffTrail, public_updated_field, public_version_field
from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Code, Text, WholeNumber, by_language
from heritage.services import public
from heritage.text import N_
from heritage.vocab import (
    CATEGORIES,
    CLEARANCE_STATUSES,
    CLEARED,
    CONDITIONS,
    DISTRICTS,
    LANGUAGES,
    PROTECTION_LEVELS,
    SITE_TYPES,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Azykh Cave was inhabited some 1.5 million years ago; nothing here is older than that.
EARLIEST_YEAR = -2_000_000
LATEST_YEAR = 2100
# The centuries those years fall in (there is no century 0: -1 is the 1st BCE).
EARLIEST_CENTURY = EARLIEST_YEAR // 100
LATEST_CENTURY = (LATEST_YEAR - 1) // 100 + 1


class SiteInput(InputSchema):
    """The fields staff may write on a site."""

    slug = fields.String(
        allow_none=True,
        validate=[
            validate.Length(min=2, max=120),
            validate.Regexp(
                SLUG_PATTERN, error=N_("Use lowercase letters, digits and single hyphens.")
            ),
        ],
    )
    inventory_number = Text(max_length=60, allow_none=True)
    category = Code(CATEGORIES, required=True)
    site_type = Code(SITE_TYPES, required=True)
    name_az = Text(max_length=300, allow_none=True)
    name_en = Text(max_length=300, allow_none=True)
    name_ru = Text(max_length=300, allow_none=True)
    alternative_names = fields.List(
        Text(max_length=300, validate=validate.Length(min=1, max=300)),
        load_default=list,
        allow_none=True,
        validate=validate.Length(max=30),
    )
    description_az = Text(max_length=20000, multiline=True, allow_none=True)
    description_en = Text(max_length=20000, multiline=True, allow_none=True)
    description_ru = Text(max_length=20000, multiline=True, allow_none=True)
    district = Code(DISTRICTS, required=True)
    settlement = Text(max_length=200, allow_none=True)
    latitude = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))
    location_approximate = fields.Boolean(load_default=False)
    location_sensitive = fields.Boolean(load_default=False)
    period_az = Text(max_length=200, allow_none=True)
    period_en = Text(max_length=200, allow_none=True)
    period_ru = Text(max_length=200, allow_none=True)
    year_from = WholeNumber(
        allow_none=True, validate=validate.Range(min=EARLIEST_YEAR, max=LATEST_YEAR)
    )
    year_to = WholeNumber(
        allow_none=True, validate=validate.Range(min=EARLIEST_YEAR, max=LATEST_YEAR)
    )
    protection_level = Code(PROTECTION_LEVELS, allow_none=True)
    condition = Code(CONDITIONS, allow_none=True)
    clearance_status = Code(CLEARANCE_STATUSES, load_default="not_surveyed")
    clearance_date = fields.Date(allow_none=True)
    clearance_reference = Text(max_length=120, allow_none=True)
    cover_photo_id = WholeNumber(
        allow_none=True,
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "The photo (of this site) that stands for it on cards."},
    )
    internal_note = Text(max_length=20000, multiline=True, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def check_consistency(self, data, **kwargs):
        """Rules that span fields; each error names the field to fix."""
        errors: dict[str, list[str]] = {}
        names = [f"name_{lang}" for lang in LANGUAGES]
        if not any(data.get(name) for name in names) and not self.failed(data, *names):
            errors["name_az"] = [N_("Give the site's name in at least one language.")]
        site_type = data.get("site_type")
        category = data.get("category")
        if site_type in SITE_TYPES and category in CATEGORIES:
            expected = SITE_TYPES[site_type].extra["category"]
            if expected != category:
                errors["site_type"] = [
                    f"A {SITE_TYPES[site_type].en.lower()} belongs to the category "
                    f"'{expected}', not '{category}'."
                ]
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            errors["year_to"] = [N_("Must not be earlier than the start year.")]
        coordinates_known = not self.failed(data, "latitude", "longitude")
        if coordinates_known and (data.get("latitude") is None) != (data.get("longitude") is None):
            field = "longitude" if data.get("longitude") is None else "latitude"
            errors[field] = [N_("Give both latitude and longitude, or neither.")]
        if data.get("clearance_date") and data.get("clearance_status") != CLEARED:
            errors["clearance_date"] = [N_("A clearance date is only for sites marked cleared.")]
        if errors:
            raise ValidationError(errors)

    @post_load
    def tidy_alternative_names(self, data, **kwargs):
        """No alternative names is an empty list; the same name twice is kept once."""
        if "alternative_names" in data:
            data["alternative_names"] = list(dict.fromkeys(data["alternative_names"] or []))
        return data


class SitePublic(Schema):
    """A published site as anyone may read it: no internal note, no sensitive location."""

    id = fields.Integer()
    slug = fields.String()
    status = fields.String()
    version = public_version_field()
    names = by_language("name", "Names keyed by language (az, en, ru); null when not given.")
    alternative_names = fields.List(fields.String())
    descriptions = by_language("description", "Descriptions (Markdown) keyed by language.")
    category = fields.String()
    type = fields.String(attribute="site_type")
    district = fields.String()
    settlement = fields.String(allow_none=True)
    inventory_number = fields.String(allow_none=True)
    latitude = fields.Method(
        "public_latitude", allow_none=True, metadata={"type": "number", "nullable": True}
    )
    longitude = fields.Method(
        "public_longitude", allow_none=True, metadata={"type": "number", "nullable": True}
    )
    location_approximate = fields.Boolean()
    periods = by_language("period", "The period as written, keyed by language.")
    year_from = WholeNumber(allow_none=True)
    year_to = WholeNumber(allow_none=True)
    protection_level = fields.String(allow_none=True)
    condition = fields.String(allow_none=True)
    clearance_status = fields.String()
    clearance_date = fields.Date(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    updated_at = public_updated_field()
    iiif_manifest = fields.Function(
        lambda site: url_for("iiif.site_manifest", slug=site.slug, _external=True),
        metadata={
            "type": "string",
            "description": "The site's IIIF Presentation 3.0 manifest (its published photos); "
            "it answers once the site is published.",
        },
    )
    cover_photo_id = fields.Method(
        "public_cover",
        allow_none=True,
        metadata={
            "type": "integer",
            "nullable": True,
            "description": "The photo shown for the site: the chosen one while published, "
            "else its first published general view.",
        },
    )

    def public_cover(self, site) -> int | None:
        # A list sets {site id: cover} of its sites in the context: one query for them all.
        covers = Context.get({}).get("site_covers")
        if covers is None:  # one site on its own
            covers = public.covers_of([site])
        cover = covers.get(site.id)
        return cover.id if cover else None

    def public_latitude(self, site) -> float | None:
        return None if site.location_sensitive else site.latitude

    def public_longitude(self, site) -> float | None:
        return None if site.location_sensitive else site.longitude


class SiteStaff(SitePublic, StaffTrail):
    """A site as staff read it: every field, the exact location and the internal note."""

    version = fields.Integer()
    updated_at = fields.DateTime()

    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    location_sensitive = fields.Boolean()
    clearance_reference = fields.String(allow_none=True)
    cover_photo_id = fields.Integer(
        allow_none=True, metadata={"description": "The photo chosen to stand for the site."}
    )
