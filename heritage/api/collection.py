"""Collection objects in the JSON API: list, catalogue, and the endpoints every kind has."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import fields, validate

from heritage.api.common import (
    ItemDocs,
    Resource,
    add_create_endpoint,
    add_item_endpoints,
    add_list_endpoint,
)
from heritage.api.errors import guard
from heritage.api.http import (
    PageArgs,
    patch_schema,
)
from heritage.schemas import CollectionObjectInput
from heritage.schemas.collection_object import ObjectPublic, ObjectStaff
from heritage.services import collection, reading
from heritage.vocab import OBJECT_STATUSES, OBJECT_TYPES, PUBLICATION_STATUSES

blp = Blueprint(
    "objects_api",
    __name__,
    url_prefix="/api/v1",
    description="Collection objects: what a museum holds or held, with its status history.",
)
guard(blp)


OBJECT = Resource(
    "object",
    "/objects/<int(max=2147483647):object_id>",
    "object_id",
    ObjectStaff,
    ObjectPublic,
    patch_schema(CollectionObjectInput, "CollectionObjectPatch"),
)


class ObjectListArgs(PageArgs):
    site_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    object_type = fields.String(data_key="type", validate=validate.OneOf(OBJECT_TYPES.codes))
    object_status = fields.String(
        validate=validate.OneOf(OBJECT_STATUSES.codes),
        metadata={"description": "Where the object is now: lost, looted, in_collection, …"},
    )
    inventory_number = fields.String(validate=validate.Length(max=60))
    status = fields.String(
        validate=validate.OneOf(PUBLICATION_STATUSES.codes),
        metadata={"description": "Staff only; others always get published objects."},
    )


add_list_endpoint(
    blp,
    OBJECT,
    ObjectListArgs,
    find=reading.objects,
    summary="Collection objects by site and inventory number (published ones unless staff).",
)


add_create_endpoint(
    blp,
    OBJECT,
    CollectionObjectInput,
    create=collection.create_object,
    summary="Catalogue an object of a site's collection, with its status history, as a draft.",
    created="Catalogued as a draft.",
)

add_item_endpoints(
    blp,
    OBJECT,
    ItemDocs(
        read="One collection object, with its status history.",
        read_response="The object; the public get no internal note.",
        patch="Change some of an object's fields (send only those; `status_history` whole), "
        "with If-Match.",
        history="Every change of a collection object, oldest first (staff).",
    ),
    update=collection.update_object,
    change_status=collection.change_object_status,
)
