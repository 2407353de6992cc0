"""Engine set-up shared by every entry point: safe SQLite, write transactions, and how long
a writer waits for a lock before the database counts as busy."""

from __future__ import annotations

from flask import current_app, has_request_context
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from heritage.extensions import db

# PostgreSQL's codes for a lock not granted in time, a statement cancelled by its timeout,
# and a deadlock or serialisation failure: all mean "busy now, try again".
_POSTGRES_BUSY = frozenset({"55P03", "57014", "40P01", "40001"})


def install_sqlite_safety(engine: Engine, busy_timeout_ms: int) -> None:
    """Make SQLite durable and safe under concurrent writers.

    WAL lets readers work while one process writes; synchronous=FULL survives power loss;
    foreign keys are off in SQLite unless asked for. Writers open their transaction with
    BEGIN IMMEDIATE so the read-modify-write of a service holds the write lock from its
    first read: with the default deferred BEGIN, two writers both read, then one fails
    with "database is locked" when upgrading to a write lock, which no busy timeout cures.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            f"busy_timeout={int(busy_timeout_ms)}",
        ):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # Readers stay deferred, so public page views never queue behind each other.
        options = conn.get_execution_options()
        if not options.get("writes"):
            conn.exec_driver_sql("BEGIN DEFERRED")
            return
        wait_ms = options.get("lock_wait_ms", busy_timeout_ms)
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_ms)}")
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_busy(error: BaseException) -> bool:
    """Whether a database error means another transaction held what this one needed for
    longer than it would wait (SQLite's lock, PostgreSQL's lock_timeout and kin)."""
    if not isinstance(error, DBAPIError) or error.orig is None:
        return False
    if getattr(error.orig, "sqlstate", None) in _POSTGRES_BUSY:
        return True
    message = str(error.orig).lower()
    return "database is locked" in message or "database table is locked" in message


def lock_wait_seconds() -> float:
    """How long a writer waits for a lock: briefly in a web or API request (someone waits
    for the answer and the worker serves nobody else meanwhile), longer in a command or in
    background work, on either engine."""
    config = current_app.config
    if has_request_context():
        return config["REQUEST_LOCK_WAIT"]
    return config["SQLITE_BUSY_TIMEOUT_MS"] / 1000


def in_write_transaction() -> bool:
    """Whether the session is inside a transaction opened by `begin_write`."""
    session = db.session()
    return session.in_transaction() and bool(
        session.connection().get_execution_options().get("writes")
    )


def begin_write(*, lock_wait: float | None = None) -> None:
    """Start the session's write transaction (on SQLite: BEGIN IMMEDIATE), waiting at most
    `lock_wait` seconds (default: `lock_wait_seconds()`) for each lock it needs.

    Any read-only transaction still open (a page that looked up the signed-in user, say) is
    ended first, so the service re-reads everything under the write lock.
    """
    session = db.session()
    if session.in_transaction():
        session.rollback()
    wait = lock_wait_seconds() if lock_wait is None else lock_wait
    # At least a millisecond: 0 would mean "wait for ever" to PostgreSQL.
    wait_ms = max(1, round(wait * 1000))
    connection = session.connection(execution_options={"writes": True, "lock_wait_ms": wait_ms})
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")  # this transaction


def upsert(model: type, rows: list[dict]):
    """INSERT … ON CONFLICT for `model` in the bound database's own dialect (both engines
    have it; SQLAlchemy spells it per dialect)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model).values(rows)
