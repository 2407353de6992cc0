"""`heritage reindex`: rebuild the search index, or apply what the outbox still holds."""

from __future__ import annotations

import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from heritage.search import IndexBusy


@click.command("reindex")
@click.option(
    "--pending",
    is_flag=True,
    help="Only apply the index updates still waiting in the outbox (after a crash, say).",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=None,
    help="Build processes (default: HERITAGE_SEARCH_BUILD_PROCESSES).",
)
@with_appcontext
def reindex(pending: bool, processes: int | None) -> None:
    """Rebuild the search index from the database and swap it in (search keeps working)."""
    from heritage.services import indexing

    if pending:
        waiting = indexing.pending_count()
        applied = indexing.apply_pending(wait=current_app.config["SEARCH_LOCK_WAIT"] * 30)
        left = indexing.pending_count()
        click.echo(
            f"Applied {applied.rows} of {waiting} pending index updates "
            f"({applied.documents} entries); {left} left."
        )
        sys.exit(1 if left else 0)
    total = indexing.count_all()
    started = time.perf_counter()
    with click.progressbar(
        length=max(total, 1),
        label="Indexing",
        show_pos=True,
        item_show_func=lambda rate: rate,
    ) as bar:

        def progress(done: int) -> None:
            elapsed = max(time.perf_counter() - started, 1e-6)
            bar.update(min(done, total) - bar.pos, f"{done / elapsed:,.0f} records/s")

        try:
            count = indexing.rebuild(progress=progress, processes=processes)
        except IndexBusy as error:
            click.echo(f"\nThe index was not rebuilt: {error}.", err=True)
            sys.exit(1)
    elapsed = time.perf_counter() - started
    click.echo(
        f"Indexed {count} records in {elapsed:.1f} s ({count / max(elapsed, 1e-6):,.0f}/s); "
        "the new index is in use."
    )
