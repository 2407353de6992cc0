"""Serialisation of the audit trail (a record's history)."""

from __future__ import annotations

from marshmallow import Schema, fields


class ActorOutput(Schema):
    id = fields.Integer()
    name = fields.String(attribute="display_name")


class EventOutput(Schema):
    """One change: who, when, what action, the version it made, and {field: [old, new]}."""

    id = fields.Integer()
    at = fields.DateTime()
    action = fields.String()
    version = fields.Integer(allow_none=True)
    actor = fields.Nested(ActorOutput, allow_none=True)
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw(allow_none=True)),
        metadata={"description": "{field: [old value, new value]}"},
    )
    note = fields.String(allow_none=True)


class PendingChangeOutput(Schema):
    """A change proposed to a published record, waiting for an editor's review."""

    values = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        metadata={"description": "{field: proposed value}, the fields that would change."},
    )
    proposed_by_id = fields.Integer(allow_none=True)
    proposed_at = fields.DateTime()


def public_version_field():
    """A record's `version` as the public read it: moves only when what they see does."""
    return fields.Integer(
        attribute="public_version",
        metadata={"description": "Moves when what the caller sees of the record changes."},
    )


def public_updated_field():
    """A record's `updated_at` as the public read it: its last change they could see."""
    return fields.DateTime(
        attribute="public_updated_at",
        allow_none=True,
        metadata={"description": "When what the caller sees of the record last changed."},
    )


def pending_change_field():
    """The `pending_change` of a record as staff read it (null when nothing is proposed)."""
    return fields.Nested(
        PendingChangeOutput,
        attribute="pending_revision",
        allow_none=True,
        metadata={"description": "A change waiting for review; the record is as published."},
    )


class StaffTrail(Schema):
    """What staff see of a site's or record's keeping: its note, why it was withdrawn, and
    who made it and when."""

    internal_note = fields.String(allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)
    status_changed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    created_by_id = fields.Integer(allow_none=True)
    updated_by_id = fields.Integer(allow_none=True)
    pending_change = pending_change_field()
