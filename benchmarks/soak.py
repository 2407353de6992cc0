"""Soak test: the archive under a mix of visitors, staff and faults, then its invariants.

    python benchmarks/soak.py --seconds 180
    python benchmarks/soak.py --seconds 180 --database postgresql://postgres@127.0.0.1:5432/test

Serves the demo archive with gunicorn (sync workers, as in production) on 127.0.0.1 and, for
`--seconds` (and at most `--max-requests` requests), runs at once: anonymous visitors on the
cached public pages, anonymous searches (ordinary and hostile ones), several staff clients
editing the same sites through the API with ETags, creating restoration records, uploading
photos (valid and hostile), and API reads. Meanwhile it injects, one after another: a
database write lock held by another connection (SQLite's BEGIN IMMEDIATE, PostgreSQL's LOCK
TABLE), the search index's segment files truncated, a worker killed with SIGKILL, and the
media folder made unwritable. Then it checks the invariants (see `check`), prints a table,
and exits 1 if any failed.

On PostgreSQL the run creates its own database on the server named and drops it after.
As root, whom permission bits do not stop, the media folders are made immutable instead.
Loopback only; every loop stops at the deadline or the request budget.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import http.client
import io
import json
import os
import random
import shutil
import signal
import string
import struct
import sys
import tempfile
import threading
import time
import uuid
import zlib
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.gallery import free_port, serve, worker_pids  # noqa: E402
from heritage.vocab import WORK_STATUSES, WORK_TYPES  # noqa: E402

WORKERS = 3
# The p99 bound of the cached public pages, in ms. Such a page comes from the worker's
# memory in about 10 ms on a quiet machine; under the soak it only waits for a worker, and
# the longest a request of the mix holds one is about a second: a search's time limit and a
# write's wait for the database lock are both set to 1 s here (HERITAGE_SEARCH_TIME_LIMIT,
# HERITAGE_REQUEST_LOCK_WAIT), an upload's decode takes about as long. With 10 clients on 3
# workers, about two such requests can be queued ahead of a page: some 3 s. The bound gives
# 5 s, since the soak's own clients share the machine's 2 cores with the server. Before
# findings 2 and 5 of issue 11 were fixed, one hostile search or held lock kept pages
# waiting 13-16 s.
P99_BOUND_MS = 5000
# Statuses a request may get besides 2xx/3xx: refusals, and the documented busy answers.
ALLOWED_ERRORS = {400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429, 503}
CACHED_PAGES = ("page: home", "page: sites list", "page: site")
# Faults whose failures are counted in their own window (see `check`).
WINDOWED = ("media folder unwritable",)


# --- the archive and the server -------------------------------------------------------------


@dataclass
class Archive:
    """Where the soak's archive lives, and what it was set up with."""

    workdir: Path
    database_url: str
    env: dict
    tokens: list[str] = field(default_factory=list)
    sites: list[tuple[int, str]] = field(default_factory=list)  # (id, slug) published
    words: list[str] = field(default_factory=list)
    created_database: str | None = None

    @property
    def instance(self) -> Path:
        return self.workdir / "instance"

    @property
    def media(self) -> Path:
        return self.workdir / "media"

    @property
    def index(self) -> Path:
        return self.workdir / "index"

    def config(self) -> dict:
        return {
            "DATABASE_URL": self.database_url,
            "INSTANCE_PATH": str(self.instance),
            "MEDIA_ROOT": str(self.media),
            "INDEX_DIR": str(self.index),
            "SECRET_KEY": "soak-secret-key",
        }


def _postgres_database(server_url: str) -> tuple[str, str]:
    """A new database on the server of `server_url`: (its URL, its name)."""
    from sqlalchemy import create_engine, make_url, text

    url = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"heritage_soak_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False), name


