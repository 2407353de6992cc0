"""Turning submitted HTML forms into service input, and service errors back into forms."""

from __future__ import annotations

import re

from flask_babel import gettext
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from heritage.text import N_
from heritage.web.converters import MAX_ID

# Form fields that are not record fields: they steer the request itself.
CONTROL_FIELDS = frozenset({"csrf_token", "version", "next"})


def form_payload(schema: type[Schema], form: MultiDict) -> dict:
    """The schema's fields from a form: ticked boxes, one list item per line, text as is.

    A checkbox missing from the form means "unticked"; every other field missing from the
    form is left out, so the service keeps its current value. A field the form should not
    carry (status, version of another kind, ids) is passed on, so the service refuses it.
    """
    schema_fields = schema().fields
    listed = {
        name
        for name, field in schema_fields.items()
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested)
    }
    payload: dict = {
        name: form[name]
        for name in form
        if name not in CONTROL_FIELDS and name not in schema_fields and _row_of(name) not in listed
    }
    for name, field in schema_fields.items():
        if name in listed:
            if f"{name}-rows" in form:
                payload[name] = _rows(form, name)
        elif isinstance(field, fields.Boolean):
            payload[name] = name in form
        elif isinstance(field, fields.List):
            if name in form:
                lines = (line.strip() for line in form.get(name, "").splitlines())
                payload[name] = [line for line in lines if line]
        elif name in form:
            payload[name] = form[name]
    return payload


# A list of records in a form: one row of inputs named <field>-<n>-<part> per item, and a
# <field>-rows marker that says the form carries the list at all.
_ROW = re.compile(r"^(?P<field>[a-z_]+)-(?:(?P<n>[0-9]{1,4})-(?P<part>[a-z_]+)|rows)$")


def _row_of(name: str) -> str | None:
    """The list field a form input belongs to, if it is one of a row's inputs."""
    match = _ROW.match(name)
    return match["field"] if match else None


def _rows(form: MultiDict, name: str) -> list[dict]:
    """The rows of the list field `name`, in order; a row left wholly blank is no item."""
    rows: dict[int, dict] = {}
    for key in form:
        match = _ROW.match(key)
        if match and match["field"] == name and match["n"] is not None:
            rows.setdefault(int(match["n"]), {})[match["part"]] = form[key]
    return [row for _n, row in sorted(rows.items()) if any(v.strip() for v in row.values())]


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """{field: [messages]} from a validation error, nested messages flattened, each in the
    reader's language where the catalogue has it."""
    messages = error.normalized_messages()
    flat: dict[str, list[str]] = {}
    for name, value in messages.items():
        flat[name] = [translated(str(message)) for message in _messages(value)]
    return flat


def _messages(value) -> list:
    """Every message in a field's errors: a list field reports per item ({index: messages}),
    a list of records per item and part ({index: {part: messages}})."""
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    return list(value) if isinstance(value, list) else [value]


# The schemas' and marshmallow's messages, written in English where no request is known;
# listed here so that `pybabel extract` finds them for the catalogues.
FIELD_MESSAGES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid date."),
    N_("Not a valid boolean."),
    N_("Not a valid string."),
    N_("Not a valid list."),
    N_("A clearance date is only for sites marked cleared."),
    N_("A Hijri year is 1 or later."),
    N_("A published photo needs a caption in at least one language."),
    N_("Already used by another object of this collection."),
    N_("Already used by another site."),
    N_("An account with this address already exists."),
    N_("Choose one of this site's photos."),
    N_("Completed work needs an end date."),
    N_("Contains control characters or line breaks that are not allowed."),
    N_("Give both latitude and longitude, or neither."),
    N_("Give the date as YYYY, YYYY-MM or YYYY-MM-DD."),
    N_("Give the name as inscribed or as read."),
    N_("Give the object's title in at least one language."),
    N_("Give the site's name in at least one language."),
    N_("Gravestones belong to a cemetery or necropolis."),
    N_("Must not be earlier than the birth year."),
    N_("Must not be earlier than the start date."),
    N_("Must not be earlier than the start year."),
    N_("Must not be in the future."),
    N_("Record at least one status, with its date."),
    N_("Say the inscription's language and script."),
    N_("The address of a site cannot change after review."),
    N_("This restoration record belongs to another site."),
    N_("Unknown field, or a field that cannot be written here."),
    N_("Use lowercase letters, digits and single hyphens."),
    N_("Work that has started needs a start date."),
    N_("You cannot deactivate your own account."),
    N_("You cannot take the admin role from yourself."),
)
# Messages with a number or a list in them: their English pattern, and the words to say.
_PATTERNS = (
    (
        re.compile(r"^Longer than maximum length (?P<max>\d+)\.$"),
        N_("Use at most %(max)s characters."),
    ),
    (
        re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$"),
        N_("Use at least %(min)s characters."),
    ),
    (
        re.compile(r"^Use (?P<min>\d+) to (?P<max>\d+) characters\.$"),
        N_("Use %(min)s to %(max)s characters."),
    ),
    (re.compile(r"^Must be one of: (?P<choices>.*)\.$"), N_("Must be one of: %(choices)s.")),
    (
        re.compile(
            r"^Must be greater than or equal to (?P<min>\S+)"
            r" and less than or equal to (?P<max>\S+)\.$"
        ),
        N_("Must be between %(min)s and %(max)s."),
    ),
)


def translated(message: str) -> str:
    """`message` in the reader's language, if the catalogue or a known pattern has it."""
    said = gettext(message)
    if said != message:
        return said
    for pattern, words in _PATTERNS:
        match = pattern.match(message)
        if match:
            return gettext(words, **match.groupdict())
    return message


def version_field(form: MultiDict) -> int:
    """The version the user's form was built from; 0 (never current) when missing or bad."""
    try:
        version = int(form.get("version", "0"))
    except ValueError:
        return 0
    return version if 0 <= version <= MAX_ID else 0
