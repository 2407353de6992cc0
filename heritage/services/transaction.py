"""One transaction per use case: begin with the write lock, commit at the end, or undo all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from heritage.db import begin_write, in_write_transaction, is_busy
from heritage.extensions import db
from heritage.services import harvest, outbox, revision
from heritage.services.errors import Busy, Conflict


@contextmanager
def write_transaction(*, lock_wait: float | None = None) -> Iterator[None]:
    """Run a writing use case: all of it commits, or none of it does.

    Nested use (a service calling another) joins the outer transaction, which commits once.
    A lost race (a stale version, an identifier taken meanwhile) becomes a Conflict; a lock
    not granted within `lock_wait` seconds (default: `db.lock_wait_seconds()`) becomes Busy.
    """
    if in_write_transaction():
        yield
        return
    harvest.forget()
    outbox.forget()
    try:
        begin_write(lock_wait=lock_wait)
        yield
        harvest.catch_up()
        _index_in_transaction()
        db.session.commit()
    except OperationalError as error:
        db.session.rollback()
        if is_busy(error):
            raise Busy() from None
        raise
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            "This record was changed by someone else at the same moment. Nothing was saved: "
            "reload it and make your change again."
        ) from None
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            "This change clashes with one saved at the same moment (an identifier already "
            "taken, say). Nothing was saved."
        ) from None
    except BaseException:
        # Also releases SQLite's write lock at once, not when the session is next closed.
        db.session.rollback()
        raise
    finally:
        harvest.forget()
        outbox.forget()
    revision.note_commit()
    _catch_up_search_index()


def _index_in_transaction() -> None:
    """With a backend that indexes in the change's own transaction (PostgreSQL), do so."""
    from heritage.services.indexing import write_in_transaction

    write_in_transaction()


def _catch_up_search_index() -> None:
    """Apply the outbox rows just committed (and any left over) to the search index.

    Never fails or stalls the use case: trouble is logged and the rows wait for the next
    write or `heritage reindex --pending`.
    """
    from heritage.services.indexing import apply_after_commit

    apply_after_commit()
