"""API fixtures: a signed-in uploader on an app of a test's own configuration."""

from __future__ import annotations

import pytest

from heritage.extensions import db
from heritage.services import sites, users
from tests.conftest import PASSWORD, form_token, site_data


@pytest.fixture
def sign_in_as():
    """sign_in_as(app) -> (client, site id, CSRF token) for a restorer with a draft site."""
    apps = []

    def prepare(app):
        apps.append(app)
        with app.app_context():
            editor = users.create_user(
                {"email": "e@example.org", "role": "editor", "password": PASSWORD}, actor=None
            )
            users.create_user(
                {"email": "r@example.org", "role": "restorer", "password": PASSWORD}, actor=None
            )
            site_id = sites.create_site(site_data(), actor=editor).id
        client = app.test_client()
        credentials = {"email": "r@example.org", "password": PASSWORD}
        client.post("/login", data={**credentials, "csrf_token": form_token(client)})
        return client, site_id, form_token(client, "/staff/")

    yield prepare
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def token_for(ctx):
    """token_for(user, read_only=False) -> the Authorization header of a new API token."""
    from heritage.services import tokens

    def issue(user, read_only: bool = False) -> dict[str, str]:
        issued = tokens.create_token(user.id, {"name": "test", "read_only": read_only}, actor=None)
        return {"Authorization": f"Bearer {issued.secret}"}

    return issue
