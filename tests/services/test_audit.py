"""The audit trail is append-only: neither the ORM nor plain SQL can rewrite it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from heritage.extensions import db
from heritage.services import audit


def test_the_orm_refuses_to_change_an_event(make_site):
    site = make_site()
    [event] = audit.history("site", site.id)

    event.note = "rewritten"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()

    db.session.delete(event)
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET note = 'rewritten'", "DELETE FROM audit_events"]
)
def test_the_database_refuses_to_change_an_event(make_site, statement):
    site = make_site()

    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()

    [event] = audit.history("site", site.id)
    assert event.note is None
