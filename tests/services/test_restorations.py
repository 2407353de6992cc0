"""Restoration records: the work log, its date rules and the mine-clearance rule."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import AuditEvent, RestorationRecord
from heritage.services import audit, restorations
from heritage.services.errors import Forbidden, InvalidTransition, NotFound
from tests.conftest import record_data

OVERRIDE = "Survey confined to the access corridor cleared and marked by the deminers."


@pytest.fixture
def uncleared_site(make_site):
    return make_site(clearance_status="suspected", clearance_date=None)


def test_restorer_logs_planned_work_as_a_draft(restorer, make_site):
    site = make_site("published")

    record = restorations.create_record(site.id, record_data(), actor=restorer)

    assert record.site_id == site.id
    assert record.status == "draft"
    assert record.created_by_id == restorer.id
    [event] = audit.history("record", record.id)
    assert event.changes["title"] == [None, "Conservation of the prayer hall roof"]


def test_work_moves_from_planned_to_completed(restorer, make_site, make_record):
    record = make_record(make_site(), actor=restorer)

    record = restorations.update_record(
        record.id,
        {"work_status": "in_progress", "start_date": "2024-04-01", "condition_before": "critical"},
        actor=restorer,
        version=1,
    )
    record = restorations.update_record(
        record.id,
        {"work_status": "completed", "end_date": "2024-10-15", "condition_after": "fair"},
        actor=restorer,
        version=2,
    )

    assert record.work_status == "completed"
    assert record.version == 3
    diff = audit.history("record", record.id)[-1].changes
    assert diff["work_status"] == ["in_progress", "completed"]
    assert diff["end_date"] == [None, "2024-10-15"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"work_status": "in_progress"}, "start_date"),
        ({"work_status": "completed", "start_date": "2024-01-01"}, "end_date"),
        ({"start_date": "2024-05-01", "end_date": "2024-04-30"}, "end_date"),
        ({"work_type": "painting"}, "work_type"),
        ({"title": None}, "title"),
        ({"clearance_override_reason": "ok"}, "clearance_override_reason"),
        ({"site_id": 5}, "site_id"),
    ],
)
def test_invalid_record_input_names_the_field(editor, make_site, changes, field):
    site = make_site()

    with pytest.raises(ValidationError) as raised:
        restorations.create_record(site.id, record_data(**changes), actor=editor)

    assert field in raised.value.normalized_messages()
    assert db.session.scalar(select(func.count()).select_from(RestorationRecord)) == 0


def test_started_work_on_an_uncleared_site_is_refused(restorer, uncleared_site):
    data = record_data(work_status="in_progress", start_date="2024-05-01")

    with pytest.raises(ValidationError) as raised:
        restorations.create_record(uncleared_site.id, data, actor=restorer)

    [message] = raised.value.normalized_messages()["work_status"]
    assert "'Suspected hazardous area', not 'Cleared'" in message
    assert "override" in message
    assert db.session.scalar(select(func.count()).select_from(RestorationRecord)) == 0


def test_planned_work_on_an_uncleared_site_is_fine(restorer, uncleared_site):
    record = restorations.create_record(uncleared_site.id, record_data(), actor=restorer)
    assert record.work_status == "planned"


def test_starting_planned_work_on_an_uncleared_site_is_refused(
    restorer, uncleared_site, make_record
):
    record = make_record(uncleared_site, actor=restorer)

    with pytest.raises(ValidationError):
        restorations.update_record(
            record.id,
            {"work_status": "in_progress", "start_date": "2024-05-01"},
            actor=restorer,
            version=1,
        )
    db.session.expire_all()
    assert db.session.get(RestorationRecord, record.id).work_status == "planned"


def test_an_explicit_override_is_accepted_and_audited(restorer, uncleared_site):
    data = record_data(
        work_status="in_progress", start_date="2024-05-01", clearance_override_reason=OVERRIDE
    )

    record = restorations.create_record(uncleared_site.id, data, actor=restorer)

    create, override = audit.history("record", record.id)
    assert create.changes["clearance_override_reason"] == [None, OVERRIDE]
    assert override.action == "clearance_override"
    assert override.actor_id == restorer.id
    assert override.changes == {"site_clearance_status": [None, "suspected"]}
    assert "Suspected hazardous area" in override.note
    assert OVERRIDE in override.note

    # Later updates of the same work need no new override, and log none.
    restorations.update_record(record.id, {"team": "Two masons"}, actor=restorer, version=1)
    assert [e.action for e in audit.history("record", record.id)] == [
        "create",
        "clearance_override",
        "update",
    ]


def test_an_override_written_while_work_was_planned_is_audited_when_work_starts(
    restorer, uncleared_site
):
    data = record_data(work_status="planned", clearance_override_reason=OVERRIDE)
    record = restorations.create_record(uncleared_site.id, data, actor=restorer)

    restorations.update_record(
        record.id,
        {"work_status": "in_progress", "start_date": "2025-01-01"},
        actor=restorer,
        version=1,
    )

    actions = [event.action for event in audit.history("record", record.id)]
    assert actions == ["create", "update", "clearance_override"]


def test_no_work_logged_on_missing_or_withdrawn_sites(editor, make_site):
    with pytest.raises(NotFound):
        restorations.create_record(9999, record_data(), actor=editor)
    withdrawn = make_site("withdrawn")
    with pytest.raises(InvalidTransition):
        restorations.create_record(withdrawn.id, record_data(), actor=editor)


def test_researcher_cannot_log_work(make_user, make_site):
    with pytest.raises(Forbidden):
        restorations.create_record(make_site().id, record_data(), actor=make_user("researcher"))


def test_record_workflow_and_withdraw_restore(editor, restorer, make_site, make_record):
    record = make_record(make_site("published"), actor=restorer)

    record = restorations.submit_record(record.id, actor=restorer, version=1)
    with pytest.raises(Forbidden):
        restorations.publish_record(record.id, actor=restorer, version=record.version)
    record = restorations.publish_record(record.id, actor=editor, version=record.version)
    record = restorations.withdraw_record(
        record.id, actor=editor, version=record.version, reason="Dates under review."
    )
    assert record.status == "withdrawn"
    record = restorations.restore_record(record.id, actor=editor, version=record.version)
    assert record.status == "published"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) >= 5
