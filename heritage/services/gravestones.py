"""Use cases for gravestones: the burial markers of a cemetery or necropolis."""

from __future__ import annotations

from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import Gravestone, User
from heritage.schemas import GravestoneInput
from heritage.services import editing, sites
from heritage.services.permissions import require
from heritage.services.transaction import write_transaction
from heritage.text import N_

GRAVESTONE = editing.Kind(
    name="gravestone", label=N_("gravestone"), model=Gravestone, schema=GravestoneInput
)


def get_gravestone(gravestone_id: int, *, actor: User | None) -> Gravestone:
    """A gravestone of any status, for staff."""
    return editing.get(GRAVESTONE, gravestone_id, actor=actor)


def gravestones_of_site(site_id: int) -> list[Gravestone]:
    """A cemetery's gravestones, of every status, in the order they were recorded."""
    query = select(Gravestone).where(Gravestone.site_id == site_id).order_by(Gravestone.id)
    return list(db.session.scalars(query))


def create_gravestone(site_id: int, data: dict, *, actor: User) -> Gravestone:
    """Record a gravestone of a cemetery, as a draft."""
    require(actor, "gravestone.create")
    values = editing.validate_create(GRAVESTONE, data)
    with write_transaction():
        site = sites.site_to_add_to(site_id)
        if site.category != "cemetery":
            raise ValidationError(
                {"site_id": [N_("Gravestones belong to a cemetery or necropolis.")]}
            )
        return editing.insert(GRAVESTONE, {**values, "site_id": site.id}, actor=actor)


def update_gravestone(gravestone_id: int, data: dict, *, actor: User, version: int) -> Gravestone:
    """Change a gravestone's fields, refusing a stale version."""
    return editing.update(GRAVESTONE, gravestone_id, data, actor=actor, version=version)


def restore_gravestone_version(
    gravestone_id: int, target: int, *, actor: User, version: int
) -> Gravestone:
    """Make the gravestone's fields what they were at version `target`, as a new change."""
    return editing.restore_version(GRAVESTONE, gravestone_id, target, actor=actor, version=version)


def change_gravestone_status(
    gravestone_id: int, action: str, *, actor: User, version: int, note: str | None = None
) -> Gravestone:
    """Take the workflow step named `action` (submit, publish, send_back, withdraw, restore)."""
    return editing.transition(
        GRAVESTONE, gravestone_id, action, actor=actor, version=version, note=note
    )


def next_number(number: str) -> str:
    """The number after `number` for quick entry of a row of stones: 17 → 18, A-9 → A-10;
    one without a number at its end is kept as it is."""
    head = number.rstrip("0123456789")
    digits = number[len(head) :]
    if not digits:
        return number
    return f"{head}{int(digits) + 1:0{len(digits)}d}"
