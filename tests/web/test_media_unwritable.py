"""A media folder that refuses writes (a read-only mount, a full disk): every door answers
503 with Retry-After and says why, and nothing is saved."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from heritage.extensions import db
from heritage.media import MediaStore
from heritage.models import Photo
from heritage.services import photos, tokens
from tests.conftest import form_token
from tests.media import files

CAUSE = "media folder is not writable"


@contextmanager
def unwritable(root: Path) -> Iterator[None]:
    """Make `root` and every folder in it refuse new files, for real: immutable (chattr +i)
    when the tests run as root, whom permissions do not stop; read-only (chmod) otherwise."""
    folders = [str(root), *(str(path) for path in root.rglob("*") if path.is_dir())]
    as_root = os.geteuid() == 0
    if as_root:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a folder refuse writes")
        locked = subprocess.run(["chattr", "+i", *folders], capture_output=True)
        if locked.returncode != 0:
            pytest.skip(f"this filesystem has no immutable folders: {locked.stderr!r}")
    else:
        for folder in folders:
            os.chmod(folder, 0o555)
    try:
        try:
            (root / "probe").touch()
        except OSError:
            pass
        else:
            (root / "probe").unlink()
            pytest.skip("the media folder still accepts files")
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", *folders], check=True)
        else:
            for folder in folders:
                os.chmod(folder, 0o755)


@pytest.fixture
def media_root(app) -> Path:
    root = Path(app.config["MEDIA_ROOT"])
    for folder in ("tmp", "originals", "derivatives"):
        (root / folder).mkdir(exist_ok=True)
    return root


def photo_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Photo))


def assert_refused_for_now(response, media_root: Path, app) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "60"
    assert photo_count(app) == 0
    assert files.tree(media_root) == set()


def file_part(data: bytes | None = None) -> tuple:
    return (io.BytesIO(data or files.jpeg()), "IMG_1.JPG", "image/jpeg")


def test_an_api_upload_answers_503_naming_the_cause(
    app, client, sign_in, restorer, make_site, media_root
):
    site = make_site("draft")
    sign_in(restorer)
    csrf = form_token(client, "/staff/")

    with unwritable(media_root):
        response = client.post(
            f"/api/v1/sites/{site.id}/photos",
            data={"file": file_part(), "stage": "general"},
            headers={"X-CSRFToken": csrf},
            content_type="multipart/form-data",
        )

    assert_refused_for_now(response, media_root, app)
    assert response.content_type == "application/problem+json"
    assert CAUSE in response.get_json()["detail"]
    assert "Nothing was saved." in response.get_json()["detail"]


def test_an_api_upload_with_a_token_answers_503_in_the_language_asked(
    app, client, restorer, make_site, media_root
):
    site = make_site("draft")
    with app.app_context():
        secret = tokens.create_token(restorer.id, {"name": "field"}, actor=None).secret

    with unwritable(media_root):
        response = client.post(
            f"/api/v1/sites/{site.id}/photos?lang=ru",
            data={"file": file_part(), "stage": "general"},
            headers={"Authorization": f"Bearer {secret}"},
            content_type="multipart/form-data",
        )

    assert_refused_for_now(response, media_root, app)
    assert "медиафайлов архива сейчас недоступна для записи" in response.get_json()["detail"]


def test_the_upload_page_answers_503_naming_the_cause(
    app, client, sign_in, restorer, make_site, media_root
):
    site = make_site("draft")
    sign_in(restorer)
    url = f"/staff/sites/{site.id}/photos"
    csrf = form_token(client, url)

    with unwritable(media_root):
        response = client.post(
            url,
            data={"file": [file_part(), file_part(files.jpeg(seed=2))], "csrf_token": csrf},
            content_type="multipart/form-data",
        )

    assert_refused_for_now(response, media_root, app)
    assert CAUSE in response.get_data(as_text=True)


def test_an_anonymous_multipart_sign_in_never_touches_the_media_folder(app, client, media_root):
    with unwritable(media_root):
        response = client.post(
            "/login",
            data={"email": "a@example.org", "password": "x" * 10, "file": file_part()},
            content_type="multipart/form-data",
        )

    assert response.status_code == 400  # no CSRF token: refused, and nothing written
    assert files.tree(media_root) == set()


def test_a_derivative_that_cannot_be_made_answers_503(
    app, client, sign_in, restorer, make_site, media_root
):
    site = make_site("draft")
    with app.app_context():
        photo = photos.upload_photo(
            site.id, io.BytesIO(files.jpeg()), "a.jpg", {"stage": "general"}, actor=restorer
        ).photo
        url = f"/media/{photo.sha256}/{photo.derivative_key}/thumb.webp"
    shutil.rmtree(media_root / "derivatives")
    (media_root / "derivatives").mkdir()
    sign_in(restorer)

    with unwritable(media_root):
        response = client.get(url)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert CAUSE in response.get_data(as_text=True)


def test_a_staging_file_the_folder_will_not_let_go_is_left_for_the_sweep(media_root):
    """An upload refused because the folder stopped taking writes while it arrived: its
    staging file cannot be deleted either, and closing it must not turn the 503 into a
    500 (the soak test found it); the sweep removes it once the folder takes writes."""
    store = MediaStore(media_root)
    staged = store.staging_file()
    staged.write(b"arriving")
    with unwritable(media_root):
        staged.close()
    assert staged.path.exists()
    assert store.sweep_staging(older_than=0) == 1
