"""Sites through the service layer: validation, audit diffs, locking, workflow, permissions."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import AuditEvent, IndexOutbox, Site
from heritage.services import audit, sites
from heritage.services.errors import Conflict, Forbidden, InvalidTransition
from tests.conftest import site_data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.whoosh
def test_create_site_is_a_draft_with_an_audited_diff_and_an_outbox_row(editor, monkeypatch):
    # Hold back the after-commit indexing, which would consume the outbox row at once.
    monkeypatch.setattr("heritage.services.indexing.apply_after_commit", lambda: None)
    site = sites.create_site(site_data(), actor=editor)

    assert site.status == "draft"
    assert site.version == 1
    assert site.slug == "upper-govhar-agha-mosque"
    assert site.created_by_id == editor.id
    [event] = audit.history("site", site.id)
    assert event.action == "create"
    assert event.actor_id == editor.id
    assert event.changes["name_az"] == [None, "Yuxarı Gövhər Ağa məscidi"]
    assert event.changes["clearance_date"] == [None, "2021-03-01"]
    assert event.changes["status"] == [None, "draft"]
    outbox = db.session.scalars(select(IndexOutbox)).all()
    assert [(row.entity_type, row.entity_id) for row in outbox] == [("site", site.id)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": "castle"}, "category", "Must be one of: monument, museum, cemetery."),
        ({"site_type": "mosque", "category": "museum"}, "site_type", "belongs to the category"),
        ({"district": None}, "district", "null"),
        ({"name_az": "", "name_en": None, "name_ru": "  "}, "name_az", "at least one language"),
        ({"latitude": 91}, "latitude", "less than or equal to 90"),
        ({"latitude": 40.1, "longitude": None}, "longitude", "both latitude and longitude"),
        ({"year_from": 1900, "year_to": 1800}, "year_to", "earlier than the start year"),
        ({"year_from": "ancient"}, "year_from", "Not a valid integer"),
        ({"clearance_date": "31/12/2022"}, "clearance_date", "Not a valid date"),
        ({"clearance_status": "suspected"}, "clearance_date", "only for sites marked cleared"),
        ({"slug": "Bad Slug!"}, "slug", "lowercase letters"),
        ({"name_en": "x" * 301}, "name_en", "Longer than maximum length 300"),
        ({"name_en": "Bad\x00name"}, "name_en", "control characters"),
        ({"name_en": "Two\nlines"}, "name_en", "line breaks"),
        ({"status": "published"}, "status", "cannot be written here"),
        ({"version": 7}, "version", "cannot be written here"),
        ({"id": 1}, "id", "cannot be written here"),
    ],
)
def test_invalid_site_input_names_the_field_and_changes_nothing(editor, changes, field, message):
    before = (count(Site), count(AuditEvent), count(IndexOutbox))

    with pytest.raises(ValidationError) as raised:
        sites.create_site(site_data(**changes), actor=editor)

    messages = raised.value.normalized_messages()
    assert field in messages, messages
    assert message in " ".join(messages[field])
    assert (count(Site), count(AuditEvent), count(IndexOutbox)) == before


def test_update_records_old_and_new_values_and_bumps_the_version(editor, make_site):
    site = make_site()

    site = sites.update_site(
        site.id, {"condition": "critical", "settlement": "Şuşa şəhəri"}, actor=editor, version=1
    )

    assert site.version == 2
    event = audit.history("site", site.id)[-1]
    assert event.action == "update"
    assert event.version == 2
    assert event.changes == {
        "condition": ["poor", "critical"],
        "settlement": ["Şuşa", "Şuşa şəhəri"],
    }


def test_update_without_changes_writes_nothing(editor, make_site):
    site = make_site()

    site = sites.update_site(site.id, {"condition": "poor"}, actor=editor, version=1)

    assert site.version == 1
    assert len(audit.history("site", site.id)) == 1


def test_update_validates_the_whole_result(editor, make_site):
    site = make_site()

    with pytest.raises(ValidationError) as raised:
        sites.update_site(site.id, {"year_from": 1900}, actor=editor, version=1)

    assert "year_to" in raised.value.normalized_messages()
    db.session.rollback()
    assert db.session.get(Site, site.id).year_from == 1768


def test_stale_version_is_a_conflict_that_says_what_changed(editor, make_user, make_site):
    site = make_site()
    other_editor = make_user("editor")
    sites.update_site(site.id, {"condition": "critical"}, actor=other_editor, version=1)

    with pytest.raises(Conflict) as raised:
        sites.update_site(site.id, {"settlement": "Mine"}, actor=editor, version=1)

    assert raised.value.current_version == 2
    assert raised.value.changed == {"condition": ["poor", "critical"]}
    assert "changed by someone else" in raised.value.message
    db.session.expire_all()
    assert db.session.get(Site, site.id).settlement == "Şuşa"


def test_workflow_submit_publish_withdraw_restore(editor, make_site):
    site = make_site()

    site = sites.submit_site(site.id, actor=editor, version=site.version)
    assert site.status == "in_review"
    site = sites.publish_site(site.id, actor=editor, version=site.version)
    assert site.status == "published"
    site = sites.withdraw_site(
        site.id, actor=editor, version=site.version, reason="Duplicate of another record."
    )
    assert site.status == "withdrawn"
    assert site.withdrawal_reason == "Duplicate of another record."
    site = sites.restore_site(site.id, actor=editor, version=site.version)
    assert site.status == "published"
    assert site.withdrawal_reason is None

    actions = [(e.action, e.changes["status"]) for e in audit.history("site", site.id)[1:]]
    assert actions == [
        ("submit", ["draft", "in_review"]),
        ("publish", ["in_review", "published"]),
        ("withdraw", ["published", "withdrawn"]),
        ("restore", ["withdrawn", "published"]),
    ]
    assert count(Site) == 1  # never deleted


def test_restore_returns_a_withdrawn_draft_to_draft(editor, make_site):
    site = make_site()
    site = sites.withdraw_site(site.id, actor=editor, version=1, reason="Catalogued twice.")

    site = sites.restore_site(site.id, actor=editor, version=site.version)

    assert site.status == "draft"


def test_withdraw_needs_a_reason(editor, make_site):
    site = make_site("published")

    with pytest.raises(ValidationError) as raised:
        sites.withdraw_site(site.id, actor=editor, version=site.version, reason="  ")

    assert "note" in raised.value.normalized_messages()


@pytest.mark.parametrize(
    ("status", "step"),
    [("withdrawn", "publish"), ("published", "submit"), ("draft", "restore")],
)
def test_impossible_workflow_steps_are_refused(editor, make_site, status, step):
    site = make_site(status)

    with pytest.raises(InvalidTransition):
        getattr(sites, f"{step}_site")(site.id, actor=editor, version=site.version)

    db.session.rollback()
    assert db.session.get(Site, site.id).status == status


def test_send_back_returns_a_reviewed_site_to_draft_with_the_comment(editor, make_site):
    site = make_site("in_review")

    site = sites.send_back_site(
        site.id, actor=editor, version=site.version, comment="Add the Russian name."
    )

    assert site.status == "draft"
    assert audit.history("site", site.id)[-1].note == "Add the Russian name."


def test_slug_and_inventory_number_must_be_unique(editor, make_site):
    make_site(inventory_number="INV-1")

    second = sites.create_site(site_data(), actor=editor)
    assert second.slug == "upper-govhar-agha-mosque-2"
    with pytest.raises(ValidationError) as raised:
        sites.create_site(site_data(slug="upper-govhar-agha-mosque"), actor=editor)
    assert "slug" in raised.value.normalized_messages()
    with pytest.raises(ValidationError) as raised:
        sites.create_site(site_data(inventory_number="INV-1"), actor=editor)
    assert "inventory_number" in raised.value.normalized_messages()


def test_slug_from_an_azerbaijani_or_russian_name(editor):
    az = sites.create_site(site_data(name_en=None, name_az="Şuşa qalası"), actor=editor)
    ru = sites.create_site(
        site_data(name_en=None, name_az=None, name_ru="Шушинская крепость"), actor=editor
    )

    assert az.slug == "shusha-qalasi"
    assert ru.slug == "shushinskaya-krepost"


@pytest.mark.parametrize("role", ["researcher", "restorer"])
def test_roles_that_may_not_publish(make_user, make_site, role):
    site = make_site("in_review")

    with pytest.raises(Forbidden):
        sites.publish_site(site.id, actor=make_user(role), version=site.version)


def test_researcher_writes_nothing(make_user):
    with pytest.raises(Forbidden):
        sites.create_site(site_data(), actor=make_user("researcher"))
    assert count(Site) == 0


def test_restorer_edits_own_draft_but_not_other_sites(restorer, make_site):
    own = make_site(actor=restorer)
    others = make_site()

    own = sites.update_site(own.id, {"condition": "fair"}, actor=restorer, version=1)
    assert own.condition == "fair"
    with pytest.raises(Forbidden):
        sites.update_site(others.id, {"condition": "fair"}, actor=restorer, version=1)
    sites.submit_site(own.id, actor=restorer, version=own.version)
    with pytest.raises(Forbidden):
        sites.update_site(own.id, {"condition": "good"}, actor=restorer, version=own.version + 1)


def test_deactivated_accounts_can_do_nothing(editor, make_site):
    site = make_site()
    editor.active = False
    db.session.commit()

    with pytest.raises(Forbidden):
        sites.update_site(site.id, {"condition": "fair"}, actor=editor, version=1)


def test_restoring_a_version_from_before_review_keeps_the_reviewed_address(editor, make_site):
    site = make_site(slug="sluggo-mosque", condition="poor")
    site = sites.update_site(site.id, {"slug": "sluggo-mosque-aghdam"}, actor=editor, version=1)
    site = sites.update_site(site.id, {"condition": "good"}, actor=editor, version=2)
    site = sites.submit_site(site.id, actor=editor, version=3)
    site = sites.publish_site(site.id, actor=editor, version=4)

    site = sites.restore_site_version(site.id, 1, actor=editor, version=5)

    assert (site.slug, site.condition) == ("sluggo-mosque-aghdam", "poor")
