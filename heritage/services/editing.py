"""The life cycle shared by everything staff catalogue: create, update, workflow steps.

Used inside a `write_transaction`: each step validates through the entity's schema, checks
the version the caller read, and adds the change, its audit event and its outbox row to
the one transaction of the use case.

Two rules of review hold for every kind. Published content changes only through review:
a change to a published record by someone who may not publish waits as its pending
revision (the public keeps seeing the published version) until an editor publishes it or
sends it back. And a draft goes to review by its author's decision: only the person who
created it, or someone who may publish, submits it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import AuditEvent, PendingRevision, User, utcnow
from heritage.schemas.workflow import StepInput
from heritage.services import audit, counts, outbox, public, revision
from heritage.services.errors import Conflict, Forbidden, InvalidTransition, NotFound
from heritage.services.permissions import can, require
from heritage.services.transaction import write_transaction
from heritage.text import N_, Message
from heritage.vocab import DRAFT, IN_REVIEW, LANGUAGES, PUBLICATION_STATUSES, PUBLISHED, WITHDRAWN


@dataclass(frozen=True)
class Kind:
    """One kind of editable record: its name in audit events and permissions, model, schema."""

    name: str
    label: str
    model: type
    schema: type[Schema]

    @property
    def fields(self) -> list[str]:
        return list(self.schema().fields)

    def says(self, **values: object) -> dict[str, object]:
        """A message's values, with this kind's name (in the reader's language) as `kind`."""
        return {"kind": Message(self.label), **values}

    def update(self, entity: Any, data: dict, *, actor: User, **event: Any) -> Saved:
        """Validate `data` against the record as it would be, then save it (or propose it).

        A kind with rules of its own (identifiers, the mine-clearance rule) overrides this,
        calling `validate_update`, its checks and `save`; publishing a pending revision
        goes through it too, so a revision meets today's rules when it goes live.
        """
        return save(
            self, entity, validate_update(self, entity, data, actor=actor), actor=actor, **event
        )

    def stepped(self, entity: Any, *, actor: User) -> None:
        """What follows a workflow step of a record of this kind, in its transaction: a kind
        whose published records set something elsewhere (a survey, its site's condition)
        brings it up to date here."""


@dataclass(frozen=True)
class Saved:
    """What a save did: {field: [old, new]} (empty: nothing changed), and whether the change
    waits for review as the record's pending revision instead of being live."""

    changes: dict[str, list[Any]]
    pending: bool = False


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    # None: back to where it was before it was withdrawn.
    target: str | None
    # A reason or comment the step must carry.
    needs_note: bool = False
    # Only the record's creator, or someone who may publish it, may take the step.
    authors_only: bool = False
    # On a published record with a pending revision, the step reviews the revision.
    reviews_revision: bool = False


TRANSITIONS = {
    "submit": Transition(frozenset({DRAFT}), IN_REVIEW, authors_only=True),
    "publish": Transition(frozenset({DRAFT, IN_REVIEW}), PUBLISHED, reviews_revision=True),
    "send_back": Transition(frozenset({IN_REVIEW}), DRAFT, needs_note=True, reviews_revision=True),
    "withdraw": Transition(frozenset({DRAFT, IN_REVIEW, PUBLISHED}), WITHDRAWN, needs_note=True),
    "restore": Transition(frozenset({WITHDRAWN}), None),
}
# Why a step cannot be taken from a record's status, one sentence a step.
STEP_REFUSED = {
    "submit": N_("Cannot submit a %(kind)s that is %(status)s."),
    "publish": N_("Cannot publish a %(kind)s that is %(status)s."),
    "send_back": N_("Cannot send back a %(kind)s that is %(status)s."),
    "withdraw": N_("Cannot withdraw a %(kind)s that is %(status)s."),
    "restore": N_("Cannot restore a %(kind)s that is %(status)s."),
}
# Fields no public page or answer shows: a change to them alone changes nothing public.
STAFF_ONLY = frozenset({"internal_note"})
# Audit events that describe a proposed change, not a change made to the record: the
# record's values at a version, and what changed since one, leave them out.
PROPOSALS = frozenset({"propose", "send_back_change"})


def get(kind: Kind, entity_id: int, *, actor: User | None) -> Any:
    """The record, of any status, for staff (Forbidden for anyone else); NotFound if there
    is none."""
    require(actor, "read")
    entity = db.session.get(kind.model, entity_id)
    if entity is None:
        raise NotFound(Message(N_("No %(kind)s with id %(id)s."), kind.says(id=entity_id)))
    return entity


def load_for_write(kind: Kind, entity_id: int) -> Any:
    """Read the record inside the write transaction (row-locked on PostgreSQL)."""
    query = select(kind.model).where(kind.model.id == entity_id).with_for_update()
    entity = db.session.scalars(query).one_or_none()
    if entity is None:
        raise NotFound(Message(N_("No %(kind)s with id %(id)s."), kind.says(id=entity_id)))
    return entity


def check_version(kind: Kind, entity: Any, version: int) -> None:
    """Refuse a change based on a stale read, saying what changed meanwhile."""
    if entity.version == version:
        return
    said = N_(
        "This %(kind)s was changed by someone else after you opened it (you had version "
        "%(yours)s, it is now at version %(now)s). Nothing was saved: look at what changed, "
        "then make your change again."
    )
    raise Conflict(
        Message(said, kind.says(yours=version, now=entity.version)),
        current_version=entity.version,
        changed=changes_since(kind, entity.id, version),
    )


def changes_since(kind: Kind, entity_id: int, version: int) -> dict[str, list[Any]]:
    """{field: [value at `version`, value now]} over the events after `version`."""
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.entity_type == kind.name,
            AuditEvent.entity_id == entity_id,
            AuditEvent.version > version,
            AuditEvent.action.not_in(PROPOSALS),
        )
        .order_by(AuditEvent.id)
    )
    merged: dict[str, list[Any]] = {}
    for event in db.session.scalars(query):
        for name, (old, new) in event.changes.items():
            merged[name] = [merged[name][0] if name in merged else old, new]
    return {name: pair for name, pair in merged.items() if pair[0] != pair[1]}


