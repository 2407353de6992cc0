"""The two review rules every kind of record keeps (services/editing.py):

- a draft goes to review by its author's decision: another restorer may not submit it, an
  editor may;
- published content changes only through review: a restorer's change to a published record
  waits as its pending revision, the public keeps the published version, and an editor
  publishes the change or sends it back.
"""

from __future__ import annotations

import io

import pytest
from marshmallow import ValidationError

from heritage.extensions import db
from heritage.models import PendingRevision, RestorationRecord
from heritage.schemas import RestorationInput
from heritage.services import audit, editing, photos, public, restorations, sites
from heritage.services.errors import Conflict, Forbidden
from tests.media import files


@pytest.fixture
def colleagues(make_user):
    return make_user("restorer"), make_user("restorer")


def _published_record(make_site, make_record, editor, **fields):
    site = make_site("published")
    record = make_record(site, **fields)
    record = restorations.submit_record(record.id, actor=editor, version=record.version)
    return restorations.publish_record(record.id, actor=editor, version=record.version)


def _actions(kind: str, entity_id: int) -> list[str]:
    return [event.action for event in audit.history(kind, entity_id)]


# --- submitting ---------------------------------------------------------------------------


def test_a_restorer_may_not_submit_a_colleagues_draft_site(ctx, make_site, colleagues, editor):
    author, colleague = colleagues
    site = make_site(actor=author)

    assert editing.available_steps(sites.SITE, site, colleague) == []
    with pytest.raises(Forbidden, match="Only the person who created this site"):
        sites.submit_site(site.id, actor=colleague, version=site.version)
    assert editing.available_steps(sites.SITE, site, author) == ["submit"]
    assert sites.submit_site(site.id, actor=author, version=site.version).status == "in_review"


def test_a_restorer_may_not_submit_a_colleagues_draft_record_but_may_update_it(
    ctx, make_site, make_record, colleagues
):
    author, colleague = colleagues
    record = make_record(make_site(), actor=author)
    record = restorations.update_record(
        record.id, {"team": "Both of us"}, actor=colleague, version=record.version
    )

    assert "submit" not in editing.available_steps(restorations.RECORD, record, colleague)
    with pytest.raises(Forbidden):
        restorations.submit_record(record.id, actor=colleague, version=record.version)
    assert db.session.get(RestorationRecord, record.id).status == "draft"
    submitted = restorations.submit_record(record.id, actor=author, version=record.version)
    assert submitted.status == "in_review"


def test_an_editor_may_submit_anyones_draft(ctx, make_site, make_record, colleagues, editor):
    author, _colleague = colleagues
    record = make_record(make_site(), actor=author)

    assert "submit" in editing.available_steps(restorations.RECORD, record, editor)
    assert restorations.submit_record(record.id, actor=editor, version=1).status == "in_review"


def test_a_restorer_may_not_submit_a_colleagues_photo(ctx, make_site, colleagues):
    author, colleague = colleagues
    photo = photos.upload_photo(
        make_site().id,
        io.BytesIO(files.jpeg(seed=21)),
        "a.jpg",
        {"caption_en": "The portal.", "alt_en": "A carved stone portal."},
        actor=author,
    ).photo

    with pytest.raises(Forbidden):
        photos.submit_photo(photo.id, actor=colleague, version=photo.version)
    assert photos.submit_photo(photo.id, actor=author, version=photo.version).status == "in_review"


# --- changing what is published -------------------------------------------------------------


def test_a_restorers_change_to_a_published_record_waits_for_review(
    ctx, make_site, make_record, editor, restorer
):
    record = _published_record(make_site, make_record, editor, team="Original team")
    version = record.version

    record = restorations.update_record(
        record.id, {"team": "New team", "work_status": "planned"}, actor=restorer, version=version
    )

    assert record.team == "Original team"
    assert record.version == version + 1
    assert record.pending_revision.values == {"team": "New team"}
    assert editing.review_changes(record) == {"team": ["Original team", "New team"]}
    public_record = db.session.scalar(
        public.published_records().where(RestorationRecord.id == record.id)
    )
    assert public_record.team == "Original team"
    assert _actions("record", record.id)[-1] == "propose"
    assert audit.history("record", record.id)[-1].changes == {"team": ["Original team", "New team"]}
    assert editing.available_steps(restorations.RECORD, record, editor) == [
        "publish",
        "send_back",
        "withdraw",
    ]
    assert editing.available_steps(restorations.RECORD, record, restorer) == []


def test_an_editor_publishes_the_change_and_then_it_is_live(
    ctx, make_site, make_record, editor, restorer
):
    record = _published_record(make_site, make_record, editor, team="Original team")
    record = restorations.update_record(
        record.id, {"team": "New team"}, actor=restorer, version=record.version
    )

    record = restorations.publish_record(record.id, actor=editor, version=record.version)

    assert record.status == "published"
    assert record.team == "New team"
    assert record.pending_revision is None
    assert db.session.query(PendingRevision).count() == 0
    event = audit.history("record", record.id)[-1]
    assert (event.action, event.changes) == (
        "publish_change",
        {"team": ["Original team", "New team"]},
    )
    assert event.actor_id == editor.id
    assert restorer.display_name in event.note


