"""Configuration: safe defaults, overridden by HERITAGE_* environment variables, then by tests."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from heritage.paths import default_media_root


class Config:
    """Defaults. Paths left as None are derived from the instance folder at start-up."""

    # Where the database lives; default: SQLite in the instance folder.
    DATABASE_URL: str | None = None
    # Originals and derivatives; default: media/ in a checkout, else <instance>/media.
    MEDIA_ROOT: str | None = None
    # The full-text index; default: <instance>/index.
    INDEX_DIR: str | None = None
    # Read from <instance>/secret_key (created on first run) unless set.
    SECRET_KEY: str | None = None
    # How long a writer waits for SQLite's write lock before giving up, in milliseconds
    # (commands and background work; requests wait REQUEST_LOCK_WAIT).
    SQLITE_BUSY_TIMEOUT_MS = 15000
    # How long a web or API request waits for a database lock (SQLite's write lock, a row
    # or table lock on PostgreSQL) before answering 503 "busy, nothing was saved", in
    # seconds: someone is waiting for the answer, and a worker waiting serves nobody else.
    REQUEST_LOCK_WAIT = 3.0
    # Page size of public lists, and of the map's list of places (for browsers without
    # JavaScript).
    PAGE_SIZE = 50
    # Sites a page of the staff catalogue lists: short enough for a phone.
    CATALOGUE_PAGE_SIZE = 20
    MAP_LIST_SIZE = 200
    # Addresses per sitemap file; a larger archive gets a sitemap index of numbered parts.
    SITEMAP_SIZE = 10_000
    # How long browsers and proxies may reuse a public page before asking again (seconds);
    # asking again costs a 304 when nothing changed.
    PUBLIC_MAX_AGE = 60
    # Each process re-reads the archive's revision after a commit on this host, and at
    # least this often (seconds) to notice changes made from elsewhere.
    PUBLIC_REVISION_TTL = 2.0
    # Rendered public pages kept in each process's memory, in bytes (0: none).
    PUBLIC_PAGE_CACHE_BYTES = 32 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # How many reverse proxies stand in front of the app (their X-Forwarded-* are trusted).
    PROXY_HOPS = 0
    # Failed sign-ins allowed per minute, per account and per client address.
    SIGN_IN_LIMIT_PER_ACCOUNT = 5
    SIGN_IN_LIMIT_PER_ADDRESS = 20
    # Map tiles for the staff location picker and the public map; pages stay usable without.
    MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    MAP_ATTRIBUTION = "© OpenStreetMap contributors"
    # Search: the most time one search may take, in seconds (it then answers with what it
    # found and says so), and hits per results page.
    SEARCH_TIME_LIMIT = 3.0
    SEARCH_PAGE_SIZE = 20
    # Searches by visitors (not staff) running at once on this host, across all its
    # processes; more wait a moment, then get 503 with Retry-After, so searching never takes
    # every worker from the pages. Default: half the cores, at least one.
    SEARCH_CONCURRENCY = max(1, (os.cpu_count() or 2) // 2)
    # Searches per client address and minute on /search for visitors without a session;
    # then 429 with Retry-After (the API has its own limits below).
    SEARCH_RATE_LIMIT_ANONYMOUS = "60 per minute"
    # How long saving a record waits for the search index's single writer, in seconds,
    # before leaving its index update to that writer (or to `heritage reindex --pending`).
    SEARCH_LOCK_WAIT = 2.0
    # The search engine: "whoosh" (an index folder on this host's disk) or "postgresql"
    # (tables in the archive's PostgreSQL database, written in the change's transaction,
    # shared by every host). Default: postgresql on PostgreSQL, whoosh on SQLite.
    SEARCH_BACKEND: str | None = None
    # `heritage reindex`: how many processes build the index (one per core is best).
    SEARCH_BUILD_PROCESSES = 2
    # Exports: the most rows in one download, and the time the search for them may take.
    SEARCH_EXPORT_LIMIT = 50_000
    SEARCH_EXPORT_TIME_LIMIT = 60.0
    # The CSRF token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    # The largest request body accepted, uploads included, in bytes (200 MB); larger ones get
    # 413. Uploads are streamed to a file in the media folder, never held in memory.
    MAX_CONTENT_LENGTH = 200 * 1024 * 1024
    # The largest body of any other request (forms, JSON), held in memory: 1 MB. Only photo
    # uploads by staff who may upload stream to disk; a larger body is refused (413) unread.
    MAX_BODY_LENGTH = 1024 * 1024
    # Rows of a spreadsheet import written per transaction: the write lock is given up
    # between batches, so other people's saves wait for one batch, never the whole file.
    IMPORT_BATCH_ROWS = 500
    # The most pixels an uploaded image may have (120 megapixels); more is refused before the
    # pixels are decoded, since a small file can declare a picture that fills the memory.
    MAX_IMAGE_PIXELS = 120_000_000
    # IIIF Image API (/iiif/3/<photo id>/...): the most pixels one response may have (a
    # 4096 × 4096 picture; info.json declares it as maxArea, and `max` keeps under it); how
    # many pictures this host composes or tile pyramids it cuts at once, across all its
    # processes (tiles already cut are sent without one; past that, 503 with Retry-After);
    # and how long browsers and proxies may keep a public IIIF response, in seconds.
    IIIF_MAX_AREA = 4096 * 4096
    IIIF_CONCURRENCY = max(1, (os.cpu_count() or 2) // 2)
    IIIF_MAX_AGE = 3600
    # Manifests in one IIIF collection of sites; more are split into part collections.
    IIIF_COLLECTION_SIZE = 1000
    # The UTC offset assumed for EXIF capture times that carry none (Azerbaijan time, no DST).
    EXIF_DEFAULT_UTC_OFFSET = "+04:00"
    # The JSON API (flask-smorest) and its OpenAPI document at /api/v1/openapi.json.
    API_TITLE = "heritage"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    # API rate limits (limits' notation: "120 per minute", "10/second;1000/hour"): per client
    # address for anonymous callers, per token for token holders. Over the limit: 429 with
    # Retry-After. Counted in this process's memory unless RATELIMIT_STORAGE_URI names a
    # shared store (e.g. redis://…) for several processes.
    API_RATE_LIMIT_ANONYMOUS = "120 per minute"
    API_RATE_LIMIT_TOKEN = "600 per minute"  # noqa: S105 (a limit, not a secret)
    # OAI-PMH at /oai: records per list response; the namespace of the OAI identifiers
    # (oai:<it>:site/42; default: the host name asked for — set it, so identifiers stay
    # the same behind any address); the address harvesters write to (default:
    # archive@<that namespace>); and the rights statement of the metadata, CC0 by default
    # as aggregators such as Europeana require for metadata (empty: none stated).
    OAI_PAGE_SIZE = 100
    # Who holds the archive, as BagIt packages and backups name it (bag-info.txt).
    SOURCE_ORGANIZATION = "Heritage of Karabakh and East Zangezur"
    OAI_REPOSITORY_ID: str | None = None
    OAI_ADMIN_EMAIL: str | None = None
    METADATA_RIGHTS = "https://creativecommons.org/publicdomain/zero/1.0/"
    # Redis (redis://host:6379/0), for what several app hosts must share: the rate-limit
    # counts of the API and of anonymous search. Unset, each process counts in its memory.
    REDIS_URL: str | None = None
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    # Redis unreachable: count in this process's memory meanwhile and go back to Redis once
    # it answers (Flask-Limiter's fallback; the wait for an answer is set in configure()).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True


def configure(app: Flask, overrides: dict | None, *, instance_given: bool = True) -> None:
    """Load defaults, then HERITAGE_* variables, then `overrides`; derive what is left."""
    app.config.from_object(Config)
    app.config.from_prefixed_env("HERITAGE")
    if overrides:
        app.config.update(overrides)

    _check_numbers(app.config)
    instance = Path(app.instance_path)
    # The command line says where a new instance folder went (heritage/cli.py).
    app.extensions["heritage.instance_created"] = not instance.is_dir()
    instance.mkdir(parents=True, exist_ok=True)
    config = app.config
    config["DATABASE_URL"] = config["DATABASE_URL"] or f"sqlite:///{instance / 'heritage.db'}"
    media = config["MEDIA_ROOT"] or default_media_root(instance, instance_given)
    config["MEDIA_ROOT"] = str(Path(media).resolve())
    config["INDEX_DIR"] = str(Path(config["INDEX_DIR"] or instance / "index").resolve())
    config["SECRET_KEY"] = config["SECRET_KEY"] or _instance_secret_key(instance)
    config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(config["DATABASE_URL"])
    _choose_search_backend(config)
    if config["REDIS_URL"] and config["RATELIMIT_STORAGE_URI"] == Config.RATELIMIT_STORAGE_URI:
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    # A stopped Redis costs a request at most half a second, never a stall.
    config.setdefault(
        "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    )


def _choose_search_backend(config) -> None:
    on_postgres = config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    backend = config["SEARCH_BACKEND"] or ("postgresql" if on_postgres else "whoosh")
    if backend not in ("whoosh", "postgresql"):
        raise ValueError(f"HERITAGE_SEARCH_BACKEND must be whoosh or postgresql, not {backend!r}")
    if backend == "postgresql" and not on_postgres:
        raise ValueError("HERITAGE_SEARCH_BACKEND=postgresql needs a PostgreSQL database")
    config["SEARCH_BACKEND"] = backend


# Settings that may be 0 (off, or no proxy in front); every other number must be positive.
_MAY_BE_ZERO = {"PUBLIC_MAX_AGE", "PUBLIC_PAGE_CACHE_BYTES", "PUBLIC_REVISION_TTL", "PROXY_HOPS"}


class ConfigError(ValueError):
    """A setting the archive cannot start with; the message names the variable."""


def _check_numbers(config) -> None:
    """Refuse at start-up a numeric setting that is not a number in its range, instead of
    failing on every request that uses it."""
    for name, default in vars(Config).items():
        if not name.isupper() or isinstance(default, bool):
            continue
        if not isinstance(default, int | float):
            continue
        value = config[name]
        kind = "a whole number" if isinstance(default, int) else "a number"
        least = 0 if name in _MAY_BE_ZERO else 1 if isinstance(default, int) else 0.001
        wrong_type = isinstance(value, bool) or not isinstance(value, int | float)
        if wrong_type or (isinstance(default, int) and not isinstance(value, int)):
            raise ConfigError(f"HERITAGE_{name} must be {kind}, not {value!r}.")
        if value < least:
            raise ConfigError(f"HERITAGE_{name} must be at least {least}, not {value!r}.")


def _instance_secret_key(instance: Path) -> str:
    """Read the instance's secret key, creating a random one (readable by the owner only) once."""
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    return key


def _normalise_database_url(url: str) -> str:
    """Let people write postgres:// or postgresql:// and get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
