"""Validation of staff accounts."""

from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from heritage.schemas.base import InputSchema
from heritage.schemas.fields import Code, Text
from heritage.text import N_
from heritage.vocab import ROLES

# NIST SP 800-63B: at least 8 characters, allow long passphrases, no composition rules.
PASSWORD_MIN, PASSWORD_MAX = 8, 256


class UserInput(InputSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = Text(max_length=200, allow_none=True)
    role = Code(ROLES, required=True)
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(
            min=PASSWORD_MIN,
            max=PASSWORD_MAX,
            error=N_("Use %(min)s to %(max)s characters."),
        ),
    )

    @post_load
    def normalise_email(self, data, **kwargs):
        """Addresses compare case-insensitively."""
        if "email" in data:
            data["email"] = data["email"].strip().lower()
        return data


class UserUpdate(InputSchema):
    """What an admin may change on an account: its role, and whether it is active."""

    role = Code(ROLES)
    active = fields.Boolean()


class UserOutput(Schema):
    """An account as admins see it; never the password hash."""

    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    active = fields.Boolean()
    created_at = fields.DateTime()
    last_login_at = fields.DateTime(allow_none=True)