def test_an_editor_sends_the_change_back_and_nothing_goes_live(
    ctx, make_site, make_record, editor, restorer
):
    record = _published_record(make_site, make_record, editor, team="Original team")
    record = restorations.update_record(
        record.id, {"team": "New team"}, actor=restorer, version=record.version
    )

    with pytest.raises(ValidationError):
        restorations.send_back_record(record.id, actor=editor, version=record.version, comment="")
    record = restorations.send_back_record(
        record.id, actor=editor, version=record.version, comment="The team did not change."
    )

    assert (record.status, record.team, record.pending_revision) == (
        "published",
        "Original team",
        None,
    )
    event = audit.history("record", record.id)[-1]
    assert (event.action, event.note) == ("send_back_change", "The team did not change.")


def test_a_second_proposal_builds_on_the_pending_one(
    ctx, make_site, make_record, editor, colleagues
):
    first, second = colleagues
    record = _published_record(make_site, make_record, editor)
    record = restorations.update_record(
        record.id, {"team": "New team"}, actor=first, version=record.version
    )

    with pytest.raises(Conflict):  # from the version before the first proposal
        restorations.update_record(
            record.id, {"materials": "lime"}, actor=second, version=record.version - 1
        )
    record = restorations.update_record(
        record.id, {"materials": "lime"}, actor=second, version=record.version
    )

    assert record.pending_revision.values == {"team": "New team", "materials": "lime"}
    assert editing.editable_values(restorations.RECORD, record, second)["team"] == "New team"
    assert RestorationInput().dump(record)["team"] != "New team"


def test_proposing_what_is_published_withdraws_the_proposal(
    ctx, make_site, make_record, editor, restorer
):
    record = _published_record(make_site, make_record, editor, team="Original team")
    record = restorations.update_record(
        record.id, {"team": "New team"}, actor=restorer, version=record.version
    )

    record = restorations.update_record(
        record.id, {"team": "Original team"}, actor=restorer, version=record.version
    )

    assert record.pending_revision is None
    assert editing.available_steps(restorations.RECORD, record, editor) == ["withdraw"]


def test_an_editors_change_to_a_published_record_goes_live_at_once(
    ctx, make_site, make_record, editor
):
    record = _published_record(make_site, make_record, editor)

    record = restorations.update_record(
        record.id, {"team": "New team"}, actor=editor, version=record.version
    )

    assert (record.team, record.pending_revision) == ("New team", None)


def test_history_restores_ignore_what_was_only_proposed(
    ctx, make_site, make_record, editor, restorer
):
    record = _published_record(make_site, make_record, editor, team="Original team")
    proposed_at = restorations.update_record(
        record.id, {"team": "New team"}, actor=restorer, version=record.version
    ).version

    assert editing.values_at(restorations.RECORD, record, proposed_at)["team"] == "Original team"
    record = restorations.send_back_record(
        record.id, actor=editor, version=proposed_at, comment="No."
    )
    assert editing.changes_since(restorations.RECORD, record.id, proposed_at - 1) == {}


def test_a_proposed_clearance_override_is_audited_when_published(
    ctx, make_site, make_record, editor, restorer
):
    site = make_site("published", clearance_status="in_progress", clearance_date=None)
    record = make_record(site)
    record = restorations.submit_record(record.id, actor=editor, version=record.version)
    record = restorations.publish_record(record.id, actor=editor, version=record.version)
    started = {
        "work_status": "in_progress",
        "start_date": "2024-05-01",
        "clearance_override_reason": "Cleared by hand around the portal only.",
    }

    record = restorations.update_record(record.id, started, actor=restorer, version=record.version)
    assert "clearance_override" not in _actions("record", record.id)
    restorations.publish_record(record.id, actor=editor, version=record.version)

    assert _actions("record", record.id)[-2:] == ["publish_change", "clearance_override"]


def test_a_proposed_photo_change_must_leave_it_publishable(ctx, make_site, editor, restorer):
    site = make_site("published")
    described = {"caption_en": "West façade.", "alt_en": "A stone mosque."}
    photo = photos.upload_photo(
        site.id, io.BytesIO(files.jpeg(seed=22)), "a.jpg", described, actor=editor
    ).photo
    photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)

    with pytest.raises(ValidationError):
        photos.update_photo(photo.id, {"caption_en": None}, actor=restorer, version=photo.version)
    photo = photos.update_photo(
        photo.id, {"caption_en": "West façade, 2019."}, actor=restorer, version=photo.version
    )

    assert photo.caption_en == "West façade."
    photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)
    assert photo.caption_en == "West façade, 2019."
