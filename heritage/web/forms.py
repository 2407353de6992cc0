"""Turning submitted HTML forms into service input, and service errors back into forms."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from heritage.i18n import say
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
    reader's language (the schemas give every message as a Message, heritage.schemas.messages
    marshmallow's own)."""
    messages = error.normalized_messages()
    flat: dict[str, list[str]] = {}
    for name, value in messages.items():
        flat[name] = [say(message) for message in _messages(value)]
    return flat


def _messages(value) -> list:
    """Every message in a field's errors: a list field reports per item ({index: messages}),
    a list of records per item and part ({index: {part: messages}})."""
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    return list(value) if isinstance(value, list) else [value]


def version_field(form: MultiDict) -> int:
    """The version the user's form was built from; 0 (never current) when missing or bad."""
    try:
        version = int(form.get("version", "0"))
    except ValueError:
        return 0
    return version if 0 <= version <= MAX_ID else 0
