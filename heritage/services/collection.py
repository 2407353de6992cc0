"""Use cases for collection objects: what a museum (or a mosque, a house-museum) holds or
held, and the dated history of where each object is."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import CollectionObject, User
from heritage.schemas import CollectionObjectInput
from heritage.schemas.collection_object import current_status
from heritage.services import editing, sites
from heritage.services.permissions import require
from heritage.services.transaction import write_transaction
from heritage.text import N_


@dataclass(frozen=True)
class ObjectKind(editing.Kind):
    """Collection objects in the shared life cycle; the inventory number is the museum's own,
    and the current status follows the status history."""

    def update(self, obj: CollectionObject, data: dict, *, actor: User, **event) -> editing.Saved:
        values = editing.validate_update(self, obj, data, actor=actor)
        _check_inventory_free(obj.site_id, values["inventory_number"], object_id=obj.id)
        saved = editing.save(self, obj, values, actor=actor, **event)
        if not saved.pending:
            obj.object_status = current_status(obj.status_history)
        return saved


OBJECT = ObjectKind(
    name="object",
    label=N_("collection object"),
    model=CollectionObject,
    schema=CollectionObjectInput,
)


def get_object(object_id: int, *, actor: User | None) -> CollectionObject:
    """An object of any status, for staff."""
    return editing.get(OBJECT, object_id, actor=actor)


def objects_of_site(site_id: int) -> list[CollectionObject]:
    """A site's collection, of every status, by inventory number."""
    query = (
        select(CollectionObject)
        .where(CollectionObject.site_id == site_id)
        .order_by(CollectionObject.inventory_number, CollectionObject.id)
    )
    return list(db.session.scalars(query))


def create_object(site_id: int, data: dict, *, actor: User) -> CollectionObject:
    """Catalogue an object of a site's collection, as a draft."""
    require(actor, "object.create")
    values = editing.validate_create(OBJECT, data)
    with write_transaction():
        site = sites.site_to_add_to(site_id)
        _check_inventory_free(site.id, values["inventory_number"])
        status = current_status(values["status_history"])
        return editing.insert(
            OBJECT, {**values, "site_id": site.id, "object_status": status}, actor=actor
        )


def update_object(object_id: int, data: dict, *, actor: User, version: int) -> CollectionObject:
    """Change an object's fields or add to its status history, refusing a stale version."""
    return editing.update(OBJECT, object_id, data, actor=actor, version=version)


def restore_object_version(
    object_id: int, target: int, *, actor: User, version: int
) -> CollectionObject:
    """Make the object's fields what they were at version `target`, as a new change."""
    return editing.restore_version(OBJECT, object_id, target, actor=actor, version=version)


def change_object_status(
    object_id: int, action: str, *, actor: User, version: int, note: str | None = None
) -> CollectionObject:
    """Take the workflow step named `action` (submit, publish, send_back, withdraw, restore)."""
    return editing.transition(OBJECT, object_id, action, actor=actor, version=version, note=note)


def _check_inventory_free(site_id: int, number: str, *, object_id: int | None = None) -> None:
    """An inventory number identifies one object of its museum."""
    query = select(CollectionObject.id).where(
        CollectionObject.site_id == site_id, CollectionObject.inventory_number == number
    )
    if object_id is not None:
        query = query.where(CollectionObject.id != object_id)
    if db.session.scalar(query) is not None:
        raise ValidationError(
            {"inventory_number": [N_("Already used by another object of this collection.")]}
        )
