"""POST /api/v1/sites/<id>/photos with real and hostile files: status, message, and exactly
what the database and media/ hold afterwards."""

from __future__ import annotations

import io
from contextlib import ExitStack
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import AuditEvent, Photo
from heritage.services import photos as photo_service
from heritage.services import slots
from tests.conftest import form_token, make_app
from tests.media import files

PROBLEM = "application/problem+json"


def upload(client, site_id: int, data: bytes, filename: str, token: str | None, **fields):
    """Send one file as a browser's FormData would."""
    headers = {"X-CSRFToken": token} if token else {}
    body = {"file": (io.BytesIO(data), filename, "image/jpeg"), **fields}
    return client.post(
        f"/api/v1/sites/{site_id}/photos",
        data=body,
        headers=headers,
        content_type="multipart/form-data",
    )


@pytest.fixture
def site(make_site):
    return make_site("draft")


@pytest.fixture
def token(client, sign_in, restorer):
    """A signed-in restorer's CSRF token, as the upload page hands it to its script."""
    sign_in(restorer)
    return form_token(client, "/staff/")


def media(app) -> set[str]:
    """Everything in media/ except empty folders: originals, derivatives, staging leftovers."""
    return files.tree(Path(app.config["MEDIA_ROOT"]))


def originals(app) -> set[str]:
    return {path for path in media(app) if path.startswith("originals/")}


def photo_rows() -> list[Photo]:
    db.session.rollback()
    return list(db.session.scalars(select(Photo).order_by(Photo.id)))


def test_a_phone_photo_is_stored_with_its_exif_and_clean_derivatives(app, client, site, token):
    data = files.jpeg_with_gps()

    response = upload(client, site.id, data, "IMG_0042.JPG", token, stage="before")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    for key in ("id", "sha256", "width", "height", "status"):
        assert key in body
    assert (body["width"], body["height"], body["status"]) == (1600, 1200, "draft")
    assert body["duplicate"] is False
    assert body["message"] == "“IMG_0042.JPG” was saved."
    assert body["gps"] == {"latitude": files.LATITUDE, "longitude": files.LONGITUDE}
    assert body["camera"] == "Apple iPhone 13 Pro"
    assert body["captured_at"].startswith("2023-05-14T06:30:00")  # 10:30 at +04:00
    [photo] = photo_rows()
    assert photo.sha256 == body["sha256"]
    assert photo.stage == "before"
    assert photo.original_filename == "IMG_0042.JPG"
    original = Path(app.config["MEDIA_ROOT"]) / "originals" / body["sha256"][:2]
    stored = original / body["sha256"][2:4] / body["sha256"]
    assert stored.read_bytes() == data
    assert stored.stat().st_mode & 0o222 == 0, "originals are read-only"
    assert originals(app) == {str(stored.relative_to(app.config["MEDIA_ROOT"]))}
    assert not any(path.startswith("tmp/") for path in media(app))

    # The staff upload is a draft: its derivative is there for staff, stripped of metadata.
    large = client.get(body["derivatives"]["large"]["jpg"], buffered=True)
    assert large.status_code == 200
    derivative = Image.open(io.BytesIO(large.data))
    assert derivative.size == (1600, 1200), "never enlarged"
    assert not derivative.getexif()
    assert b"GPS" not in large.data
    assert b"Exif" not in large.data
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "photo")).all()
    assert [event.action for event in audit] == ["create"]
    assert audit[0].changes["sha256"] == [None, body["sha256"]]
    assert "gps_latitude" not in audit[0].changes


def test_an_identical_upload_is_recognised_and_not_stored_twice(app, client, site, token):
    data = files.jpeg(seed=3)
    first = upload(client, site.id, data, "a.jpg", token)

    again = upload(client, site.id, data, "copy of a.jpg", token)

    assert first.status_code == 201
    assert again.status_code == 200
    body = again.get_json()
    assert body["duplicate"] is True
    assert body["id"] == first.get_json()["id"]
    assert body["message"].startswith(
        f"“copy of a.jpg” is already in the archive as photo {body['id']}"
    )
    assert len(photo_rows()) == 1
    assert len(originals(app)) == 1


