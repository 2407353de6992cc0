"""Engine set-up shared by every entry point: safe SQLite and write transactions."""

from __future__ import annotations

from sqlalchemy import Engine, event

from heritage.extensions import db


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
        mode = "IMMEDIATE" if conn.get_execution_options().get("writes") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def in_write_transaction() -> bool:
    """Whether the session is inside a transaction opened by `begin_write`."""
    session = db.session()
    return session.in_transaction() and bool(
        session.connection().get_execution_options().get("writes")
    )


def begin_write() -> None:
    """Start the session's write transaction (on SQLite: BEGIN IMMEDIATE).

    Any read-only transaction still open (a page that looked up the signed-in user, say) is
    ended first, so the service re-reads everything under the write lock.
    """
    session = db.session()
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={"writes": True})
