"""While another connection holds the database's write lock, reads go on and writes answer
503 with Retry-After, saying that the archive is busy and nothing was saved, within the
request's lock wait: on SQLite (BEGIN IMMEDIATE held) and PostgreSQL (every table locked
against writers)."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from heritage.extensions import db
from heritage.models import AuditEvent, Photo, SignInAttempt, Site
from heritage.services import sites, tokens, users
from tests.conftest import PASSWORD, WriteLock, form_token, make_app, site_data
from tests.media import files

LOCK_WAIT = 0.3
# The most a refused write may take: its lock wait, and time for the machine to be slow.
PROMPT = LOCK_WAIT + 2.5


@pytest.fixture
def busy(database_url, tmp_path):
    """An app with a short lock wait, an editor, a site, a token, and a held write lock."""
    app = make_app(tmp_path, database_url, REQUEST_LOCK_WAIT=LOCK_WAIT)
    with app.app_context():
        editor = users.create_user(
            {"email": "e@example.org", "role": "editor", "password": PASSWORD}, actor=None
        )
        site = sites.create_site(site_data(), actor=editor)
        secret = tokens.create_token(editor.id, {"name": "script"}, actor=None).secret
        site_id = site.id
        db.session.remove()
    client = app.test_client()
    client.post(
        "/login",
        data={"email": "e@example.org", "password": PASSWORD, "csrf_token": form_token(client)},
    )
    csrf = form_token(client, f"/staff/sites/{site_id}/edit")
    lock = WriteLock(database_url)
    lock.take()
    yield app, client, site_id, {"Authorization": f"Bearer {secret}"}, csrf
    lock.release()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def assert_busy(response, seconds):
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert int(response.headers["Retry-After"]) >= 1
    assert seconds < PROMPT


def test_api_writes_answer_503_with_retry_after_and_save_nothing(busy):
    app, client, site_id, token, _csrf = busy
    headers = {**token, "If-Match": f'"site-{site_id}-v1"'}

    patched, seconds = timed(
        lambda: client.patch(
            f"/api/v1/sites/{site_id}", json={"condition": "fair"}, headers=headers
        )
    )
    created, _ = timed(lambda: client.post("/api/v1/sites", json=site_data(), headers=token))

    for response in (patched, created):
        assert_busy(response, seconds)
        assert response.content_type == "application/problem+json"
        assert "busy" in response.json["detail"]
        assert "nothing was saved" in response.json["detail"]
    with app.app_context():
        assert db.session.get(Site, site_id).condition == "poor"
        assert db.session.query(Site).count() == 1


def test_the_api_says_it_in_the_language_asked_for(busy):
    _app, client, site_id, token, _csrf = busy
    headers = {**token, "If-Match": f'"site-{site_id}-v1"'}

    response = client.patch(
        f"/api/v1/sites/{site_id}?lang=ru", json={"condition": "fair"}, headers=headers
    )

    assert response.status_code == 503
    assert "занят" in response.json["detail"]


def test_a_token_read_never_waits_for_the_write_lock(busy):
    _app, client, site_id, token, _csrf = busy

    response, seconds = timed(lambda: client.get(f"/api/v1/sites/{site_id}", headers=token))

    assert response.status_code == 200
    assert seconds < PROMPT - 1


def test_pages_are_read_as_ever(busy):
    _app, client, site_id, _token, _csrf = busy
    anonymous = _app.test_client()

    for url in ("/", "/sites", "/map", "/health"):
        assert anonymous.get(url).status_code == 200, url
    for url in ("/staff/", f"/staff/sites/{site_id}", f"/staff/sites/{site_id}/edit"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "nothing was saved"), ("az", "heç nə saxlanmadı"), ("ru", "ничего не сохранено")],
)
def test_the_edit_form_says_the_archive_is_busy_in_the_readers_language(busy, language, words):
    app, client, site_id, _token, csrf = busy
    form = {**site_data(condition="fair"), "version": "1", "csrf_token": csrf}

    response, seconds = timed(
        lambda: client.post(
            f"/staff/sites/{site_id}/edit", data=form, headers={"Accept-Language": language}
        )
    )

    assert_busy(response, seconds)
    assert words in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.get(Site, site_id).version == 1


def test_an_upload_answers_503_and_leaves_no_file(busy):
    app, client, site_id, token, _csrf = busy

    response, seconds = timed(
        lambda: client.post(
            f"/api/v1/sites/{site_id}/photos",
            data={"file": (io.BytesIO(files.jpeg(seed=11)), "busy.jpg")},
            headers=token,
        )
    )

    assert_busy(response, seconds)
    assert files.tree(Path(app.config["MEDIA_ROOT"]) / "originals") == set()
    with app.app_context():
        assert db.session.query(Photo).count() == 0


def test_sign_in_does_not_hang(busy):
    app, _client, _site_id, _token, _csrf = busy
    client = app.test_client()
    data = {"email": "e@example.org", "password": PASSWORD, "csrf_token": form_token(client)}

    response, seconds = timed(lambda: client.post("/login", data=data))

    assert_busy(response, seconds)
    assert "busy" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(SignInAttempt).count() == 1  # the one before the lock


def test_writes_work_again_once_the_lock_is_released(database_url, tmp_path):
    app = make_app(tmp_path, database_url, REQUEST_LOCK_WAIT=LOCK_WAIT)
    with app.app_context():
        editor = users.create_user(
            {"email": "e@example.org", "role": "editor", "password": PASSWORD}, actor=None
        )
        site_id = sites.create_site(site_data(), actor=editor).id
        secret = tokens.create_token(editor.id, {"name": "script"}, actor=None).secret
        events = db.session.query(AuditEvent).count()
        db.session.remove()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}", "If-Match": f'"site-{site_id}-v1"'}
    lock = WriteLock(database_url)
    lock.take()
    refused = client.patch(f"/api/v1/sites/{site_id}", json={"condition": "fair"}, headers=headers)
    lock.release()

    saved = client.patch(f"/api/v1/sites/{site_id}", json={"condition": "fair"}, headers=headers)

    assert (refused.status_code, saved.status_code) == (503, 200)
    with app.app_context():
        assert db.session.query(AuditEvent).count() == events + 1
        db.session.remove()
        db.engine.dispose()
