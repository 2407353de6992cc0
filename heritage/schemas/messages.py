"""marshmallow's own error messages, given as Messages: the pages say them in the reader's
language (with their values: a length's maximum, a range's bounds, the codes accepted),
and the API as the same English marshmallow would use. The English stays marshmallow's.
"""

from __future__ import annotations

from marshmallow import fields, validate

from heritage.text import N_

# By field type: what each kind of field says when a value is not of its type.
FIELD_ERRORS: dict[type, dict[str, str]] = {
    fields.Field: {
        "required": N_("Missing data for required field."),
        "null": N_("Field may not be null."),
        "validator_failed": N_("Invalid value."),
    },
    fields.String: {"invalid": N_("Not a valid string.")},
    fields.Number: {"invalid": N_("Not a valid number."), "too_large": N_("Number too large.")},
    fields.Integer: {"invalid": N_("Not a valid integer.")},
    fields.Float: {"special": N_("Special numeric values (nan or infinity) are not permitted.")},
    fields.Boolean: {"invalid": N_("Not a valid boolean.")},
    fields.Date: {"invalid": N_("Not a valid date.")},
    fields.List: {"invalid": N_("Not a valid list.")},
    fields.Dict: {"invalid": N_("Not a valid mapping type.")},
    fields.Email: {"invalid": N_("Not a valid email address.")},
    fields.Nested: {"type": N_("Invalid input type.")},
}
SCHEMA_ERRORS = {
    "type": N_("Invalid input type."),
    # A field the caller may not write (status, version, ids, authorship) is an error,
    # never silently dropped.
    "unknown": N_("Unknown field, or a field that cannot be written here."),
}
_LENGTH = {
    "message_min": N_("Shorter than minimum length %(min)s."),
    "message_max": N_("Longer than maximum length %(max)s."),
    "message_all": N_("Length must be between %(min)s and %(max)s."),
    "message_equal": N_("Length must be %(equal)s."),
}
_RANGE = {
    "message_min": N_("Must be greater than or equal to %(min)s."),
    "message_max": N_("Must be less than or equal to %(max)s."),
    "message_all": N_(
        "Must be greater than or equal to %(min)s and less than or equal to %(max)s."
    ),
}
_ONE_OF = N_("Must be one of: %(choices)s.")


def configure(field: fields.Field) -> None:
    """Give `field` (a schema's own copy) and its validators the messages above."""
    messages = dict(field.error_messages)
    for cls in reversed(type(field).__mro__):
        messages.update(FIELD_ERRORS.get(cls, {}))
    field.error_messages = messages
    for validator in field.validators:
        if isinstance(validator, validate.Length):
            vars(validator).update(_LENGTH)
        elif isinstance(validator, validate.Range):
            if validator.min_inclusive and validator.max_inclusive:
                vars(validator).update(_RANGE)
        elif isinstance(validator, validate.OneOf):
            if validator.error == validate.OneOf.default_message:
                validator.error = _ONE_OF
        elif isinstance(validator, validate.Email):
            validator.error = messages["invalid"]
    inner = getattr(field, "inner", None)
    if isinstance(inner, fields.Field):
        configure(inner)
