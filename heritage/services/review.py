"""Review across every kind of record: the queue of what is submitted, the comment a record
was sent back with, and the drafts and sent-back records that wait for someone.

Each list costs one query a kind (and one for the comments), however many records wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from heritage.extensions import db
from heritage.models import AuditEvent, PendingRevision, Site, User
from heritage.services import editing
from heritage.services.collection import OBJECT
from heritage.services.gravestones import GRAVESTONE
from heritage.services.permissions import require
from heritage.services.photos import PHOTO
from heritage.services.restorations import RECORD
from heritage.services.sites import SITE
from heritage.services.surveys import SURVEY
from heritage.vocab import DRAFT, IN_REVIEW, PUBLISHED

# Every kind that goes through review, in the order the queue lists them.
KINDS: tuple[editing.Kind, ...] = (SITE, RECORD, PHOTO, OBJECT, GRAVESTONE, SURVEY)
BY_NAME = {kind.name: kind for kind in KINDS}
BY_TABLE = {kind.model.__tablename__: kind for kind in KINDS}

# The events that move a record into, through or out of review: the latest of them says
# where it stands (a send-back stands until its author submits or proposes again).
REVIEW_ACTIONS = (
    "submit",
    "propose",
    "publish",
    "publish_change",
    "send_back",
    "send_back_change",
    "withdraw",
    "restore",
)
SEND_BACKS = ("send_back", "send_back_change")
# The events by which someone writes a record's content: its creator and those who
# edited it are the people a draft or a send-back waits for.
EDITS = ("create", "update", "propose", "restore_version", "submit")


@dataclass(frozen=True)
class Item:
    """A record in a list of the workspace: its kind and the record."""

    kind: editing.Kind
    entity: Any


@dataclass(frozen=True)
class Submitted(Item):
    """A record waiting for review, and what it changes: {field: [published, proposed]}
    of a published record's pending change, or None for a record never published."""

    changes: dict[str, list[Any]] | None


@dataclass(frozen=True)
class SentBack(Item):
    """A record sent back, with the event that did it (who, when, the comment)."""

    event: AuditEvent


def queue(*, actor: User | None) -> list[Submitted]:
    """Everything submitted for review: new records in review and published records with a
    pending change, of every kind, oldest first within each kind."""
    require(actor, "read")
    items = []
    for kind in KINDS:
        model = kind.model
        pending = select(PendingRevision.entity_id).where(
            PendingRevision.entity_table == model.__tablename__
        )
        query = (
            select(model)
            .options(*_loads(model), joinedload(model.pending_revision))
            .where(
                or_(
                    model.status == IN_REVIEW,
                    (model.status == PUBLISHED) & model.id.in_(pending),
                )
            )
            .order_by(model.status_changed_at, model.id)
        )
        for entity in db.session.scalars(query).unique():
            changes = editing.review_changes(entity) if entity.status == PUBLISHED else None
            items.append(Submitted(kind, entity, changes))
    return items


def drafts_of(actor: User) -> list[Item]:
    """The drafts `actor` created or edited, of every kind, the latest changed first."""
    items = []
    for kind in KINDS:
        model = kind.model
        query = (
            select(model)
            .options(*_loads(model))
            .where(model.status == DRAFT, _involves(kind, model.id, actor))
            .order_by(model.updated_at.desc(), model.id.desc())
        )
        items.extend(Item(kind, entity) for entity in db.session.scalars(query).unique())
    return items


def sent_back_to(actor: User) -> list[SentBack]:
    """The records sent back that `actor` created or edited, until they submit (or propose)
    again: each with the send-back's comment, the latest first."""
    event = aliased(AuditEvent)
    mine = exists().where(
        event.entity_type == AuditEvent.entity_type,
        event.entity_id == AuditEvent.entity_id,
        event.actor_id == actor.id,
        event.action.in_(EDITS),
    )
    events = list(
        db.session.scalars(
            _latest_review_events()
            .where(AuditEvent.action.in_(SEND_BACKS), mine)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.id.desc())
        )
    )
    found = {}
    for kind in KINDS:
        ids = [e.entity_id for e in events if e.entity_type == kind.name]
        if ids:
            query = select(kind.model).options(*_loads(kind.model)).where(kind.model.id.in_(ids))
            found.update({(kind.name, e.id): e for e in db.session.scalars(query).unique()})
    return [
        SentBack(BY_NAME[e.entity_type], found[(e.entity_type, e.entity_id)], e)
        for e in events
        if (e.entity_type, e.entity_id) in found
    ]


def send_back_of(entity: Any) -> AuditEvent | None:
    """The send-back a record waits on (who sent it back, when, the comment), if its latest
    step in review was one."""
    kind = BY_TABLE[entity.__tablename__]
    query = (
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(
            AuditEvent.entity_type == kind.name,
            AuditEvent.entity_id == entity.id,
            AuditEvent.action.in_(REVIEW_ACTIONS),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    event = db.session.scalar(query)
    return event if event is not None and event.action in SEND_BACKS else None


def _latest_review_events():
    """The latest review event of each record."""
    ranked = (
        select(
            AuditEvent.id,
            func.row_number()
            .over(
                partition_by=(AuditEvent.entity_type, AuditEvent.entity_id),
                order_by=AuditEvent.id.desc(),
            )
            .label("n"),
        )
        .where(AuditEvent.action.in_(REVIEW_ACTIONS))
        .subquery()
    )
    return select(AuditEvent).join(ranked, (ranked.c.id == AuditEvent.id) & (ranked.c.n == 1))


def _involves(kind: editing.Kind, entity_id, actor: User):
    """Whether `actor` created or edited the record (its creator's create event counts)."""
    return exists().where(
        AuditEvent.entity_type == kind.name,
        AuditEvent.entity_id == entity_id,
        AuditEvent.actor_id == actor.id,
        AuditEvent.action.in_(EDITS),
    )


def _loads(model) -> list:
    """What the lists show of a record besides itself: its site (a site is its own)."""
    if model is Site:
        return []
    return [joinedload(model.site)]
