"""API tokens: issued by the CLI and the staff page, stored hashed, read-only or not,
revocable, dead with their account; rate limits; CORS."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from heritage.extensions import db
from heritage.models import ApiToken, AuditEvent
from heritage.services import users
from tests.conftest import form_token, make_app, site_data


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_create_token_prints_the_secret_once_and_stores_its_hash(app, runner, editor):
    result = runner.invoke(args=["create-token", editor.email, "--name", "field tablet"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("hrtg_")
    assert len(secret) > 40

    db.session.rollback()
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.prefix, token.name)
    assert secret.startswith(token.prefix)
    assert token.name == "field tablet"
    assert not token.read_only
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "api_token"))

    client = app.test_client()
    response = client.post("/api/v1/sites", json=site_data(), headers=bearer(secret))
    assert response.status_code == 201


def test_create_token_for_an_unknown_address_fails(runner, ctx):
    result = runner.invoke(args=["create-token", "nobody@example.org"])
    assert result.exit_code == 1
    assert "No account" in result.output


def test_a_read_only_token_reads_drafts_and_writes_nothing(client, runner, editor, make_site):
    draft = make_site("draft")
    result = runner.invoke(args=["create-token", editor.email, "--read-only"])
    secret = result.stdout.strip().splitlines()[-1]
    assert client.get(f"/api/v1/sites/{draft.id}", headers=bearer(secret)).status_code == 200
    refused = client.post("/api/v1/sites", json=site_data(), headers=bearer(secret))
    assert refused.status_code == 403


def test_revoked_tokens_and_tokens_of_deactivated_accounts_stop_working(
    client, ctx, make_user, token_for
):
    from heritage.services import tokens

    admin = make_user("admin")
    editor = make_user("editor")
    headers = token_for(editor)
    assert client.get("/api/v1/sites", headers=headers).status_code == 200

    users.set_active(editor.id, False, actor=admin)
    refused = client.get("/api/v1/sites", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    users.set_active(editor.id, True, actor=admin)
    assert client.get("/api/v1/sites", headers=headers).status_code == 200

    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == editor.id))
    tokens.revoke_token(token_id, actor=admin)
    assert client.get("/api/v1/sites", headers=headers).status_code == 401
    assert client.get("/api/v1/sites", headers={"Authorization": "Basic abc"}).status_code == 401


def test_the_staff_page_shows_a_new_secret_once_and_revokes(client, sign_in, restorer, make_user):
    sign_in(restorer)
    token = form_token(client, "/staff/tokens/")
    created = client.post(
        "/staff/tokens/", data={"name": "phone", "read_only": "1", "csrf_token": token}
    )
    assert created.status_code == 303  # reloading the page after it creates nothing more
    shown = client.get(created.headers["Location"]).get_data(as_text=True)
    secret = re.search(r'value="(hrtg_[^"]+)"', shown).group(1)
    assert client.get("/api/v1/sites", headers=bearer(secret)).status_code == 200
    listing = client.get("/staff/tokens/").get_data(as_text=True)
    assert "phone" in listing
    assert secret not in listing  # shown once

    db.session.rollback()
    token_row = db.session.scalar(select(ApiToken))
    assert token_row.read_only
    assert token_row.last_used_at is not None
    revoked = client.post(f"/staff/tokens/{token_row.id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303
    assert client.get("/api/v1/sites", headers=bearer(secret)).status_code == 401

    empty = client.post("/staff/tokens/", data={"name": " ", "csrf_token": token})
    assert empty.status_code == 422


def test_people_cannot_revoke_other_peoples_tokens_but_admins_can(
    client, sign_in, make_user, token_for
):
    owner = make_user("editor")
    token_for(owner)
    token_id = db.session.scalar(select(ApiToken.id))
    other = make_user("restorer")
    sign_in(other)
    csrf = form_token(client, "/staff/tokens/")
    assert "test" not in client.get("/staff/tokens/").get_data(as_text=True).split("<h2")[0]
    assert (
        client.post(f"/staff/tokens/{token_id}/revoke", data={"csrf_token": csrf}).status_code
        == 404
    )


def test_anonymous_and_token_traffic_is_rate_limited(tmp_path, database_url, editor, token_for):
    app = make_app(
        tmp_path / "limited",
        database_url,
        API_RATE_LIMIT_ANONYMOUS="3 per minute",
        API_RATE_LIMIT_TOKEN="5 per minute",
    )
    try:
        client = app.test_client()
        statuses = [client.get("/api/v1/sites").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get("/api/v1/sites")
        assert limited.content_type == "application/problem+json"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        # The pages are not the API: they are not counted.
        assert client.get("/").status_code == 200
        # A token has its own, larger allowance.
        headers = token_for(editor)
        statuses = [client.get("/api/v1/sites", headers=headers).status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_cors_is_for_anonymous_reads_only(client, editor, token_for):
    anonymous = client.get("/api/v1/sites", headers={"Origin": "https://example.net"})
    assert anonymous.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in anonymous.headers
    with_token = client.get("/api/v1/sites", headers=token_for(editor))
    assert "Access-Control-Allow-Origin" not in with_token.headers
    write = client.post("/api/v1/sites", json={}, headers={"Origin": "https://example.net"})
    assert "Access-Control-Allow-Origin" not in write.headers
