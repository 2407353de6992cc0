"""Request bodies: only uploads by staff who may upload reach the disk; every other body is
small, held in memory, and refused (413) before it is read when it says it is larger."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from heritage.extensions import db
from heritage.models import Photo
from heritage.services import sites, users
from tests.conftest import PASSWORD, form_token, make_app, site_data
from tests.media import files

BOUNDARY = "heritage-test-boundary"
# What the attacker would have sent (150 MB), and how much of it the test really sends.
DECLARED = 150 * 2**20
SENT = 3 * 2**20


@pytest.fixture
def server(app) -> Iterator[tuple[str, int]]:
    """The app served by Werkzeug on a loopback port, as a browser or script would reach it."""
    served = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served.server_address
    served.shutdown()
    thread.join()


def staged(app) -> set[str]:
    return files.tree(Path(app.config["MEDIA_ROOT"]))


def multipart_head() -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
        'filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    ).encode()


def send_body(address, path: str, *, chunked: bool) -> bytes:
    """POST a multipart body too large for `path` (declared, or sent in chunks with no
    length), stop after SENT bytes, and return the status line of the answer."""
    connection = socket.create_connection(address, timeout=10)
    framing = ("Transfer-Encoding: chunked" if chunked else f"Content-Length: {DECLARED}").encode()
    connection.sendall(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
        + f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n".encode()
        + framing
        + b"\r\n\r\n"
    )
    piece = b"\xff" * 65536
    try:
        for index in range(SENT // len(piece)):
            data = multipart_head() + piece if index == 0 else piece
            connection.sendall(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and stopped reading: what it should do
    try:
        answer = connection.recv(65536)
    finally:
        connection.close()
    return answer.split(b"\r\n", 1)[0]


@pytest.mark.parametrize("path", ["/login", "/api/v1/search", "/sites"])
@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_an_anonymous_large_body_is_refused_and_never_written_to_disk(app, server, path, chunked):
    status = send_body(server, path, chunked=chunked)

    assert status.split()[1] == b"413", status
    assert staged(app) == set()


def test_the_refusal_says_the_limit_that_applied(client):
    body = b"x" * (2 * 2**20)
    page = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    api = client.post("/api/v1/sites", data=body, content_type="application/json")

    assert page.status_code == 413
    assert "The request is larger than 1024 KB" in page.get_data(as_text=True)
    assert api.status_code == 413
    assert api.get_json()["detail"] == (
        "The request is larger than 1024 KB, the most the archive accepts here (only photo "
        "uploads by signed-in staff may be larger). Nothing was saved."
    )


@pytest.fixture
def small_limit_app(databases, tmp_path):
    """An archive whose limit for anything but uploads is 100 KB (uploads keep 200 MB)."""
    app = make_app(tmp_path, databases.new_migrated(tmp_path), MAX_BODY_LENGTH=100_000)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(("role", "status"), [("restorer", 201), ("researcher", 413)])
def test_only_staff_who_may_upload_send_a_large_body(small_limit_app, role, status):
    with small_limit_app.app_context():
        editor = users.create_user(
            {"email": "e@example.org", "role": "editor", "password": PASSWORD}, actor=None
        )
        users.create_user(
            {"email": "u@example.org", "role": role, "password": PASSWORD}, actor=None
        )
        site_id = sites.create_site(site_data(), actor=editor).id
    client = small_limit_app.test_client()
    credentials = {"email": "u@example.org", "password": PASSWORD}
    client.post("/login", data={**credentials, "csrf_token": form_token(client)})
    # Under 500 KB: Werkzeug's test client leaves larger bodies in unclosed temporary files.
    data = files.noise_jpeg(400, 400)
    assert 100_000 < len(data) < 500_000

    response = client.post(
        f"/api/v1/sites/{site_id}/photos",
        data={"file": (io.BytesIO(data), "scan.jpg", "image/jpeg"), "stage": "general"},
        headers={"X-CSRFToken": form_token(client, "/staff/")},
        content_type="multipart/form-data",
    )

    assert response.status_code == status, response.get_data(as_text=True)
    with small_limit_app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Photo))
    assert stored == (1 if status == 201 else 0)
    assert {path for path in staged(small_limit_app) if path.startswith("tmp/")} == set()