def _drop_postgres_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    url = make_url(server_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def build(workdir: Path, database: str | None, staff: int) -> Archive:
    """The demo archive with `staff` editors holding API tokens, and its search index."""
    from sqlalchemy import select

    from heritage import create_app
    from heritage.cli import prepare_archive
    from heritage.demo import load_demo
    from heritage.extensions import db
    from heritage.models import Site
    from heritage.services import indexing, tokens, users

    created = None
    if database and database.startswith(("postgres://", "postgresql")):
        url, created = _postgres_database(database)
    else:
        url = f"sqlite:///{workdir / 'heritage.db'}"
    archive = Archive(workdir, url, {}, created_database=created)
    app = create_app(archive.config())
    with app.app_context():
        prepare_archive()
        load_demo()
        for n in range(staff):
            user = users.create_user(
                {
                    "email": f"soak-editor-{n}@example.org",
                    "role": "editor",
                    "name": f"Soak editor {n}",
                    "password": "soak password " + uuid.uuid4().hex,
                },
                actor=None,
            )
            issued = tokens.create_token(user.id, {"name": "soak"}, actor=None)
            archive.tokens.append(issued.secret)
        published = db.session.scalars(
            select(Site).where(Site.status == "published").order_by(Site.id)
        ).all()
        archive.sites = [(site.id, site.slug) for site in published]
        archive.words = sorted(
            {word for site in published for word in (site.name_en or "").split() if len(word) > 3}
        )
        indexing.rebuild(processes=1)
        db.session.remove()
        db.engine.dispose()
    archive.env = {
        **os.environ,
        **{f"HERITAGE_{name}": value for name, value in archive.config().items()},
        # The soak's clients come from one address: limits per address would answer most
        # of them 429, which is tested elsewhere; the load is bounded by the soak itself.
        "HERITAGE_SEARCH_RATE_LIMIT_ANONYMOUS": "100000 per minute",
        "HERITAGE_API_RATE_LIMIT_ANONYMOUS": "100000 per minute",
        "HERITAGE_API_RATE_LIMIT_TOKEN": "100000 per minute",
        "HERITAGE_SEARCH_TIME_LIMIT": "1.0",
        "HERITAGE_REQUEST_LOCK_WAIT": "1.0",
    }
    return archive


# --- the clients ----------------------------------------------------------------------------


@dataclass
class Answer:
    kind: str
    status: int  # 0: the connection dropped before an answer
    seconds: float
    started: float
    headers: dict
    body: bytes


class Recorder:
    """Every answer, by kind, and the writes that succeeded, for the checks."""

    def __init__(self, max_requests: int) -> None:
        self.lock = threading.Lock()
        self.answers: list[Answer] = []
        self.max_requests = max_requests
        self.saves: list[tuple[int, int, int, str]] = []  # site, version sent, version got, mark
        self.records: list[int] = []
        self.photos: list[tuple[int, str]] = []  # id, sha256
        self.hostile_accepted: list[str] = []

    def add(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def spent(self) -> bool:
        return len(self.answers) >= self.max_requests


class Client:
    """One HTTP client on its own connection (sync workers close it after each answer)."""

    def __init__(self, port: int, recorder: Recorder, token: str | None = None) -> None:
        self.port, self.recorder, self.token = port, recorder, token

    def ask(
        self, kind: str, method: str, path: str, body: bytes | None = None, headers=None
    ) -> Answer:
        headers = {"Accept-Language": "en", **(headers or {})}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(
                kind,
                response.status,
                time.monotonic() - started,
                started,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        except (ConnectionError, http.client.HTTPException, TimeoutError):
            answer = Answer(kind, 0, time.monotonic() - started, started, {}, b"")
        finally:
            connection.close()
        self.recorder.add(answer)
        return answer


def hostile_queries(seed: int) -> list[str]:
    generator = random.Random(seed)

    def word(n: int = 12) -> str:
        return "".join(generator.choice(string.ascii_lowercase) for _ in range(n))

    return [
        " ".join(word() for _ in range(32)),  # 32 unknown 12-letter words
        "(" * 200 + "stone" + ")" * 200,  # deep brackets
        '"' + " ".join(word(3) for _ in range(60)) + '"',  # a long phrase of short words
        " OR ".join(f"{word(2)}*" for _ in range(40)),  # many short prefixes
        "NOT " * 100 + "mosque",
        "name:" * 50 + "x",
        "a* b* c* d* e* f* g* h*",
        "\u0000\ufffe" + word(500)[:480],
        ")(" * 100,
    ]


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def _jpeg(generator: random.Random) -> bytes:
    from PIL import Image

    pixels = bytes(generator.getrandbits(8) for _ in range(64 * 48 * 3))
    image = Image.frombytes("RGB", (64, 48), pixels).resize((320, 240))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _damaged_jpeg(generator: random.Random) -> bytes:
    """A real JPEG cut in the middle of its scan data, with an end-of-image marker after."""
    data = _jpeg(generator)
    return data[: len(data) // 2] + b"\xff\xd9"


def _multipart(fields: dict, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


class Load:
    """The clients' loops, sharing a deadline and the request budget."""

    def __init__(self, archive: Archive, port: int, recorder: Recorder, seconds: float, seed: int):
        self.archive, self.port, self.recorder = archive, port, recorder
        self.deadline = time.monotonic() + seconds
        self.seed = seed
        self.hostile = hostile_queries(seed)
        # The sites every editor edits at once: the lost-update check needs contention.
        self.contested = [site_id for site_id, _ in archive.sites[:2]]

    def going(self) -> bool:
        return time.monotonic() < self.deadline and not self.recorder.spent()

    def pause(self, generator: random.Random) -> None:
        time.sleep(generator.uniform(0.02, 0.15))  # a person, not a load generator

    def browse(self, n: int) -> None:
        client, generator = Client(self.port, self.recorder), random.Random(self.seed * 100 + n)
        while self.going():
            choice = generator.random()
            if choice < 0.3:
                client.ask("page: home", "GET", "/")
            elif choice < 0.5:
                client.ask("page: sites list", "GET", "/sites")
            else:
                _, slug = generator.choice(self.archive.sites)
                client.ask("page: site", "GET", f"/sites/{quote(slug)}")
            self.pause(generator)

    def search(self, n: int) -> None:
        client, generator = Client(self.port, self.recorder), random.Random(self.seed * 200 + n)
        while self.going():
            if generator.random() < 0.3:
                kind, query = "search: hostile", generator.choice(self.hostile)
            else:
                kind, query = "search", " ".join(generator.sample(self.archive.words, 2))
            door = "/api/v1/search" if generator.random() < 0.5 else "/search"
            client.ask(kind, "GET", f"{door}?{urlencode({'q': query})}")
            self.pause(generator)

    def edit(self, n: int) -> None:
        """Read a contested site and save a change to the version read (If-Match)."""
        token = self.archive.tokens[n]
        client, generator = Client(self.port, self.recorder, token), random.Random(self.seed + n)
        while self.going():
            site_id = generator.choice(self.contested)
            read = client.ask("api: read site", "GET", f"/api/v1/sites/{site_id}")
            etag = read.headers.get("etag")
            if read.status != 200 or not etag:
                self.pause(generator)
                continue
            version = int(etag.strip('"').rsplit("-v", 1)[1])
            mark = f"soak {n} {uuid.uuid4().hex}"
            answer = client.ask(
                "api: edit site",
                "PATCH",
                f"/api/v1/sites/{site_id}",
                json.dumps({"description_en": mark}).encode(),
                {"Content-Type": "application/json", "If-Match": etag},
            )
            if 200 <= answer.status < 300:
                saved = json.loads(answer.body)["version"]
                with self.recorder.lock:
                    self.recorder.saves.append((site_id, version, saved, mark))
            self.pause(generator)

    def write(self) -> None:
        """New restoration records and photo uploads (valid and hostile) through the API."""
        client = Client(self.port, self.recorder, self.archive.tokens[-1])
        generator = random.Random(self.seed * 300)
        while self.going():
            site_id, _ = generator.choice(self.archive.sites)
            choice = generator.random()
            if choice < 0.3:
                record = {
                    "title": f"Soak work {uuid.uuid4().hex[:8]}",
                    "work_type": WORK_TYPES.codes[0],
                    "work_status": WORK_STATUSES.codes[0],
                }
                answer = client.ask(
                    "api: create record",
                    "POST",
                    f"/api/v1/sites/{site_id}/records",
                    json.dumps(record).encode(),
                    {"Content-Type": "application/json"},
                )
                if answer.status == 201:
                    with self.recorder.lock:
                        self.recorder.records.append(json.loads(answer.body)["id"])
            else:
                if choice < 0.7:
                    kind, name, data = "upload: valid JPEG", "photo.jpg", _jpeg(generator)
                elif choice < 0.85:
                    kind, name, data = "upload: damaged JPEG", "cut.jpg", _damaged_jpeg(generator)
                else:
                    kind, name, data = "upload: huge PNG", "huge.png", _png_claiming(100000, 100000)
                body, boundary = _multipart({"alt_en": "A soak photo."}, name, data)
                answer = client.ask(
                    kind,
                    "POST",
                    f"/api/v1/sites/{site_id}/photos",
                    body,
                    {"Content-Type": f"multipart/form-data; boundary={boundary}"},
                )
                if answer.status == 201:
                    with self.recorder.lock:
                        if kind == "upload: valid JPEG":
                            found = json.loads(answer.body)["id"]
                            self.recorder.photos.append((found, hashlib.sha256(data).hexdigest()))
                        else:
                            self.recorder.hostile_accepted.append(kind)
            self.pause(generator)

    def read_api(self) -> None:
        client, generator = Client(self.port, self.recorder), random.Random(self.seed * 400)
        while self.going():
            site_id, _ = generator.choice(self.archive.sites)
            path = generator.choice(
                [f"/api/v1/sites/{site_id}", "/api/v1/sites?per_page=20", "/api/v1/records"]
            )
            client.ask("api: read", "GET", path)
            self.pause(generator)


def warm_up(client: Client, archive: Archive) -> None:
    """Each page asked of every worker before the clock starts: a worker's first answer of
    a page renders it (and opens the index), later ones come from its cache."""
    for _ in range(3 * WORKERS):
        for path in ("/", "/sites", f"/sites/{quote(archive.sites[0][1])}", "/search?q=stone"):
            client.ask("warm-up", "GET", path)


# --- the faults -----------------------------------------------------------------------------


@dataclass
class Fault:
    name: str
    at: float  # seconds into the run
    seconds: float
    detail: str = ""


class WriteLock:
    """Another connection's write transaction, as an administrator's script would hold."""

    def __init__(self, database_url: str) -> None:
        from sqlalchemy import create_engine

        self.engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))

    def hold(self, seconds: float) -> str:
        from sqlalchemy import text

        from heritage.models import Base

        with self.engine.connect() as connection:
            if self.engine.dialect.name == "sqlite":
                connection.connection.driver_connection.isolation_level = None
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                how = "BEGIN IMMEDIATE"
            else:
                tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
                connection.begin()
                connection.execute(text(f"LOCK TABLE {tables} IN EXCLUSIVE MODE"))
                how = "LOCK TABLE … IN EXCLUSIVE MODE"
            time.sleep(seconds)
            if self.engine.dialect.name == "sqlite":
                connection.exec_driver_sql("ROLLBACK")
            else:
                connection.rollback()
        self.engine.dispose()
        return how


def truncate_index(index: Path) -> str:
    """Cut every segment file of the index in use to a third of its size."""
    generation = index / (index / "CURRENT").read_text().strip()
    cut = 0
    for path in generation.iterdir():
        if path.suffix in (".trm", ".pst", ".col"):
            with open(path, "r+b") as handle:
                handle.truncate(path.stat().st_size // 3)
            cut += 1
    return f"{cut} files of {generation.name}"


# Linux's immutable attribute (FS_IOC_GETFLAGS / FS_IOC_SETFLAGS, FS_IMMUTABLE_FL): a folder
# that has it takes no new file, even from root, whom permission bits do not stop.
GET_FLAGS, SET_FLAGS, IMMUTABLE = 0x80086601, 0x40086602, 0x10


def _immutable(folder: Path, on: bool) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        flags = array("l", [0])
        fcntl.ioctl(descriptor, GET_FLAGS, flags, True)
        flags[0] = flags[0] | IMMUTABLE if on else flags[0] & ~IMMUTABLE
        fcntl.ioctl(descriptor, SET_FLAGS, flags, True)
    finally:
        os.close(descriptor)


def unwritable(media: Path, seconds: float) -> str:
    """Every folder of the media root unwritable for `seconds`, then as it was: read-only
    for an ordinary user, immutable for root."""
    folders = [media, *(path for path in media.rglob("*") if path.is_dir())]
    modes = {folder: folder.stat().st_mode & 0o7777 for folder in folders}
    root = os.geteuid() == 0
    done = []
    try:
        for folder in folders:
            _immutable(folder, True) if root else folder.chmod(0o555)
            done.append(folder)
        time.sleep(seconds)
    finally:
        for folder in done:
            _immutable(folder, False) if root else folder.chmod(modes[folder])
    how = "immutable (root)" if root else "mode 555"
    return f"{len(folders)} folders {how}"


def inject(archive: Archive, server: serve, seconds: float, faults: list[Fault]) -> None:
    """The faults, one after another, spread over the run."""
    start = time.monotonic()
    lock_for = min(20.0, seconds / 5)
    media_for = min(15.0, seconds / 6)

    def at(share: float) -> float:
        time.sleep(max(0.0, start + seconds * share - time.monotonic()))
        return time.monotonic() - start

    began = at(0.1)
    how = WriteLock(archive.database_url).hold(lock_for)
    faults.append(Fault("database write lock", began, lock_for, how))
    began = at(0.4)
    if archive.database_url.startswith("postgresql"):
        # The PostgreSQL search backend keeps no index folder to damage: its rows are the
        # database's, under the database's own crash safety.
        faults.append(Fault("no index folder to truncate (PostgreSQL backend)", began, 0, "-"))
    else:
        faults.append(Fault("search index truncated", began, 0, truncate_index(archive.index)))
    began = at(0.55)
    victim = worker_pids(server.process.pid)[0]
    os.kill(victim, signal.SIGKILL)
    faults.append(Fault("worker killed (SIGKILL)", began, 0, f"pid {victim}"))
    began = at(0.7)
    faults.append(
        Fault("media folder unwritable", began, media_for, unwritable(archive.media, media_for))
    )


# --- the checks -----------------------------------------------------------------------------


def _counts(counter: Counter) -> str:
    return ", ".join(f"{key}: {n}" for key, n in sorted(counter.items()))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def check(
    archive: Archive, recorder: Recorder, faults: list[Fault], start: float, bound_ms: float
) -> list[tuple[str, bool, str]]:
    """Each invariant: (what, held, detail)."""
    from sqlalchemy import select

    from heritage import create_app
    from heritage.extensions import db
    from heritage.media.storage import MediaStore, file_sha256
    from heritage.models import AuditEvent, Photo, RestorationRecord

    results = []
    answers = recorder.answers
    # Kept apart: a failure in the window of the fault that caused it names that fault.
    windows = [
        (f, start + f.at, start + f.at + f.seconds + 1) for f in faults if f.name in WINDOWED
    ]

    def failed(answer: Answer) -> bool:
        return answer.status >= 500 and answer.status != 503

    def during(answer: Answer, began: float, ended: float) -> bool:
        return answer.started <= ended and answer.started + answer.seconds >= began

    for fault, began, ended in windows:
        errors = Counter(a.kind for a in answers if failed(a) and during(a, began, ended))
        results.append((f"no 5xx but 503 while the {fault.name}", not errors, _counts(errors)))
    outside = [a for a in answers if not any(during(a, b, e) for _, b, e in windows)]
    errors = Counter(a.kind for a in outside if failed(a))
    results.append(("no 5xx but 503 (outside that window)", not errors, _counts(errors)))
    unexpected = Counter(
        (a.kind, a.status)
        for a in answers
        if 400 <= a.status < 500 and a.status not in ALLOWED_ERRORS
    )
    results.append(
        ("no unexpected 4xx", not unexpected, str(dict(unexpected)) if unexpected else "")
    )
    bare = [a for a in answers if a.status == 503 and "retry-after" not in a.headers]
    results.append(("every 503 has Retry-After", not bare, f"{len(bare)} without" if bare else ""))
    # A dropped connection is a request the killed worker was answering: only then.
    kills = [start + f.at for f in faults if f.name.startswith("worker killed")]
    dropped = [a for a in answers if a.status == 0]
    stray = [
        a
        for a in dropped
        if not any(a.started <= k + 1 and a.started + a.seconds >= k for k in kills)
    ]
    results.append(
        (
            "connections dropped only by the killed worker",
            not stray,
            f"{len(dropped)} dropped, {len(stray)} elsewhere",
        )
    )
    results.append(
        (
            "no damaged or oversized upload accepted",
            not recorder.hostile_accepted,
            ", ".join(f"{k}: {n}" for k, n in Counter(recorder.hostile_accepted).items()),
        )
    )
    cached = [a.seconds * 1000 for a in answers if a.kind in CACHED_PAGES and a.status == 200]
    p99 = percentile(cached, 0.99)
    results.append((f"cached pages p99 < {bound_ms:.0f} ms", p99 < bound_ms, f"{p99:.0f} ms"))
    by_version = Counter((site, sent) for site, sent, _, _ in recorder.saves)
    twice = {key: n for key, n in by_version.items() if n > 1}
    results.append(
        (
            "no two successful saves from one version",
            not twice,
            f"{len(recorder.saves)} saves; {twice or ''}",
        )
    )

    app = create_app(archive.config())
    with app.app_context():
        events = defaultdict(list)
        for event in db.session.scalars(select(AuditEvent)):
            events[(event.entity_type, event.entity_id)].append(event)
        missing = [
            (site, sent, saved, mark)
            for site, sent, saved, mark in recorder.saves
            # The save from version `sent` wrote version sent + 1; the answer shows the site
            # as it is once the save committed, which others may have saved since (`saved`).
            if saved <= sent
            or not any(
                e.version == sent + 1 and mark in json.dumps(e.changes, ensure_ascii=False)
                for e in events[("site", site)]
            )
        ]
        results.append(
            (
                "every saved edit has its audit event",
                not missing,
                str(missing[:5]) if missing else "",
            )
        )
        versions = Counter(
            (key, e.version)
            for key, evs in events.items()
            if key[0] == "site"
            for e in evs
            if e.version
        )
        doubled = [key for key, n in versions.items() if n > 1]
        results.append(
            (
                "no version written twice (audit trail)",
                not doubled,
                str(doubled[:5]) if doubled else "",
            )
        )
        found_records = set(db.session.scalars(select(RestorationRecord.id)))
        lost = [r for r in recorder.records if r not in found_records or not events[("record", r)]]
        results.append(
            (
                "every created record is stored, with its audit event",
                not lost,
                f"{len(recorder.records)} created; lost {lost[:5]}",
            )
        )
        store = MediaStore(app.config["MEDIA_ROOT"])
        rows = {photo.id: photo.sha256 for photo in db.session.scalars(select(Photo))}
        bad = []
        for photo_id, sha in recorder.photos:
            path = store.original_path(sha)
            if (
                rows.get(photo_id) != sha
                or not path.is_file()
                or file_sha256(path) != sha
                or not events[("photo", photo_id)]
            ):
                bad.append(photo_id)
        results.append(
            (
                "every photo answered 201 is on disk with its SHA-256 and audit event",
                not bad,
                f"{len(recorder.photos)} uploaded; bad {bad[:5]}",
            )
        )
        on_disk = {store.sha256_of_path(path) for path in store.iter_originals()}
        orphan_files = on_disk - set(rows.values())
        orphan_rows = set(rows.values()) - on_disk
        results.append(
            (
                "no orphan original or photo row",
                not orphan_files and not orphan_rows,
                f"{len(orphan_files)} files, {len(orphan_rows)} rows",
            )
        )
        db.session.remove()
        db.engine.dispose()
    return results


def recovered(client: Client, word: str, seconds: float = 60) -> tuple[bool, str]:
    """Whether search answers again (the truncated index was rebuilt), and how soon."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        answer = client.ask(
            "search: after the run", "GET", f"/api/v1/search?{urlencode({'q': word})}"
        )
        if answer.status == 200 and json.loads(answer.body)["total"] > 0:
            return True, f"{time.monotonic() - started:.1f} s after the run"
        time.sleep(0.5)
    return False, f"not within {seconds:.0f} s"


# --- the report -----------------------------------------------------------------------------


def table(recorder: Recorder, faults: list[Fault], results, seconds: float, label: str) -> str:
    by_kind: dict[str, list[Answer]] = defaultdict(list)
    for answer in recorder.answers:
        by_kind[answer.kind].append(answer)
    lines = [
        f"Soak on {label}: {seconds:.0f} s, gunicorn {WORKERS} sync workers, "
        f"{len(recorder.answers)} requests",
        "",
        "| requests | count | statuses | p50 ms | p99 ms |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for kind in sorted(by_kind):
        answers = by_kind[kind]
        statuses = Counter(a.status for a in answers)
        said = ", ".join(f"{s or 'dropped'}: {n}" for s, n in sorted(statuses.items()))
        times = [a.seconds * 1000 for a in answers]
        lines.append(
            f"| {kind} | {len(answers)} | {said} | {percentile(times, 0.5):.0f} | "
            f"{percentile(times, 0.99):.0f} |"
        )
    lines += ["", "| fault injected | at s | for s | detail |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {f.name} | {f.at:.0f} | {f.seconds:.0f} | {f.detail} |" for f in faults]
    lines += ["", "| invariant | held | detail |", "| --- | --- | --- |"]
    lines += [
        f"| {what} | {'yes' if held else 'NO'} | {detail} |" for what, held, detail in results
    ]
    return "\n".join(lines)


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="length of the load")
    parser.add_argument("--max-requests", type=int, default=50_000, help="request budget")
    parser.add_argument(
        "--database",
        help="a PostgreSQL server URL to create the soak's database on (default: SQLite)",
    )
    parser.add_argument("--p99-bound", type=float, default=P99_BOUND_MS, help="cached pages, ms")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", help="also write the invariants to this JSON file")
    parser.add_argument(
        "--workdir", help="where the archive goes (default: a temporary folder, removed)"
    )
    args = parser.parse_args(argv)

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="heritage-soak-"))
    staff = 3
    archive = build(workdir, args.database, staff + 1)
    recorder, faults = Recorder(args.max_requests), []
    try:
        log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115 (closed below)
        server = serve(
            ["--timeout=30", "heritage:create_app()"],
            free_port(),
            archive.env,
            workers=WORKERS,
            stderr=log,
        )
        with server:
            warm_up(Client(server.port, Recorder(1000)), archive)
            load = Load(archive, server.port, recorder, args.seconds, args.seed)
            start = time.monotonic()
            threads = [
                *(threading.Thread(target=load.browse, args=(n,)) for n in range(3)),
                *(threading.Thread(target=load.search, args=(n,)) for n in range(2)),
                *(threading.Thread(target=load.edit, args=(n,)) for n in range(staff)),
                threading.Thread(target=load.write),
                threading.Thread(target=load.read_api),
                threading.Thread(target=inject, args=(archive, server, args.seconds, faults)),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.seconds + 120)
            back, when = recovered(Client(server.port, recorder), archive.words[0])
        log.close()
        results = [("search answers again after the index was truncated", back, when)]
        results += check(archive, recorder, faults, start, args.p99_bound)
        label = "PostgreSQL" if archive.created_database else "SQLite"
        print(table(recorder, faults, results, args.seconds, label))
        if args.report:
            held = {what: {"held": ok, "detail": detail} for what, ok, detail in results}
            Path(args.report).write_text(json.dumps(held, indent=1))
    finally:
        if archive.created_database:
            _drop_postgres_database(args.database, archive.created_database)
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(held for _, held, _ in results) else 1


if __name__ == "__main__":
    sys.exit(run())
