"""Use cases for restoration records: the restorers' work log."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import RestorationRecord, Site, User
from heritage.schemas import RestorationInput
from heritage.services import audit, editing, parts
from heritage.services.errors import InvalidTransition, NotFound
from heritage.services.permissions import require
from heritage.services.sites import SITE
from heritage.services.transaction import write_transaction
from heritage.text import N_, Message
from heritage.vocab import CLEARANCE_STATUSES, CLEARED, STARTED_WORK_STATUSES, WITHDRAWN


@dataclass(frozen=True)
class RecordKind(editing.Kind):
    """Restoration records in the shared life cycle, under the mine-clearance rule."""

    def update(
        self, record: RestorationRecord, data: dict, *, actor: User, **event
    ) -> editing.Saved:
        values = editing.validate_update(self, record, data, actor=actor)
        parts.check_parts(record.site_id, values, ("survey_id",), one_of=False)
        overriding = _check_clearance(
            record.site,
            values,
            previous_reason=record.clearance_override_reason,
            was_started=record.work_status in STARTED_WORK_STATUSES,
        )
        saved = editing.save(self, record, values, actor=actor, **event)
        if overriding and not saved.pending:  # a proposed override is audited when published
            _audit_override(record, record.site, actor=actor)
        return saved


RECORD = RecordKind(
    name="record", label=N_("restoration record"), model=RestorationRecord, schema=RestorationInput
)


def get_record(record_id: int, *, actor: User | None) -> RestorationRecord:
    """A record of any status, for staff."""
    return editing.get(RECORD, record_id, actor=actor)


def records_of_site(site_id: int) -> list[RestorationRecord]:
    """A site's work log, of every status, most recent work first."""
    query = (
        select(RestorationRecord)
        .where(RestorationRecord.site_id == site_id)
        .order_by(RestorationRecord.start_date.desc().nulls_first(), RestorationRecord.id.desc())
    )
    return list(db.session.scalars(query))


def create_record(site_id: int, data: dict, *, actor: User) -> RestorationRecord:
    """Log work (done or planned) on a site, as a draft."""
    require(actor, "record.create")
    values = editing.validate_create(RECORD, data)
    with write_transaction():
        site = db.session.get(Site, site_id)
        if site is None:
            raise NotFound(Message(N_("No %(kind)s with id %(id)s."), SITE.says(id=site_id)))
        if site.status == WITHDRAWN:
            raise InvalidTransition(N_("This site is withdrawn; restore it before logging work."))
        parts.check_parts(site.id, values, ("survey_id",), one_of=False)
        overriding = _check_clearance(site, values, previous_reason=None)
        record = editing.insert(RECORD, {**values, "site_id": site.id}, actor=actor)
        if overriding:
            _audit_override(record, site, actor=actor)
    return record


def update_record(record_id: int, data: dict, *, actor: User, version: int) -> RestorationRecord:
    """Update a record as the work moves on, refusing a stale version."""
    return editing.update(RECORD, record_id, data, actor=actor, version=version)


def restore_record_version(
    record_id: int, target: int, *, actor: User, version: int
) -> RestorationRecord:
    """Make the record's fields what they were at version `target`, as a new change."""
    return editing.restore_version(RECORD, record_id, target, actor=actor, version=version)


def change_record_status(
    record_id: int, action: str, *, actor: User, version: int, note: str | None = None
) -> RestorationRecord:
    """Take the workflow step named `action` (submit, publish, send_back, withdraw, restore)."""
    return editing.transition(RECORD, record_id, action, actor=actor, version=version, note=note)


def submit_record(record_id: int, *, actor: User, version: int) -> RestorationRecord:
    return editing.transition(RECORD, record_id, "submit", actor=actor, version=version)


def publish_record(record_id: int, *, actor: User, version: int) -> RestorationRecord:
    return editing.transition(RECORD, record_id, "publish", actor=actor, version=version)


def send_back_record(
    record_id: int, *, actor: User, version: int, comment: str
) -> RestorationRecord:
    return editing.transition(
        RECORD, record_id, "send_back", actor=actor, version=version, note=comment
    )


def withdraw_record(record_id: int, *, actor: User, version: int, reason: str) -> RestorationRecord:
    return editing.transition(
        RECORD, record_id, "withdraw", actor=actor, version=version, note=reason
    )


def restore_record(record_id: int, *, actor: User, version: int) -> RestorationRecord:
    return editing.transition(RECORD, record_id, "restore", actor=actor, version=version)


def _check_clearance(
    site: Site, values: dict, *, previous_reason: str | None, was_started: bool = False
) -> bool:
    """Refuse started work on a site not cleared of mines, unless explicitly overridden.

    Returns True when this change is the one that uses an override, so it is audited: the
    work starts now, or its reason changed (a reason written while the work was only
    planned is used when it starts).
    """
    if values["work_status"] not in STARTED_WORK_STATUSES or site.clearance_status == CLEARED:
        return False
    reason = values.get("clearance_override_reason")
    if not reason:
        status = CLEARANCE_STATUSES.label(site.clearance_status, "en")
        raise ValidationError(
            {
                "work_status": [
                    f"Work cannot be recorded as started: the site's mine-clearance status is "
                    f"'{status}', not 'Cleared'. To record it anyway, give a clearance "
                    "override reason."
                ]
            }
        )
    return reason != previous_reason or not was_started


def _audit_override(record: RestorationRecord, site: Site, *, actor: User) -> None:
    status = CLEARANCE_STATUSES.label(site.clearance_status, "en")
    audit.record_event(
        RECORD.name,
        record.id,
        "clearance_override",
        actor=actor,
        changes={"site_clearance_status": [None, site.clearance_status]},
        note=f"Work recorded as started on a site marked '{status}': "
        f"{record.clearance_override_reason}",
        version=record.version,
        public=False,
    )