def values_at(kind: Kind, entity: Any, version: int) -> dict[str, Any]:
    """The record's editable fields as they were at `version`, undoing later changes."""
    if not 1 <= version <= entity.version:
        said = N_("This %(kind)s has no version %(version)s.")
        raise NotFound(Message(said, kind.says(version=version)))
    fields = kind.fields
    values = audit.snapshot(entity, fields)
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.entity_type == kind.name,
            AuditEvent.entity_id == entity.id,
            AuditEvent.version > version,
            AuditEvent.action.not_in(PROPOSALS),
        )
        .order_by(AuditEvent.id.desc())
    )
    for event in db.session.scalars(query):
        for name, (old, _new) in event.changes.items():
            if name in values:
                values[name] = old
    return values


def update(kind: Kind, entity_id: int, data: dict, *, actor: User, version: int) -> Any:
    """Change some of a record's fields (or propose the change), refusing a stale version."""
    require(actor, f"{kind.name}.update")
    with write_transaction():
        entity = load_for_write(kind, entity_id)
        check_version(kind, entity, version)
        kind.update(entity, data, actor=actor)
    return entity


def restore_version(kind: Kind, entity_id: int, target: int, *, actor: User, version: int) -> Any:
    """Make a record's fields what they were at version `target`, as a new change."""
    require(actor, f"{kind.name}.update")
    with write_transaction():
        entity = load_for_write(kind, entity_id)
        check_version(kind, entity, version)
        values = values_at(kind, entity, target)
        kind.update(entity, values, actor=actor, action="restore_version", note=f"Version {target}")
    return entity


def validate_create(kind: Kind, payload: dict) -> dict:
    """Validate a new record's fields."""
    return kind.schema().load(_as_dict(payload))


