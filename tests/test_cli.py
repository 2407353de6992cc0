"""The `heritage` command line: accounts, schema, the demo archive."""

from __future__ import annotations

import io
import logging
import re
import shutil
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from markupsafe import escape
from PIL import Image
from sqlalchemy import func, select

import heritage
from heritage.cli import command_group
from heritage.extensions import db
from heritage.models import (
    AuditEvent,
    CollectionObject,
    ConditionSurvey,
    Gravestone,
    IndexOutbox,
    RestorationRecord,
    Site,
    User,
)
from heritage.schemas.user import PASSWORD_MAX, PASSWORD_MIN
from heritage.services.users import find_user, password_matches
from heritage.vocab import CATEGORIES, DISTRICTS, OBJECT_STATUSES, WORK_STATUSES
from tests.conftest import CHECKOUT, WriteLock, make_app
from tests.data import place_name_rows


def test_create_user_reads_a_piped_password(app, runner):
    result = runner.invoke(
        args=["create-user", "Editor@Example.org", "--role", "editor", "--name", "Leyla"],
        input="a long enough passphrase\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created editor account editor@example.org." in result.output
    with app.app_context():
        user = find_user("editor@example.org")
        assert user.name == "Leyla"
        assert password_matches(user, "a long enough passphrase")
        assert not password_matches(user, "wrong passphrase")
        assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["create-user", "a@example.org", "--role", "editor"], "short\n", "password: Use 8"),
        (["create-user", "not-an-email", "--role", "editor"], "long enough pw\n", "email:"),
        (["create-user", "a@example.org", "--role", "king"], "long enough pw\n", "'king'"),
    ],
)
def test_create_user_refuses_bad_input(app, runner, args, password, message):
    result = runner.invoke(args=args, input=password)

    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_a_taken_address(app, runner):
    args = ["create-user", "a@example.org", "--role", "editor"]
    assert runner.invoke(args=args, input="long enough pw\n").exit_code == 0

    result = runner.invoke(
        args=["create-user", "A@EXAMPLE.ORG", "--role", "editor"], input="other pw 123\n"
    )

    assert result.exit_code == 1
    assert "already exists" in result.output


def test_init_db_is_repeatable_and_makes_the_media_folder(app, runner, client):
    shutil.rmtree(app.config["MEDIA_ROOT"])
    assert client.get("/health").status_code == 503

    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "current schema" in result.output

    assert client.get("/health").status_code == 200


def counts() -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Site, RestorationRecord, AuditEvent, User)
    )


