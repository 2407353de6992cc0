"""Fixtures: a migrated database per test (SQLite by default, PostgreSQL when asked), the
app, and factories that go through the real services.

Set HERITAGE_TEST_DATABASE_URL to a PostgreSQL URL (e.g.
postgresql://postgres@127.0.0.1:5432/test) to run the suite on PostgreSQL: the run creates
its own database on that server and drops it at the end.
"""

from __future__ import annotations

import contextvars
import io
import os
import re
import shutil
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from heritage import create_app
from heritage.cli import upgrade_database
from heritage.extensions import db
from heritage.models import Base
from heritage.services import collection, gravestones, photos, restorations, sites, surveys, users

PASSWORD = "correct horse battery"
CHECKOUT = Path(__file__).resolve().parents[1]
POSTGRES_SERVER_URL = os.environ.get("HERITAGE_TEST_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_SERVER_URL.startswith(("postgres://", "postgresql"))


# Where tests may read besides the checkout: temporary folders and the Python installation.
# (Read now: the hook below must not call into tempfile, which opens files itself.)
_ALLOWED_ROOTS = (CHECKOUT, Path(tempfile.gettempdir()).resolve(), Path(sys.prefix).resolve())
_ALLOWED_PREFIXES = tuple(f"{root}{os.sep}" for root in _ALLOWED_ROOTS)


def beside_the_checkout(path: str | bytes | int) -> bool:
    """Whether `path` lies next to the checkout (like ../shared): what a fresh clone lacks."""
    if isinstance(path, int):
        return False
    path = os.fsdecode(path)
    if path.startswith(_ALLOWED_PREFIXES) and f"{os.sep}.." not in path:
        return False  # the common case, without a system call
    resolved = Path(os.path.realpath(path))
    if any(resolved.is_relative_to(root) for root in _ALLOWED_ROOTS):
        return False
    return resolved.is_relative_to(CHECKOUT.parent)


_READS_BESIDE_THE_CHECKOUT: list[str] = []


def _watch_opens(event: str, args: tuple) -> None:
    if event == "open" and beside_the_checkout(args[0]):
        _READS_BESIDE_THE_CHECKOUT.append(os.fsdecode(args[0]))


sys.addaudithook(_watch_opens)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """With pytest-xdist: gather what each worker process saw (its exit status is lost)."""
    _READS_BESIDE_THE_CHECKOUT.extend(node.workeroutput.get("reads_beside_the_checkout", ()))


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if any test opened a file beside the checkout (a clone has none)."""
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:  # a pytest-xdist worker: the controller reports
        worker_output["reads_beside_the_checkout"] = sorted(set(_READS_BESIDE_THE_CHECKOUT))
        return
    if _READS_BESIDE_THE_CHECKOUT:
        paths = ", ".join(sorted(set(_READS_BESIDE_THE_CHECKOUT)))
        session.config.get_terminal_writer().line(
            f"Tests read files outside the checkout, which a fresh clone does not have: {paths}",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's application context.

    Flask reuses an application context that is already pushed, so without this a request
    would share `g` and the database session with the test (and with other requests),
    unlike in production. Each request runs in an empty context instead.

    Its browser asks for English, so tests read the English interface; tests of the
    language choice set their own Accept-Language.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_app(tmp_path: Path, database_url: str, **config) -> object:
    """An app whose instance folder, media and index live under `tmp_path`."""
    media = tmp_path / "media"
    media.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "MEDIA_ROOT": str(media),
            "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "test-secret-key",
            # Changes reach other processes by the change stamp; a loaded machine must not
            # let the revision's age run out between two requests of a test that counts
            # queries (a test of that age sets it itself).
            "PUBLIC_REVISION_TTL": 600.0,
            **config,
        }
    )
    app.test_client_class = IsolatedClient
    return app


class PostgresServer:
    """Creates and drops throw-away databases on the server named by the test URL."""

    def __init__(self, server_url: str) -> None:
        url = make_url(server_url)
        if url.drivername in ("postgres", "postgresql"):
            url = url.set(drivername="postgresql+psycopg")
        self.url = url
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with self.admin.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:
            pytest.exit(f"PostgreSQL at {server_url} is not reachable: {error}", returncode=3)

    def create(self) -> str:
        name = f"heritage_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, database_url: str) -> None:
        name = make_url(database_url).database
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class Databases:
    """Hands each test a migrated, empty database, cheaply.

    SQLite: a copy of a database migrated once. PostgreSQL: one database migrated once,
    emptied with TRUNCATE before each test (which, unlike DELETE, the audit trail's
    append-only trigger allows).
    """

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.server = PostgresServer(POSTGRES_SERVER_URL) if ON_POSTGRES else None
        self.created: list[str] = []
        if self.server:
            self.shared_url = self.new_empty()
            self._migrate(self.shared_url, workdir / "template")
        else:
            self.template = workdir / "template.db"
            self._migrate(f"sqlite:///{self.template}", workdir / "template")

    def new_empty(self, tmp_path: Path | None = None) -> str:
        """A database with no tables at all, for migration tests."""
        if self.server:
            url = self.server.create()
            self.created.append(url)
            return url
        return f"sqlite:///{(tmp_path or self.workdir) / f'empty-{uuid.uuid4().hex}.db'}"

    def new_migrated(self, tmp_path: Path) -> str:
        if self.server:
            engine = create_engine(make_url(self.shared_url))
            # The PostgreSQL search backend's tables are the migration's, not models.
            names = [table.name for table in Base.metadata.sorted_tables]
            tables = ", ".join([*names, "search_entries", "search_words", "search_state"])
            with engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            engine.dispose()
            return self.shared_url
        path = tmp_path / "heritage.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def close(self) -> None:
        if self.server:
            for url in self.created:
                self.server.drop(url)
            self.server.admin.dispose()

    @staticmethod
    def _migrate(url: str, tmp_path: Path) -> None:
        app = make_app(tmp_path, url)
        with app.app_context():
            upgrade_database()
            db.engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[Databases]:
    registry = Databases(tmp_path_factory.mktemp("databases"))
    yield registry
    registry.close()


@pytest.fixture
def database_url(databases, tmp_path) -> str:
    """The URL of a migrated, empty database for this test."""
    return databases.new_migrated(tmp_path)


@pytest.fixture
def app(database_url, tmp_path, request) -> Iterator[object]:
    # Tests of the Whoosh backend's own mechanics (its folder, generations, lock, repair)
    # run with it on either database; every other test with the database's default.
    whoosh = request.node.get_closest_marker("whoosh") is not None
    application = make_app(
        tmp_path, database_url, **({"SEARCH_BACKEND": "whoosh"} if whoosh else {})
    )
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app) -> Iterator[object]:
    """An application context, for tests that call services directly."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(ctx):
    """Create a staff account through the service: make_user("editor")."""
    counter = iter(range(1, 10_000))

    def factory(role: str = "editor", **fields):
        n = next(counter)
        data = {
            "email": f"{role}{n}@example.org",
            "role": role,
            "name": f"{role.title()} {n}",
            "password": PASSWORD,
            **fields,
        }
        return users.create_user(data, actor=None)

    return factory


@pytest.fixture
def editor(make_user):
    return make_user("editor")


@pytest.fixture
def restorer(make_user):
    return make_user("restorer")


def site_data(**overrides) -> dict:
    """Valid input for a new site; keyword arguments change fields."""
    data = {
        "category": "monument",
        "site_type": "mosque",
        "name_az": "Yuxarı Gövhər Ağa məscidi",
        "name_en": "Upper Govhar Agha Mosque",
        "name_ru": "Мечеть Юхары Гевхар-ага",
        "district": "shusha",
        "settlement": "Şuşa",
        "latitude": 39.758,
        "longitude": 46.751,
        "period_az": "1768–1769",
        "period_en": "1768–1769",
        "period_ru": "1768–1769",
        "year_from": 1768,
        "year_to": 1769,
        "condition": "poor",
        "clearance_status": "cleared",
        "clearance_date": "2021-03-01",
    }
    data.update(overrides)
    return data


def record_data(**overrides) -> dict:
    data = {
        "title": "Conservation of the prayer hall roof",
        "work_type": "conservation",
        "work_status": "planned",
        "organisation": "Restoration workshop",
        "materials": "lime mortar, local limestone",
    }
    data.update(overrides)
    return data


def object_data(**overrides) -> dict:
    """Valid input for a collection object: a carpet looted from its museum."""
    data = {
        "inventory_number": "AQ-1987-014",
        "object_type": "carpet",
        "title_az": "“Xan Qarabağ” xalçası",
        "title_en": "Carpet 'Khan Garabagh'",
        "title_ru": "Ковёр «Хан Карабах»",
        "materials": "wool",
        "dimensions": "212 × 134 cm",
        "date_text": "late 19th century",
        "year_from": 1880,
        "year_to": 1899,
        "provenance": "Bought for the museum in 1987.",
        "status_history": [
            {"status": "in_collection", "date": "1987", "source": "Inventory book"},
            {
                "status": "looted",
                "date": "1993-07-23",
                "evidence": "Missing when the museum was surveyed in 2021.",
                "source": "Survey report",
            },
        ],
        "internal_note": "Staff only.",
    }
    data.update(overrides)
    return data


def gravestone_data(**overrides) -> dict:
    """Valid input for a gravestone: a ram-shaped stone with a Hijri date in Arabic script."""
    data = {
        "number": "17",
        "section": "A",
        "row": "3",
        "marker_type": "ram",
        "material": "limestone",
        "calendar": "hijri",
        "persons": [
            {
                "name_inscribed": "محمد اوغلی کربلایی علی",
                "name_read": "Kərbəlayı Əli Məmmədoğlu",
                "death_year": 1265,
            },
        ],
        "inscription": "هذا قبر المرحوم کربلایی علی ابن محمد سنه ۱۲۶۵",
        "inscription_language": "ar",
        "inscription_reading": "Hāzā qabr al-marḥūm Karbalāyī ʿAlī ibn Muḥammad sana 1265",
        "translation_en": "This is the grave of the late Karbalayi Ali son of Muhammad, year 1265.",
        "internal_note": "Staff only.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_site(ctx, editor):
    """Create a site through the service, optionally moving it to `status`."""

    def factory(status: str = "draft", actor=None, **fields):
        actor = actor or editor
        site = sites.create_site(site_data(**fields), actor=actor)
        steps = {"draft": [], "in_review": ["submit"], "published": ["submit", "publish"]}
        steps["withdrawn"] = [*steps["published"], "withdraw"]
        for step in steps[status]:
            kwargs = {"reason": "Test withdrawal."} if step == "withdraw" else {}
            site = getattr(sites, f"{step}_site")(
                site.id, actor=editor, version=site.version, **kwargs
            )
        return site

    return factory


@pytest.fixture
def make_record(ctx, editor):
    def factory(site, actor=None, **fields):
        return restorations.create_record(site.id, record_data(**fields), actor=actor or editor)

    return factory


@pytest.fixture
def make_object(ctx, editor):
    """Catalogue a collection object of `site` through the service, moved to `status`."""

    def factory(site, status: str = "draft", **fields):
        obj = collection.create_object(site.id, object_data(**fields), actor=editor)
        steps = {"draft": [], "in_review": ["submit"], "published": ["submit", "publish"]}
        for step in steps[status]:
            obj = collection.change_object_status(obj.id, step, actor=editor, version=obj.version)
        return obj

    return factory


@pytest.fixture
def make_gravestone(ctx, editor):
    """Record a gravestone of `site` through the service, moved to `status`."""

    def factory(site, status: str = "draft", **fields):
        stone = gravestones.create_gravestone(site.id, gravestone_data(**fields), actor=editor)
        steps = {"draft": [], "in_review": ["submit"], "published": ["submit", "publish"]}
        for step in steps[status]:
            stone = gravestones.change_gravestone_status(
                stone.id, step, actor=editor, version=stone.version
            )
        return stone

    return factory


def survey_data(**overrides) -> dict:
    """Valid input for a condition survey: a ruined site at critical risk."""
    data = {
        "survey_date": "2021-04-10",
        "assessor": "A. Mammadov",
        "organisation": "Heritage survey team",
        "method": "visual",
        "overall_condition": "ruined",
        "damages": [
            {"damage_type": "explosion", "extent": "severe"},
            {"damage_type": "vegetation", "extent": "moderate"},
        ],
        "risk_level": "critical",
        "urgency": "immediate",
        "findings_en": "The dome collapsed; walls stand to half their height.",
        "internal_note": "Staff only.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_survey(ctx, editor):
    """Record a condition survey of `site` through the service, moved to `status`."""

    def factory(site, status="draft", **fields):
        survey = surveys.create_survey(site.id, survey_data(**fields), actor=editor)
        steps = {"draft": [], "in_review": ["submit"], "published": ["submit", "publish"]}
        for step in steps[status]:
            survey = surveys.change_survey_status(
                survey.id, step, actor=editor, version=survey.version
            )
        return survey

    return factory


@pytest.fixture
def make_photo(ctx, editor):
    """Upload a real JPEG through the pipeline, optionally publishing it."""
    from tests.media.files import jpeg, jpeg_with_gps

    counter = iter(range(1, 1000))

    def factory(site, *, record=None, stage="general", status="published", gps=False, **fields):
        n = next(counter)
        content = jpeg_with_gps(seed=n) if gps else jpeg(seed=n, width=800, height=600)
        data = {
            "stage": stage,
            "caption_en": f"Photo {n} of the site",
            "alt_en": f"Stone wall, view {n}",
            "photographer": "A. Photographer",
            "licence": "CC-BY-4.0",
            **fields,
        }
        if record is not None:
            data["record_id"] = record.id
        photo = photos.upload_photo(
            site.id, io.BytesIO(content), f"IMG_{n}.jpg", data, actor=editor
        ).photo
        if status == "published":
            photo = photos.submit_photo(photo.id, actor=editor, version=photo.version)
            photo = photos.publish_photo(photo.id, actor=editor, version=photo.version)
        return photo

    return factory


class WriteLock:
    """Another process's write transaction, held until released."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        if url.drivername in ("postgres", "postgresql"):
            url = url.set(drivername="postgresql+psycopg")
        self.engine = create_engine(url)
        self.connection = None

    def take(self) -> None:
        self.connection = self.engine.connect()
        if self.engine.dialect.name == "sqlite":
            self.connection.connection.driver_connection.isolation_level = None
            self.connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            # The PostgreSQL search backend's tables are the migration's, not models.
            names = [table.name for table in Base.metadata.sorted_tables]
            tables = ", ".join([*names, "search_entries", "search_words", "search_state"])
            self.connection.begin()
            # EXCLUSIVE lets plain reads through and stops every writer, as SQLite's lock does.
            self.connection.execute(text(f"LOCK TABLE {tables} IN EXCLUSIVE MODE"))

    def release(self) -> None:
        if self.engine.dialect.name == "sqlite":
            self.connection.exec_driver_sql("ROLLBACK")
        else:
            self.connection.rollback()
        self.connection.close()
        self.engine.dispose()


def form_token(client, url: str = "/login") -> str:
    """The CSRF token of the form on `url`, as a browser would send it back."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def sign_in(client):
    """Sign `user` in on the test client through the real form: sign_in(user)."""

    def do_sign_in(user, password: str = PASSWORD):
        data = {"email": user.email, "password": password, "csrf_token": form_token(client)}
        response = client.post("/login", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_sign_in


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app on a free local port, in a thread, for as long as the test runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