def validate_update(kind: Kind, entity: Any, payload: dict, *, actor: User | None = None) -> dict:
    """Validate the record as it would be after applying `payload`, whole.

    Cross-field rules (a year range, both coordinates) then hold for the result, not
    only for the fields that happened to be sent. Someone whose change waits for review
    changes the pending revision, so it is the starting point of theirs.
    """
    schema = kind.schema()
    current = schema.dump(entity) if actor is None else editable_values(kind, entity, actor)
    payload = _as_dict(payload)
    unknown = sorted(set(payload) - set(schema.fields))
    if unknown:
        raise ValidationError({name: [schema.error_messages["unknown"]] for name in unknown})
    return schema.load({**current, **payload})


def insert(kind: Kind, values: dict, *, actor: User) -> Any:
    """Add a new draft record with `values`, audited; the caller commits."""
    now = utcnow()
    entity = kind.model(
        **values,
        status=DRAFT,
        version=1,
        created_by_id=actor.id,
        updated_by_id=actor.id,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    db.session.add(entity)
    db.session.flush()
    changes = audit.diff({}, audit.snapshot(entity, [*kind.fields, "status"]))
    changes = {name: pair for name, pair in changes.items() if pair[1] not in (None, [], False)}
    audit.record_event(
        kind.name, entity.id, "create", actor=actor, changes=changes, version=1, public=False
    )  # a new record is a draft
    outbox.enqueue(kind.name, entity.id)
    return entity


def apply(
    kind: Kind,
    entity: Any,
    values: dict,
    *,
    actor: User,
    action: str = "update",
    note: str | None = None,
) -> dict[str, list[Any]]:
    """Apply validated `values`, audited; returns the diff (empty: nothing changed)."""
    before = audit.snapshot(entity, list(values))
    changes = audit.diff(before, {name: audit.jsonable(v) for name, v in values.items()})
    if not changes:
        return changes
    before = _public_pages(kind, entity, changes)
    for name in changes:
        setattr(entity, name, values[name])
    _touch(entity, actor)
    _record_change(kind, entity, action, actor=actor, changes=changes, note=note, before=before)
    outbox.enqueue(kind.name, entity.id)
    return changes


def proposes(kind_name: str, entity: Any, actor: User | None) -> bool:
    """Whether a change by `actor` to `entity` (of the kind so named) waits for review
    instead of going live."""
    return entity.status == PUBLISHED and not can(actor, f"{kind_name}.publish")


def save(
    kind: Kind,
    entity: Any,
    values: dict,
    *,
    actor: User,
    action: str = "update",
    note: str | None = None,
) -> Saved:
    """Apply validated `values`, or propose them when the record is published and the actor
    may not publish it; audited either way."""
    if proposes(kind.name, entity, actor):
        return Saved(propose(kind, entity, values, actor=actor, note=note), pending=True)
    return Saved(apply(kind, entity, values, actor=actor, action=action, note=note))


def propose(
    kind: Kind, entity: Any, values: dict, *, actor: User, note: str | None = None
) -> dict[str, list[Any]]:
    """Make `values` the record's pending revision (the fields that differ from the live
    record); returns how the proposal changed. The live record keeps its fields; its
    version moves on, so two proposals from the same version cannot both be saved."""
    revision = entity.pending_revision
    live = audit.snapshot(entity, list(values))
    wanted = {name: audit.jsonable(value) for name, value in values.items()}
    proposal = {name: value for name, value in wanted.items() if value != live[name]}
    earlier = dict(revision.values) if revision else {}
    changes = audit.diff(
        {name: earlier.get(name, live[name]) for name in wanted},
        {name: proposal.get(name, live[name]) for name in wanted},
    )
    if not changes:
        return changes
    if revision is None:
        revision = PendingRevision(entity_table=kind.model.__tablename__, entity_id=entity.id)
        db.session.add(revision)
    if proposal:
        revision.values = proposal
        revision.proposed_by_id = actor.id
        revision.proposed_at = utcnow()
    else:  # changed back to what is published: nothing is proposed any more
        db.session.delete(revision)
    entity.version += 1
    audit.record_event(
        kind.name, entity.id, "propose", actor=actor, changes=changes, note=note,
        version=entity.version, public=False,
    )  # fmt: skip
    return changes


def editable_values(kind: Kind, entity: Any, actor: User | None) -> dict[str, Any]:
    """The fields an edit form starts from: the record's, or, for someone whose change
    waits for review, the record's with its pending revision."""
    values = kind.schema().dump(entity)
    if proposes(kind.name, entity, actor) and entity.pending_revision:
        values.update(entity.pending_revision.values)
    return values


def review_changes(entity: Any) -> dict[str, list[Any]]:
    """{field: [published value, proposed value]} of a record's pending revision."""
    revision = entity.pending_revision
    if revision is None:
        return {}
    live = audit.snapshot(entity, list(revision.values))
    return {name: [live[name], value] for name, value in revision.values.items()}


def available_steps(kind: Kind, entity: Any, actor: User | None) -> list[str]:
    """The workflow steps `actor` may take on `entity` now, in workflow order."""
    reviewing = entity.status == PUBLISHED and entity.pending_revision is not None
    return [
        action
        for action, step in TRANSITIONS.items()
        if (entity.status in step.sources or (reviewing and step.reviews_revision))
        and can(actor, f"{kind.name}.{action}")
        and _may_take(kind, step, entity, actor)
    ]


def _may_take(kind: Kind, step: Transition, entity: Any, actor: User | None) -> bool:
    """Whether `actor` may take `step` on this record, beyond their role's permission."""
    if not step.authors_only:
        return True
    return entity.created_by_id == getattr(actor, "id", None) or can(actor, f"{kind.name}.publish")


def transition(
    kind: Kind, entity_id: int, action: str, *, actor: User, version: int, note: str | None = None
) -> Any:
    """Move a record through the publication workflow: submit, publish, send back, withdraw,
    restore."""
    step = TRANSITIONS.get(action)
    if step is None:
        raise NotFound(
            Message(N_("There is no workflow step called “%(action)s”."), {"action": action})
        )
    require(actor, f"{kind.name}.{action}")
    note = StepInput().load({"note": note}).get("note") or None
    if step.needs_note and not note:
        raise ValidationError(
            {"note": [N_("Give a reason; it is kept with the record's history.")]}
        )
    with write_transaction():
        entity = load_for_write(kind, entity_id)
        check_version(kind, entity, version)
        if step.reviews_revision and entity.status == PUBLISHED and entity.pending_revision:
            _review_revision(kind, entity, action, actor=actor, note=note)
            return entity
        if not _may_take(kind, step, entity, actor):
            said = N_(
                "Only the person who created this %(kind)s, or an editor, may submit it for review."
            )
            raise Forbidden(Message(said, kind.says()))
        if entity.status not in step.sources:
            status = {
                lang: PUBLICATION_STATUSES.label(entity.status, lang).lower() for lang in LANGUAGES
            }
            said = Message(STEP_REFUSED[action], kind.says(status=status))
            raise InvalidTransition(said)
        target = step.target or _status_before_withdrawal(kind, entity)
        changes = {"status": [entity.status, target]}
        before = _public_pages(kind, entity, changes)
        entity.status = target
        entity.status_changed_at = utcnow()
        if target == PUBLISHED and entity.published_at is None:
            entity.published_at = entity.status_changed_at
        if action == "withdraw":
            changes["withdrawal_reason"] = [entity.withdrawal_reason, note]
            entity.withdrawal_reason = note
        elif action == "restore":
            changes["withdrawal_reason"] = [entity.withdrawal_reason, None]
            entity.withdrawal_reason = None
        _touch(entity, actor)
        _record_change(kind, entity, action, actor=actor, changes=changes, note=note, before=before)
        outbox.enqueue(kind.name, entity.id)
        kind.stepped(entity, actor=actor)
    return entity


def _review_revision(
    kind: Kind, entity: Any, action: str, *, actor: User, note: str | None
) -> None:
    """Publish a record's pending revision (through the kind's rules, as an edit would
    be), or send it back with a comment; either way it is no longer pending."""
    revision = entity.pending_revision
    proposed, by = dict(revision.values), revision.proposed_by
    db.session.delete(revision)
    db.session.flush()
    db.session.expire(entity, ["pending_revision"])
    if action == "publish":
        credit = f"Proposed by {by.display_name}." if by else None
        saved = kind.update(
            entity, proposed, actor=actor, action="publish_change", note=note or credit
        )
        if saved.changes:
            return
        changes = {}  # the proposal had become what is published; its review is still kept
    else:
        changes = {
            name: [audit.jsonable(getattr(entity, name)), value] for name, value in proposed.items()
        }
    entity.version += 1
    audit.record_event(
        kind.name,
        entity.id,
        "publish_change" if action == "publish" else "send_back_change",
        actor=actor,
        changes=changes,
        note=note,
        version=entity.version,
        public=False,  # the published record stays as it was
    )


def _record_change(
    kind: Kind,
    entity: Any,
    action: str,
    *,
    actor: User,
    changes: dict,
    note: str | None,
    before: _Before | None,
) -> None:
    """Audit a change made to the record itself; when the public can see it, the pages that
    showed or show it are retired and the record's public version and time move with it
    (`before`: what the public saw before the change, from _public_pages)."""
    public_change = _retire_public_pages(kind, entity, before)
    if public_change:
        entity.public_version = entity.version
        entity.public_updated_at = entity.updated_at
    audit.record_event(
        kind.name,
        entity.id,
        action,
        actor=actor,
        changes=changes,
        note=note,
        version=entity.version,
        public=public_change,
    )


@dataclass(frozen=True)
class _Before:
    """What the public saw of a record before a change to fields it may be shown."""

    shown: bool
    pages: frozenset[str] = frozenset()
    counted: Counter[str] = field(default_factory=Counter)


def _public_pages(kind: Kind, entity: Any, changes: dict) -> _Before | None:
    """Before a change: whether the public sees the record and on which pages (None: the
    change is to staff-only fields, which no public page shows)."""
    if not set(changes) - STAFF_ONLY:
        return None
    if not public.shows(kind.name, entity.id):
        return _Before(shown=False)
    pages = public.pages_showing(kind.name, entity)
    return _Before(True, frozenset(pages), counts.contributions(kind.name, entity))


def _retire_public_pages(kind: Kind, entity: Any, before: _Before | None) -> bool:
    """After a change: retire the public pages that showed the record or show it now, bring
    the public counts up to date, and say whether the change was one the public can see (a
    record it saw before or sees after)."""
    if before is None:
        return False
    shown = public.shows(kind.name, entity.id)
    if not (before.shown or shown):
        return False
    after = public.pages_showing(kind.name, entity) if shown else set()
    counting = public.pages_counting(kind.name) if before.shown != shown else set()
    revision.retire(before.pages | after | counting)
    counts.apply(before.counted, counts.contributions(kind.name, entity) if shown else Counter())
    return True


def _touch(entity: Any, actor: User) -> None:
    entity.version += 1
    entity.updated_at = utcnow()
    entity.updated_by_id = actor.id


def _status_before_withdrawal(kind: Kind, entity: Any) -> str:
    query = (
        select(AuditEvent.changes)
        .where(
            AuditEvent.entity_type == kind.name,
            AuditEvent.entity_id == entity.id,
            AuditEvent.action == "withdraw",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    changes = db.session.scalar(query) or {}
    previous = changes.get("status", [DRAFT])[0]
    return previous if previous in PUBLICATION_STATUSES and previous != WITHDRAWN else DRAFT


def _as_dict(payload: Any) -> dict:
    if not isinstance(payload, dict):
        raise ValidationError({"_schema": ["Expected an object of fields."]})
    return dict(payload)