HOSTILE = [
    pytest.param(
        files.png_declaring(20000, 10000),
        "huge.png",
        422,
        "more than 120 megapixels",
        id="png declaring 20000x10000 in 24 KB",
    ),
    pytest.param(
        files.png_declaring(10000, 9000),
        "big.png",
        422,
        "The file is incomplete",
        id="png declaring 10000x9000: under the cap, its data missing",
    ),
    pytest.param(
        files.jpeg()[: len(files.jpeg()) // 2],
        "half.jpg",
        422,
        "The file is incomplete: it ends before the picture does.",
        id="jpeg truncated to half",
    ),
    pytest.param(b"", "empty.jpg", 422, "The file is empty.", id="empty file"),
    pytest.param(
        files.HTML, "photo.jpg", 415, "its content is not a JPEG, PNG, TIFF, WebP", id="html.jpg"
    ),
    pytest.param(files.SVG, "drawing.svg", 415, "whatever its name says", id="svg with script"),
]


@pytest.mark.parametrize(("data", "filename", "status", "message"), HOSTILE)
def test_hostile_files_are_refused_and_leave_nothing_behind(
    app, client, site, token, data, filename, status, message
):
    response = upload(client, site.id, data, filename, token)

    assert response.status_code == status
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status
    assert problem["detail"].startswith(f"“{filename}” was not saved.")
    assert message in problem["detail"]
    assert photo_rows() == []
    assert media(app) == set(), "no original, no derivative, no staging file"


@pytest.mark.parametrize(
    ("declared", "cap"),
    [
        pytest.param((10000, 9000), 60_000_000, id="Pillow only warns: 90 MP against 60"),
        pytest.param((20000, 10000), 60_000_000, id="Pillow refuses: 200 MP against 60"),
    ],
)
def test_the_pixel_cap_is_configurable_and_pillows_warning_is_a_refusal(
    databases, tmp_path, sign_in_as, declared, cap
):
    app = make_app(tmp_path, databases.new_migrated(tmp_path), MAX_IMAGE_PIXELS=cap)
    client, site_id, token = sign_in_as(app)

    response = upload(client, site_id, files.png_declaring(*declared), "scan.png", token)

    assert response.status_code == 422
    assert "more than 60 megapixels, the most this archive accepts" in response.get_json()["detail"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
    assert files.tree(Path(app.config["MEDIA_ROOT"])) == set()


def test_a_body_over_the_size_limit_is_refused_before_anything_is_stored(
    databases, tmp_path, sign_in_as
):
    app = make_app(tmp_path, databases.new_migrated(tmp_path), MAX_CONTENT_LENGTH=100_000)
    client, site_id, token = sign_in_as(app)
    # Under 500 KB: Werkzeug's test client leaves larger bodies in unclosed temporary files.
    data = files.noise_jpeg(400, 400)
    assert 100_000 < len(data) < 500_000

    response = upload(client, site_id, data, "big.jpg", token)

    assert response.status_code == 413
    assert response.content_type == PROBLEM
    detail = response.get_json()["detail"]
    assert detail.startswith("The upload is larger than")
    assert "Nothing was saved." in detail
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
    assert files.tree(Path(app.config["MEDIA_ROOT"])) == set()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(files.jpeg(seed=5) + files.HTML, "polyglot.jpg", id="jpeg with html appended"),
        pytest.param(
            files.jpeg(seed=6, comment=b"<script>alert(1)</script>"),
            "comment.jpg",
            id="jpeg with a script in its comment",
        ),
    ],
)
def test_real_pictures_carrying_markup_are_kept_whole_and_never_served_as_markup(
    app, client, site, token, data, name
):
    # Phones append data after a JPEG (motion photos, maker data), so such a file is a real
    # photo: the original is kept byte for byte, served only as an inert download, and the
    # derivatives, made from pixels, carry nothing of the markup.
    response = upload(client, site.id, data, name, token)

    assert response.status_code == 201
    body = response.get_json()
    original = client.get(f"/staff/photos/{body['id']}/original", buffered=True)
    assert original.data == data
    assert original.headers["Content-Disposition"].startswith("attachment;")
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in original.headers["Content-Security-Policy"]
    assert original.content_type == "image/jpeg"
    for size in ("thumb", "display", "large"):
        for ext in ("webp", "jpg"):
            derivative = client.get(body["derivatives"][size][ext], buffered=True)
            assert derivative.status_code == 200
            assert b"<script" not in derivative.data
            assert b"<html" not in derivative.data
            assert "comment" not in Image.open(io.BytesIO(derivative.data)).info


