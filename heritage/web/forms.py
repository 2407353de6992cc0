"""Turning submitted HTML forms into service input, and service errors back into forms."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from heritage.web.converters import MAX_ID

# Form fields that are not record fields: they steer the request itself.
CONTROL_FIELDS = frozenset({"csrf_token", "version", "next"})


def form_payload(schema: type[Schema], form: MultiDict) -> dict:
    """The schema's fields from a form: ticked boxes, one list item per line, text as is.

    A checkbox missing from the form means "unticked"; every other field missing from the
    form is left out, so the service keeps its current value. A field the form should not
    carry (status, version of another kind, ids) is passed on, so the service refuses it.
    """
    payload: dict = {
        name: form[name]
        for name in form
        if name not in CONTROL_FIELDS and name not in schema().fields
    }
    for name, field in schema().fields.items():
        if isinstance(field, fields.Boolean):
            payload[name] = name in form
        elif isinstance(field, fields.List):
            if name in form:
                lines = (line.strip() for line in form.get(name, "").splitlines())
                payload[name] = [line for line in lines if line]
        elif name in form:
            payload[name] = form[name]
    return payload


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """{field: [messages]} from a validation error, nested messages flattened."""
    messages = error.normalized_messages()
    flat: dict[str, list[str]] = {}
    for name, value in messages.items():
        if isinstance(value, dict):  # a list field reports per item: {index: [messages]}
            value = [msg for item in value.values() for msg in item]
        flat[name] = list(value)
    return flat


def version_field(form: MultiDict) -> int:
    """The version the user's form was built from; 0 (never current) when missing or bad."""
    try:
        version = int(form.get("version", "0"))
    except ValueError:
        return 0
    return version if 0 <= version <= MAX_ID else 0
