"""`heritage fixity` finds what changed, went missing or appeared, records it, repairs nothing;
`heritage derivatives` remakes what derived data is missing, or all of it."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import FixityRun
from heritage.services import photos
from tests.media import files


@pytest.fixture
def three_photos(ctx, make_site, restorer):
    site = make_site()
    uploaded = [
        photos.upload_photo(site.id, io.BytesIO(files.jpeg(seed=n)), f"{n}.jpg", {}, actor=restorer)
        for n in range(3)
    ]
    return [result.photo for result in uploaded]


def original(app, photo) -> Path:
    return (
        Path(app.config["MEDIA_ROOT"])
        / "originals"
        / photo.sha256[:2]
        / photo.sha256[2:4]
        / photo.sha256
    )


def test_fixity_of_an_intact_archive(app, runner, three_photos):
    result = runner.invoke(args=["fixity"])

    assert result.exit_code == 0, result.output
    assert "3 photos, 3 files" in result.stdout
    assert "Every original is present and unchanged." in result.stdout
    assert "Checking originals" in result.stderr


def test_fixity_reports_changed_missing_and_untracked_and_repairs_nothing(
    app, runner, three_photos
):
    flipped, deleted, intact = three_photos
    path = original(app, flipped)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[1000] ^= 0xFF
    path.write_bytes(bytes(data))
    original(app, deleted).unlink()
    stray = Path(app.config["MEDIA_ROOT"]) / "originals" / "ab" / "cd" / ("ab" + "cd" * 31)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"who put this here?")

    result = runner.invoke(args=["fixity"])

    assert result.exit_code == 1
    out = result.stdout
    assert f"CHANGED    photo {flipped.id}: originals/{flipped.sha256[:2]}" in out
    assert f"MISSING    photo {deleted.id}: originals/{deleted.sha256[:2]}" in out
    assert f"UNTRACKED  originals/ab/cd/{stray.name}" in out
    assert "3 problem(s) found and recorded. Nothing was repaired" in out
    assert path.read_bytes() == bytes(data), "the changed original is left as found"
    assert not original(app, deleted).exists()
    assert stray.exists()

    machine = runner.invoke(args=["fixity", "--json"])
    assert machine.exit_code == 1
    report = json.loads(machine.stdout)
    assert report["ok"] is False
    assert [entry["photo_id"] for entry in report["changed"]] == [flipped.id]
    assert report["changed"][0]["found_sha256"] != flipped.sha256
    assert [entry["photo_id"] for entry in report["missing"]] == [deleted.id]
    assert [entry["path"] for entry in report["untracked"]] == [f"originals/ab/cd/{stray.name}"]

    db.session.rollback()
    runs = db.session.scalars(select(FixityRun).order_by(FixityRun.id)).all()
    assert len(runs) == 2
    assert runs[-1].started_at <= runs[-1].finished_at
    assert runs[-1].finished_at.tzinfo is not None
    assert (len(runs[-1].changed), len(runs[-1].missing), len(runs[-1].untracked)) == (1, 1, 1)
    assert photos.fixity_verdict(intact, runs[-1]) == "verified"
    assert photos.fixity_verdict(flipped, runs[-1]) == "changed"
    assert photos.fixity_verdict(deleted, runs[-1]) == "missing"


def test_a_photo_uploaded_while_fixity_runs_is_not_untracked(
    ctx, make_site, restorer, three_photos
):
    # A photo whose original sorts after every other, so the walk still reaches it.
    last = max(photo.sha256 for photo in three_photos)
    late = next(
        data
        for data in (files.jpeg(seed=n) for n in range(10, 500))
        if hashlib.sha256(data).hexdigest() > last
    )
    # On a big archive every folder exists already; here, make the one it will land in.
    late_sha = hashlib.sha256(late).hexdigest()
    (Path(ctx.config["MEDIA_ROOT"]) / "originals" / late_sha[:2] / late_sha[2:4]).mkdir(
        parents=True, exist_ok=True
    )
    site = make_site()
    uploads = iter([late])

    def upload_meanwhile(_bytes_read: int) -> None:
        data = next(uploads, None)  # a restorer uploads while the first file is read
        if data is not None:
            photos.upload_photo(site.id, io.BytesIO(data), "new.jpg", {}, actor=restorer)

    run = photos.check_fixity(progress=upload_meanwhile)

    assert run.files == 4
    assert run.untracked == []
    assert run.ok


def test_derivatives_are_remade_when_missing_and_all_of_them_on_rebuild(app, runner, three_photos):
    derivatives = Path(app.config["MEDIA_ROOT"]) / "derivatives"
    first = three_photos[0]
    shutil.rmtree(derivatives / first.sha256[:2] / first.sha256[2:4] / first.sha256)
    orphan = derivatives / "ff" / "ff" / ("ff" * 32)
    orphan.mkdir(parents=True)
    (orphan / "thumb.webp").write_bytes(b"old")

    result = runner.invoke(args=["derivatives"])

    assert result.exit_code == 0, result.output
    assert "made for 1 photos, 2 already complete" in result.stdout
    assert len(list(derivatives.rglob("*.webp"))) == 3 * 3 + 1
    assert len(list(derivatives.rglob("tiles/pyramid.json"))) == 3  # the IIIF tiles too

    rebuilt = runner.invoke(args=["derivatives", "--rebuild"])

    assert rebuilt.exit_code == 0, rebuilt.output
    assert "made for 3 photos, 0 already complete, 1 sets of unknown originals removed" in (
        rebuilt.stdout
    )
    assert not orphan.exists()


def test_derivatives_report_originals_they_cannot_use(app, runner, three_photos):
    original(app, three_photos[1]).unlink()

    result = runner.invoke(args=["derivatives", "--rebuild"])

    assert result.exit_code == 1
    assert f"photo {three_photos[1].id}: the original is missing" in result.stderr
