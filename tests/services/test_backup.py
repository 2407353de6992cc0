"""Backup, restore and preservation packages: a backed-up archive restores into a new one
row for row and byte for byte, bags validate with the `bagit` package (and fail when a byte
changes), and a restore refuses what it cannot do without loss, naming every wrong file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import bagit
import pytest
from sqlalchemy import MetaData, create_engine, select

from heritage.extensions import db
from heritage.models import Site, User
from heritage.services import (
    backup,
    bags,
    importing,
    packages,
    photos,
    restorations,
    search,
    sites,
    surveys,
    tokens,
)
from tests.conftest import make_app
from tests.media import files


@pytest.fixture
def archive(ctx, make_site, make_record, make_object, make_gravestone, editor, restorer):
    """An archive with a bit of everything: drafts and published sites, edits (history),
    restoration work, photos with their originals, accounts and a token, collection
    objects, gravestones, condition surveys and an import run."""
    published = make_site("published", slug="shusha-mosque")
    sites.update_site(
        published.id, {"name_en": "Upper Govhar Agha Mosque (Shusha)"}, actor=editor,
        version=published.version,
    )  # fmt: skip
    make_site("draft", slug="a-draft", name_en="A draft", actor=restorer)
    record = make_record(published, title="Roof conservation")
    restorations.submit_record(record.id, actor=editor, version=record.version)
    for seed in (1, 2):
        data = files.jpeg(seed=seed, width=320, height=240, quality=90)
        photo = photos.upload_photo(
            published.id, io.BytesIO(data), f"IMG_{seed}.JPG", {"alt_en": "A mosque."},
            actor=editor,
        ).photo  # fmt: skip
    # A site's cover is one of its photos: a cycle of references the restore must close.
    published = sites.get_site(published.id, actor=editor)
    sites.update_site(
        published.id, {"cover_photo_id": photo.id}, actor=editor, version=published.version
    )
    tokens.create_token(editor.id, {"name": "script", "read_only": True}, actor=editor)
    make_object(published, "published")
    make_object(published, inventory_number="OBJ-2")
    cemetery = make_site("published", category="cemetery", site_type="cemetery", slug="cemetery")
    make_gravestone(cemetery, "published")
    surveys.create_survey(
        published.id,
        {"survey_date": "2021-04-10", "assessor": "A. Mammadov", "method": "visual",
         "overall_condition": "ruined", "risk_level": "critical", "urgency": "immediate",
         "damages": [{"damage_type": "explosion", "extent": "severe"}]},
        actor=editor,
    )  # fmt: skip
    table = (
        b"inventory_number,category,site_type,name_en,district\nIMP-1,monument,mosque,I,shusha\n"
    )
    imported = importing.import_file(io.BytesIO(table), "t.csv", actor=editor, dry_run=False)
    assert imported.written
    return published


def rows_of(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in key order, as the database holds it."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            metadata = MetaData()
            metadata.reflect(bind=connection)
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*(table.primary_key.columns or table.columns))
                    )
                ]
                for table in metadata.tables.values()
            }
    finally:
        engine.dispose()


def originals(app) -> dict[str, bytes]:
    root = Path(app.config["MEDIA_ROOT"]) / "originals"
    return {path.name: path.read_bytes() for path in root.rglob("*") if path.is_file()}


def hits(query: str) -> list[tuple[str, int]]:
    page = search.search(search.SearchParams(q=query), actor=None, public_scope=True)
    return [(item.kind, item.entity.id) for item in page.items]


@pytest.fixture
def empty_app(databases, tmp_path):
    app = make_app(tmp_path / "restored", databases.new_empty(tmp_path))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_backup_restores_every_row_every_original_and_the_same_search(
    app, archive, empty_app, database_url, tmp_path
):
    report = backup.backup(tmp_path / "backup")
    assert report.originals == 2
    bagit.Bag(str(tmp_path / "backup")).validate()  # a validator this project did not write
    before = {query: hits(query) for query in ("Shusha", "Şuşa", "Шуша", "mosque")}
    db.session.remove()

    with empty_app.app_context():
        restored = backup.restore(tmp_path / "backup")
        assert restored.originals == 2
        assert not restored.derivatives_failed
        assert {query: hits(query) for query in before} == before
        assert before["Shusha"], "the search compared is not empty"
        restored_url = str(db.engine.url.render_as_string(hide_password=False))
        db.session.remove()

    rows = rows_of(database_url)
    kinds = ("collection_objects", "gravestones", "condition_surveys", "import_runs")
    assert all(rows[name] for name in kinds), "every kind is in the archive compared"
    assert rows_of(restored_url) == rows
    assert originals(empty_app) == originals(app)
    derivatives = Path(empty_app.config["MEDIA_ROOT"]) / "derivatives"
    assert any(derivatives.rglob("*.webp")) or any(derivatives.rglob("*.jpg"))


def test_the_restored_archive_goes_on_where_the_old_one_stopped(
    archive, empty_app, editor, tmp_path
):
    archive_id = archive.id
    backup.backup(tmp_path / "backup")
    db.session.remove()
    with empty_app.app_context():
        backup.restore(tmp_path / "backup")
        site = db.session.get(Site, archive_id)
        created = sites.create_site(
            {"category": "monument", "site_type": "bridge", "name_en": "A new bridge",
             "district": "fuzuli", "clearance_status": "not_surveyed"},
            actor=db.session.get(User, site.created_by_id),
        )  # fmt: skip
        assert created.id > site.id, "new rows get new ids, on PostgreSQL too"
        db.session.remove()


def test_a_flipped_byte_fails_validation_and_restore_names_every_wrong_file(
    archive, empty_app, tmp_path
):
    backup.backup(tmp_path / "backup")
    db.session.remove()
    payload = sorted((tmp_path / "backup" / "data" / "originals").rglob("*"))
    damaged = [path for path in payload if path.is_file()]
    for path in damaged:
        path.chmod(0o644)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    (tmp_path / "backup" / "data" / "stray.txt").write_text("not in any manifest")

    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(tmp_path / "backup")).validate()
    with empty_app.app_context():
        with pytest.raises(bags.BagProblem) as refused:
            backup.restore(tmp_path / "backup")
        named = "\n".join(refused.value.problems)
        for path in damaged:
            assert path.name in named
        assert "data/stray.txt" in named
        assert not originals(empty_app)
        db.session.remove()


def test_a_restore_never_writes_over_an_archive(archive, app, tmp_path, database_url):
    backup.backup(tmp_path / "backup")
    before = rows_of(database_url)
    db.session.remove()
    with pytest.raises(backup.RestoreRefused, match="not empty"):
        backup.restore(tmp_path / "backup")
    assert rows_of(database_url) == before


def test_a_site_as_a_preservation_package(runner, archive, tmp_path):
    result = runner.invoke(args=["export-bag", str(tmp_path / "bag"), "--site", archive.slug])
    assert result.exit_code == 0, result.output
    bag = bagit.Bag(str(tmp_path / "bag"))
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["Source-Organization"] == "Heritage of Karabakh and East Zangezur"
    assert bag.info["Payload-Oxum"]
    folder = tmp_path / "bag" / "data" / f"site-{archive.id}"
    content = json.loads((folder / "site.json").read_text(encoding="utf-8"))
    assert content["site"]["name_en"] == "Upper Govhar Agha Mosque (Shusha)"
    assert [r["title"] for r in content["records"]] == ["Roof conservation"]
    history = json.loads((folder / "history.json").read_text(encoding="utf-8"))
    assert {"create", "update", "submit"} <= {event["action"] for event in history}
    kept = sorted(path.name for path in (folder / "originals").iterdir())
    assert kept == [f"photo-{p['id']}.jpg" for p in content["photos"]]
    assert (folder / "records.csv").read_text(encoding="utf-8-sig").startswith("id,")


def test_a_package_needs_to_know_what_to_hold(runner, ctx, tmp_path):
    assert runner.invoke(args=["export-bag", str(tmp_path / "bag")]).exit_code == 2
    missing = runner.invoke(args=["export-bag", str(tmp_path / "bag"), "--site", "nowhere"])
    assert missing.exit_code == 1
    assert "nowhere" in missing.output
    assert not (tmp_path / "bag").exists()


def test_every_site_a_search_finds(archive, tmp_path):
    ids = packages.site_ids(query="Roof conservation")
    assert ids == [archive.id]
    written = packages.export_bag(tmp_path / "bag", ids, actor=None)
    assert written.files >= 6


def test_staff_download_one_site_as_a_bag(client, sign_in, archive, editor, tmp_path):
    page = f"/staff/sites/{archive.id}"
    assert client.get(f"{page}/bag").status_code in (302, 303), "staff only"
    sign_in(editor)
    assert f'href="{page}/bag"' in client.get(page).text
    response = client.get(f"{page}/bag")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert f"heritage-site-{archive.id}-" in response.headers["Content-Disposition"]
    data = response.data
    response.close()  # as a server does once it is sent: the ZIP is removed then
    with zipfile.ZipFile(io.BytesIO(data)) as archive_file:
        archive_file.extractall(tmp_path)
    bagit.Bag(str(tmp_path / f"site-{archive.id}")).validate()