@pytest.mark.whoosh
def test_demo_fills_a_realistic_archive_and_is_idempotent(app, runner, client, tmp_path, caplog):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Loading demo archive" in first.output
    with app.app_context():
        after_first = counts()
        published = db.session.scalars(select(Site).where(Site.status == "published")).all()
        records = db.session.scalars(select(RestorationRecord)).all()
        all_sites = db.session.scalars(select(Site)).all()

        assert len(published) >= 30
        assert {site.category for site in all_sites} == set(CATEGORIES.codes)
        assert {"mosque", "church", "mausoleum", "bridge", "fortress", "cave"} <= {
            site.site_type for site in all_sites
        }
        district_names = {DISTRICTS[site.district].az for site in all_sites}
        for az, _en, _ru in place_name_rows("district"):
            assert az in district_names, az
        site_names = {(s.name_az, s.name_en, s.name_ru) for s in all_sites}
        for row in place_name_rows("site"):
            assert tuple(row) in site_names, row
        for site in all_sites:
            assert all(site.names.values()), site.slug
            assert site.location_approximate, site.slug
        assert len(records) >= 20
        assert {record.work_status for record in records} == set(WORK_STATUSES.codes)
        overrides = [r for r in records if r.clearance_override_reason]
        assert overrides, "the demo shows the clearance override"
        photos = [photo for site in all_sites for photo in site.photos]
        assert len(photos) >= 60
        assert {photo.stage for photo in photos} == {"general", "before", "during", "after"}
        paired = [r for r in records if {p.stage for p in r.photos} >= {"before", "after"}]
        assert len(paired) >= 10, "before/after pairs on restoration records"
        assert all(photo.width * photo.height >= 4_000_000 for photo in photos)
        assert all(photo.captured_at and photo.camera for photo in photos)
        with_gps = [photo for photo in photos if photo.gps_latitude is not None]
        assert 0 < len(with_gps) < len(photos)
        assert all(photo.caption_en and photo.alt_az for photo in photos)
        assert sum(photo.status == "published" for photo in photos) >= 50
        media_root = Path(app.config["MEDIA_ROOT"])
        for photo in photos:
            folder = f"{photo.sha256[:2]}/{photo.sha256[2:4]}/{photo.sha256}"
            assert (media_root / "originals" / folder).is_file()
            assert (media_root / "derivatives" / folder / "thumb.webp").is_file()
        gps_original = media_root / "originals" / with_gps[0].sha256[:2]
        gps_original = gps_original / with_gps[0].sha256[2:4] / with_gps[0].sha256
        with Image.open(gps_original) as original:
            assert original.getexif().get_ifd(0x8825), "GPS kept in the original"
        public_sha = next(
            f"{p.sha256}/{p.derivative_key}"
            for p in photos
            if p.status == "published" and p.record_id is None and p.site.status == "published"
        )
        draft_sha = next(
            f"{p.sha256}/{p.derivative_key}" for p in photos if p.status != "published"
        )
        objects = db.session.scalars(select(CollectionObject)).all()
        assert {obj.object_status for obj in objects} == set(OBJECT_STATUSES.codes)
        assert all(obj.inventory_number.startswith("DEMO-") for obj in objects), "illustrative"
        assert any(obj.status != "published" for obj in objects)
        stones = db.session.scalars(select(Gravestone)).all()
        languages = {stone.inscription_language for stone in stones}
        assert {"ar", "fa", "az-Arab", "az-Cyrl", "az-Latn"} <= languages, "every script"
        assert any(stone.calendar == "hijri" and stone.status == "published" for stone in stones)
        assert any(stone.status == "draft" for stone in stones)
        published_stones = [stone for stone in stones if stone.status == "published"]
        assert all(all(stone.translations.values()) for stone in published_stones)
        demo_surveys = db.session.scalars(select(ConditionSurvey)).all()
        assert any(survey.gravestone_id for survey in demo_surveys), "a gravestone surveyed"
        by_site = {}
        for survey in demo_surveys:
            if survey.status == "published" and survey.gravestone_id is None:
                by_site.setdefault(survey.site.slug, []).append(survey)
        assert len(by_site["imarat-complex"]) >= 3, "a site's condition over time"
        for slug, site_surveys in by_site.items():
            latest = max(site_surveys, key=lambda survey: survey.survey_date)
            assert latest.site.condition == latest.overall_condition, slug
        for survey in demo_surveys:
            if survey.status == "published":
                assert all(getattr(survey, f"findings_{lang}") for lang in ("az", "en", "ru"))
        assert any(survey.status == "draft" for survey in demo_surveys)

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "0 sites, 0 restoration records and 0 photos added" in second.output
    with app.app_context():
        assert counts() == after_first
        assert sum(len(site.photos) for site in db.session.scalars(select(Site))) == len(photos)

    with app.app_context():  # every change of the demo reached the search index
        assert db.session.scalar(select(func.count()).select_from(IndexOutbox)) == 0
    # The demo leaves one complete index, so the server's first search finds it ready.
    index = Path(app.config["INDEX_DIR"])
    assert not (index / "REBUILD_NEEDED").exists()
    assert len([path for path in index.iterdir() if path.is_dir()]) == 1
    server = make_app(
        tmp_path / "server",
        app.config["DATABASE_URL"],
        INDEX_DIR=str(index),
        SEARCH_BACKEND=app.config["SEARCH_BACKEND"],
    )
    with caplog.at_level(logging.INFO, logger="heritage"):
        found = server.test_client().get("/search?q=Azykh&sort=date").get_data(as_text=True)
    assert 'href="/sites/azykh-cave"' in found  # a site 1.5 million years old among them
    assert "rebuild" not in caplog.text
    with server.app_context():
        db.engine.dispose()

    listing = client.get("/sites").get_data(as_text=True)
    assert listing.count('href="/sites/') >= 30
    for site in published:
        page = client.get(f"/sites/{site.slug}")
        assert page.status_code == 200
        heading = f'<h1><span lang="en" itemprop="name">{escape(site.name_en)}</span></h1>'
        assert heading in page.get_data(as_text=True)
    thumb = client.get(f"/media/{public_sha}/thumb.webp", buffered=True)
    assert thumb.status_code == 200
    assert not Image.open(io.BytesIO(thumb.data)).getexif(), "no EXIF or GPS in public images"
    assert client.get(f"/media/{draft_sha}/thumb.webp", buffered=True).status_code == 404
    imarat = client.get("/sites/imarat-complex?lang=en").get_data(as_text=True)
    assert 'class="condition-chart"' in imarat
    assert "data-gravestone-map" in imarat
    stones_page = client.get("/sites/imarat-complex/gravestones?lang=ru").get_data(as_text=True)
    assert "DEMO-1" in stones_page
    assert "DEMO-6" not in stones_page, "the draft gravestone is not public"