@pytest.mark.parametrize(
    "filename", ["../../x.jpg", "Кладбище.jpg", "<img src=x onerror=alert(1)>.jpg"]
)
def test_file_names_are_metadata_only(app, client, site, token, filename, tmp_path):
    response = upload(client, site.id, files.jpeg(seed=len(filename)), filename, token)

    assert response.status_code == 201
    [photo] = photo_rows()
    assert photo.original_filename == filename
    on_disk = media(app)
    assert all(path.startswith(("originals/", "derivatives/")) for path in on_disk)
    names = {Path(path).name for path in on_disk}
    assert not names & {"x.jpg", "Кладбище.jpg"}
    assert not list(tmp_path.rglob("x.jpg"))
    page = client.get(f"/staff/photos/{photo.id}").get_data(as_text=True)
    assert "<img src=x" not in page


def test_writes_need_a_signed_in_session_and_its_csrf_token(app, client, site, sign_in, editor):
    anonymous = upload(client, site.id, files.jpeg(), "a.jpg", None)
    assert anonymous.status_code == 401
    assert anonymous.content_type == PROBLEM
    assert "Sign in first" in anonymous.get_json()["detail"]

    sign_in(editor)
    without_token = upload(client, site.id, files.jpeg(), "a.jpg", None)
    assert without_token.status_code == 400
    assert "X-CSRFToken" in without_token.get_json()["detail"]
    assert photo_rows() == []


def test_researchers_may_not_upload(app, client, site, sign_in, make_user):
    sign_in(make_user("researcher"))

    response = upload(client, site.id, files.jpeg(), "a.jpg", form_token(client, "/staff/"))

    assert response.status_code == 403
    assert response.get_json()["detail"] == "You do not have permission to do this."
    assert photo_rows() == []
    assert media(app) == set()


def test_bad_metadata_is_refused_per_field_before_the_file_is_kept(
    app, client, site, token, make_site, make_record
):
    other_record = make_record(make_site("draft", name_en="Elsewhere"))

    response = upload(
        client,
        site.id,
        files.jpeg(),
        "a.jpg",
        token,
        stage="sideways",
        licence="WTFPL",
        record_id=str(other_record.id),
    )

    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["stage"] == ["Must be one of: before, during, after, general."]
    assert "licence" in errors
    assert photo_rows() == []
    assert media(app) == set()

    response = upload(client, site.id, files.jpeg(), "a.jpg", token, record_id=other_record.id)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "record_id": ["This restoration record belongs to another site."]
    }


def test_unknown_and_withdrawn_sites(app, client, token, make_site):
    assert upload(client, 999_999, files.jpeg(), "a.jpg", token).status_code == 404
    withdrawn = make_site("withdrawn")

    response = upload(client, withdrawn.id, files.jpeg(), "a.jpg", token)

    assert response.status_code == 409
    assert "withdrawn" in response.get_json()["detail"]
    assert photo_rows() == []


def test_one_file_per_request(client, site, token):
    response = client.post(
        f"/api/v1/sites/{site.id}/photos",
        data={"file": [(io.BytesIO(files.jpeg(1)), "a.jpg"), (io.BytesIO(files.jpeg(2)), "b.jpg")]},
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 422
    assert response.get_json()["errors"]["file"] == [
        "Send exactly one image file in the field 'file'."
    ]


def test_the_openapi_document_describes_the_upload(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operation = spec["paths"]["/api/v1/sites/{site_id}/photos"]["post"]
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form == {"$ref": "#/components/schemas/PhotoUploadForm"}
    upload_form = spec["components"]["schemas"]["PhotoUploadForm"]["properties"]
    assert upload_form["file"]["format"] == "binary"
    assert {"201", "200", "413", "415", "422"} <= set(operation["responses"])


def test_an_upload_waits_for_a_decode_slot_and_is_refused_when_none_frees(
    databases, tmp_path, sign_in_as, monkeypatch
):
    app = make_app(tmp_path, databases.new_migrated(tmp_path))
    client, site_id, token = sign_in_as(app)
    monkeypatch.setattr(photo_service, "DECODE_WAIT", 0.2)

    # Other uploads (of this process or another: the slots are file locks) hold every slot.
    with ExitStack() as held:
        for _ in range(photo_service.DECODES):
            assert held.enter_context(
                slots.slot(app.instance_path, "decode", photo_service.DECODES, wait=0)
            )
        busy = upload(client, site_id, files.jpeg(), "IMG_1.JPG", token)
    free = upload(client, site_id, files.jpeg(), "IMG_1.JPG", token)

    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "10"
    assert "making many images" in busy.get_json()["detail"]
    assert free.status_code == 201
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
