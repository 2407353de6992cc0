"""Signing in and out, throttling, session revocation, CSRF and security headers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from heritage.extensions import db
from heritage.models import SignInAttempt, User
from heritage.services import auth
from tests.conftest import PASSWORD, form_token


def post_login(client, email, password, **extra):
    data = {"email": email, "password": password, "csrf_token": form_token(client), **extra}
    return client.post(
        "/login", data=data, environ_base={"REMOTE_ADDR": extra.pop("ip", "10.0.0.1")}
    )


def test_staff_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get("/staff/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/staff/")


def test_sign_in_opens_the_workspace(client, editor):
    response = post_login(client, editor.email, PASSWORD, next="/staff/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/")
    assert page.status_code == 200
    assert editor.display_name in page.get_data(as_text=True)


def test_unknown_account_and_wrong_password_get_the_same_answer(client, editor):
    unknown = post_login(client, "nobody@example.org", PASSWORD)
    wrong = post_login(client, editor.email, "not the password")

    assert unknown.status_code == wrong.status_code == 401

    def page(response, email):
        html = response.get_data(as_text=True).replace(email, "EMAIL")
        return re.sub(r'name="csrf_token" value="[^"]+"', "", html)  # signed with the time

    assert page(unknown, "nobody@example.org") == page(wrong, editor.email)


def test_every_attempt_is_logged(ctx, client, editor):
    post_login(client, editor.email, "wrong password")
    post_login(client, editor.email, PASSWORD)

    db.session.rollback()  # end the test's read snapshot to see what the requests wrote
    attempts = db.session.scalars(select(SignInAttempt).order_by(SignInAttempt.id)).all()
    assert [(a.email, a.succeeded) for a in attempts] == [
        (editor.email, False),
        (editor.email, True),
    ]
    assert attempts[1].user_id == editor.id


def test_failed_sign_ins_are_throttled_per_account(client, editor):
    for _ in range(5):
        assert post_login(client, editor.email, "wrong password").status_code == 401

    throttled = post_login(client, editor.email, PASSWORD)

    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert "Too many failed sign-in attempts" in throttled.get_data(as_text=True)


def test_failed_sign_ins_are_throttled_per_client_address(app, client, make_user):
    app.config["SIGN_IN_LIMIT_PER_ADDRESS"] = 3
    for n in range(3):
        post_login(client, f"guess{n}@example.org", "wrong password")

    assert post_login(client, make_user("editor").email, PASSWORD).status_code == 429


def test_sign_out_voids_the_session_everywhere(app, client, editor, sign_in):
    other_device = app.test_client()
    sign_in(editor)
    data = {"email": editor.email, "password": PASSWORD, "csrf_token": form_token(other_device)}
    other_device.post("/login", data=data)
    assert other_device.get("/staff/").status_code == 200

    client.post("/logout", data={"csrf_token": form_token(client, "/staff/")})

    assert client.get("/staff/").status_code == 302
    assert other_device.get("/staff/").status_code == 302


def test_password_change_voids_existing_sessions(app, client, editor, sign_in):
    sign_in(editor)
    auth.change_password(editor, PASSWORD, "a brand new passphrase")

    assert client.get("/staff/").status_code == 302


def test_logout_is_post_only(client, editor, sign_in):
    sign_in(editor)
    assert client.get("/logout").status_code == 405
    assert client.get("/staff/").status_code == 200


def test_forms_without_a_csrf_token_are_refused(client, editor):
    response = client.post("/login", data={"email": editor.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil",
        "/\r\nSet-Cookie: x=1",
        "/staff/\nLocation: https://evil.example/",
        "/\t/evil.example/",  # browsers drop tabs and line breaks: //evil.example/
        "/%0d%0aSet-Cookie:%20x=1\x7f",
        "javascript:alert(1)",
        "/staff/\u2028",
        " /staff/",
    ],
)
def test_no_open_redirect_after_sign_in(client, editor, target):
    page = client.get("/login", query_string={"next": target})
    response = post_login(client, editor.email, PASSWORD, next=target)

    assert page.status_code == 200
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    assert "Set-Cookie: x" not in str(response.headers)


def test_a_same_site_next_address_is_followed(client, editor):
    response = post_login(client, editor.email, PASSWORD, next="/staff/sites/?status=draft")

    assert response.headers["Location"] == "/staff/sites/?status=draft"


class CountingHasher:
    """Argon2 verification, counted: every sign-in path must pay for exactly one."""

    def __init__(self, hasher):
        self.hasher, self.calls = hasher, 0

    def __getattr__(self, name):
        return getattr(self.hasher, name)

    def verify(self, hashed, password):
        self.calls += 1
        return self.hasher.verify(hashed, password)


@pytest.mark.parametrize(
    ("case", "password"),
    [
        ("wrong password", "not the password"),
        ("unknown", PASSWORD),
        ("deactivated", PASSWORD),
        ("system account", PASSWORD),
        ("right password", PASSWORD),
    ],
)
def test_every_sign_in_path_costs_one_argon2_verification(ctx, client, monkeypatch, case, password):
    from heritage.services import users

    email = "e@example.org"
    if case == "system account":
        users.ensure_system_user(email, "Loader", "editor")
    elif case != "unknown":
        users.create_user({"email": email, "role": "editor", "password": PASSWORD}, actor=None)
    if case == "deactivated":
        db.session.execute(update(User).values(active=False))
        db.session.commit()
    counting = CountingHasher(users._hasher)
    monkeypatch.setattr(users, "_hasher", counting)

    response = post_login(client, email, password)

    assert response.status_code == (302 if case == "right password" else 401)
    assert counting.calls == 1


@pytest.mark.parametrize("url", ["/", "/sites", "/login", "/health", "/no-such-page"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers

    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_httponly_lax_and_secure_over_https(client, editor):
    data = {"email": editor.email, "password": PASSWORD, "csrf_token": form_token(client)}
    plain = client.post("/login", data=data).headers.get_all("Set-Cookie")
    session_cookie = next(c for c in plain if c.startswith("session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie

    secure_client = client.application.test_client()
    token = form_token(secure_client)
    data["csrf_token"] = token
    response = secure_client.post(
        "/login",
        data=data,
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
    )
    cookie = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, editor, sign_in):
    sign_in(editor)
    other_device = app.test_client()
    data = {"email": editor.email, "password": PASSWORD, "csrf_token": form_token(other_device)}
    other_device.post("/login", data=data)

    wrong = client.post(
        "/staff/account/password",
        data={
            "current_password": "not it",
            "password": "a brand new passphrase",
            "csrf_token": form_token(client, "/staff/account/password"),
        },
    )
    assert wrong.status_code == 422
    assert "The current password is not correct." in wrong.get_data(as_text=True)
    too_short = client.post(
        "/staff/account/password",
        data={
            "current_password": PASSWORD,
            "password": "short",
            "csrf_token": form_token(client, "/staff/account/password"),
        },
    )
    assert too_short.status_code == 422
    assert 'id="password-error"' in too_short.get_data(as_text=True)

    changed = client.post(
        "/staff/account/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new passphrase",
            "csrf_token": form_token(client, "/staff/account/password"),
        },
    )

    assert changed.status_code == 303
    assert client.get("/staff/").status_code == 200
    assert other_device.get("/staff/").status_code == 302
    data = {"email": editor.email, "password": "a brand new passphrase"}
    data["csrf_token"] = form_token(other_device)
    assert other_device.post("/login", data=data).status_code == 302