@pytest.mark.parametrize(
    "command", [["fixity"], ["fixity", "--json"], ["derivatives"], ["reindex"]]
)
def test_a_command_before_init_db_says_to_run_it_not_a_traceback(tmp_path, monkeypatch, command):
    monkeypatch.setenv("HERITAGE_INSTANCE_PATH", str(tmp_path / "new"))
    monkeypatch.delenv("HERITAGE_DATABASE_URL", raising=False)

    result = CliRunner().invoke(command_group(), command)

    assert result.exit_code == 2
    assert "run `heritage init-db` first" in result.output
    assert "Traceback" not in result.output


def test_a_media_folder_that_is_a_file_is_named_not_a_traceback(tmp_path, monkeypatch):
    (tmp_path / "media").write_text("not a folder")
    monkeypatch.setenv("HERITAGE_INSTANCE_PATH", str(tmp_path / "new"))
    monkeypatch.setenv("HERITAGE_MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.delenv("HERITAGE_DATABASE_URL", raising=False)

    result = CliRunner().invoke(command_group(), ["init-db"])

    assert result.exit_code == 2
    assert str(tmp_path / "media") in result.output
    assert "Traceback" not in result.output


def test_a_command_on_a_busy_database_says_so_in_one_line(database_url, tmp_path):
    app = make_app(tmp_path, database_url, SQLITE_BUSY_TIMEOUT_MS=200)
    lock = WriteLock(database_url)
    lock.take()
    try:
        result = CliRunner().invoke(
            command_group(),
            ["create-user", "new@example.org", "--role", "editor"],
            input="long enough pw\n",
            obj=ScriptInfo(create_app=lambda: app),
        )
    finally:
        lock.release()

    assert result.exit_code == 2
    assert "The archive is busy" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert find_user("new@example.org") is None
        db.session.remove()
        db.engine.dispose()


def invoke_in(tmp_path, monkeypatch, args):
    """The `heritage` command as a newcomer runs it: a new instance folder, SQLite."""
    monkeypatch.setenv("HERITAGE_INSTANCE_PATH", str(tmp_path / "new"))
    monkeypatch.delenv("HERITAGE_DATABASE_URL", raising=False)
    return CliRunner().invoke(command_group(), args)


def test_init_db_says_it_created_the_database_and_where(tmp_path, monkeypatch):
    instance = tmp_path / "new"

    first = invoke_in(tmp_path, monkeypatch, ["init-db"])
    again = invoke_in(tmp_path, monkeypatch, ["init-db"])

    assert first.exit_code == 0, first.output
    assert f"Created the archive database at {instance / 'heritage.db'}" in first.stdout
    assert f"Created the instance folder {instance}" in first.stderr
    assert again.exit_code == 0, again.output
    assert f"The database at {instance / 'heritage.db'} is at the current schema." in again.stdout
    assert "Created" not in again.output


def test_version_is_heritage_s(tmp_path, monkeypatch):
    result = invoke_in(tmp_path, monkeypatch, ["--version"])

    assert result.exit_code == 0
    assert result.stdout == f"heritage {heritage.__version__}\n"
    assert heritage.__version__ == metadata.version("heritage")


def documented_commands() -> set[str]:
    """The commands in the README's Command line table."""
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `heritage ([a-z-]+)", section, flags=re.MULTILINE))


def test_help_offers_the_archive_s_options_and_the_documented_commands(tmp_path, monkeypatch):
    result = invoke_in(tmp_path, monkeypatch, ["--help"])

    assert result.exit_code == 0, result.output
    assert "--app" not in result.stdout
    assert "--env-file" not in result.stdout
    assert "--version" in result.stdout
    listed = re.findall(r"^  ([a-z-]+)  ", result.stdout.split("Commands:")[1], re.MULTILINE)
    assert set(listed) == documented_commands()


def test_run_help_gives_the_default_address(tmp_path, monkeypatch):
    result = invoke_in(tmp_path, monkeypatch, ["run", "--help"])
    help_text = " ".join(result.stdout.split())

    assert result.exit_code == 0, result.output
    assert "The interface to bind to. [default: 127.0.0.1]" in help_text
    assert "The port to bind to. [default: 5000]" in help_text


def test_create_user_help_gives_the_password_rules(app, runner):
    help_text = " ".join(runner.invoke(args=["create-user", "--help"]).output.split())
    shortest = "x" * PASSWORD_MIN

    assert f"{PASSWORD_MIN} to {PASSWORD_MAX} characters" in help_text
    args = ["create-user", "a@example.org", "--role", "editor"]
    assert runner.invoke(args=args, input=f"{shortest[1:]}\n").exit_code == 1
    assert runner.invoke(args=args, input=f"{shortest}\n").exit_code == 0
