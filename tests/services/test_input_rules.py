"""The schemas' rules for every door (forms, API, CLI, import), met at the service: text no
column can store and whole numbers with a fraction are refused, naming the field."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from heritage.extensions import db
from heritage.models import AuditEvent, Site, User
from heritage.services import restorations, sites, tokens, users
from tests.conftest import PASSWORD, form_token, record_data, site_data

SURROGATE = "caf\udc80"  # what a surrogateescape'd byte looks like (a CLI's stdin, a CSV)


def _audit_count() -> int:
    return db.session.query(AuditEvent).count()


@pytest.mark.parametrize("field", ["name_en", "description_ru", "settlement", "internal_note"])
def test_sites_refuse_a_lone_surrogate(ctx, editor, field):
    before = _audit_count()
    with pytest.raises(ValidationError) as refused:
        sites.create_site(site_data(**{field: SURROGATE}), actor=editor)

    assert "lone surrogate" in refused.value.messages[field][0]
    assert _audit_count() == before


def test_alternative_names_refuse_a_lone_surrogate(ctx, editor):
    with pytest.raises(ValidationError) as refused:
        sites.create_site(site_data(alternative_names=["Şuşa", SURROGATE]), actor=editor)

    assert "alternative_names" in refused.value.messages


def test_records_notes_passwords_and_token_names_refuse_a_lone_surrogate(ctx, editor, make_site):
    site = make_site("published")
    record = restorations.create_record(site.id, record_data(), actor=editor)
    attempts = [
        lambda: restorations.create_record(site.id, record_data(team=SURROGATE), actor=editor),
        lambda: restorations.update_record(
            record.id, {"materials": SURROGATE}, actor=editor, version=record.version
        ),
        lambda: sites.withdraw_site(site.id, actor=editor, version=site.version, reason=SURROGATE),
        lambda: users.create_user(
            {"email": "x@example.org", "role": "editor", "password": PASSWORD + SURROGATE},
            actor=None,
        ),
        lambda: tokens.create_token(editor.id, {"name": SURROGATE}, actor=editor),
    ]
    before = _audit_count()
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "lone surrogate" in str(refused.value.messages)
    assert _audit_count() == before
    assert db.session.query(User).filter_by(email="x@example.org").one_or_none() is None


@pytest.mark.parametrize("value", [1.5, -0.25, "1.5", "1768.5", True])
def test_a_year_with_a_fraction_is_refused_at_the_service(ctx, editor, value):
    with pytest.raises(ValidationError) as refused:
        sites.create_site(site_data(year_from=value), actor=editor)

    assert "year_from" in refused.value.messages


@pytest.mark.parametrize(("value", "stored"), [(1768, 1768), ("1768", 1768), (1768.0, 1768)])
def test_whole_numbers_are_taken_from_any_door(ctx, editor, value, stored):
    site = sites.create_site(site_data(year_from=value), actor=editor)

    assert site.year_from == stored


def test_the_site_form_refuses_a_year_with_a_fraction(client, sign_in, editor, make_site):
    site = make_site()
    sign_in(editor)
    token = form_token(client, f"/staff/sites/{site.id}/edit")
    form = {**site_data(year_from="1768.5"), "version": "1", "csrf_token": token}

    response = client.post(f"/staff/sites/{site.id}/edit", data=form)

    assert response.status_code == 422
    assert "Not a valid integer." in response.get_data(as_text=True)
    assert db.session.get(Site, site.id).version == 1
