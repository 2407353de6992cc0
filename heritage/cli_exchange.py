"""Commands that move the archive out and back in: BagIt packages, backup and restore."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext


def _step(label: str) -> None:
    click.echo(f"  {label}", err=True)


@click.command("export-bag")
@click.argument("destination", type=click.Path(path_type=Path))
@click.option("--site", "slugs", multiple=True, help="A site's address (slug); repeatable.")
@click.option("--query", help="Every site a staff search finds, its records and photos too.")
@click.option("--all", "everything", is_flag=True, help="Every site of the archive.")
@with_appcontext
def export_bag(destination: Path, slugs: tuple[str, ...], query: str | None, everything: bool):
    """Write sites with their work, photos (originals) and history as a BagIt bag."""
    from heritage.services import bags, packages
    from heritage.services.errors import NotFound

    if sum((bool(slugs), query is not None, everything)) != 1:
        click.echo("Name what to package: --site SLUG (repeatable), --query Q or --all.", err=True)
        sys.exit(2)
    try:
        ids = packages.site_ids(slugs=slugs, query=query, everything=everything)
        if not ids:
            click.echo("No site matches; no bag was written.", err=True)
            sys.exit(1)
        written = packages.export_bag(destination, ids, actor=None)
    except (NotFound, bags.BagProblem) as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(
        f"Wrote {written.path}: {len(ids)} sites, {written.files} files, "
        f"{written.bytes / 2**20:,.1f} MB (SHA-256 and SHA-512 manifests)."
    )


@click.command("backup")
@click.argument("destination", type=click.Path(path_type=Path))
@with_appcontext
def backup(destination: Path) -> None:
    """Write the whole archive (every row, every original) as a BagIt bag, while it serves."""
    from heritage.services import backup as service
    from heritage.services import bags

    try:
        report = service.backup(destination, progress=_step)
    except bags.BagProblem as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(
        f"Backed up {sum(report.rows.values()):,} rows of {len(report.rows)} tables and "
        f"{report.originals} originals ({report.bytes / 2**20:,.1f} MB) to {report.path}."
    )


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path, exists=True, file_okay=False))
@with_appcontext
def restore(source: Path) -> None:
    """Restore a backup into this archive, which must be empty; then rebuild the index and
    the derivatives."""
    from heritage.services import backup as service
    from heritage.services import bags

    try:
        report = service.restore(source, progress=_step)
    except bags.BagProblem as error:
        click.echo(str(error), err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    except service.RestoreRefused as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(
        f"Restored {sum(report.rows.values()):,} rows of {len(report.rows)} tables and "
        f"{report.originals} originals; indexed {report.indexed} records."
    )
    for photo_id, reason in report.derivatives_failed:
        click.echo(f"photo {photo_id}: no derivatives: {reason}", err=True)


@click.command("import")
@click.argument(
    "source", required=False, type=click.Path(path_type=Path, exists=True, dir_okay=False)
)
@click.option("--as", "email", required=True, help="The staff account the import is made as.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows, report the rest.")
@click.option("--submit", is_flag=True, help="Submit the new rows for review (an editor's choice).")
@click.option(
    "--report", type=click.Path(path_type=Path, dir_okay=False), help="Write the report as CSV."
)
@click.option("--undo", "undo_run", type=int, help="Undo the import run with this number.")
@with_appcontext
def import_table(
    source: Path | None,
    email: str,
    dry_run: bool,
    skip_invalid: bool,
    submit: bool,
    report: Path | None,
    undo_run: int | None,
) -> None:
    """Import sites and restoration records from a CSV or XLSX file (see the README), or
    undo an earlier import with --undo RUN."""
    from heritage.services import import_runs, importing
    from heritage.services.errors import ServiceError
    from heritage.services.users import find_user

    user = find_user(email)
    if user is None:
        click.echo(f"No account with the address {email}.", err=True)
        sys.exit(2)
    if (source is None) == (undo_run is None):
        click.echo("Give a file to import, or --undo RUN (not both).", err=True)
        sys.exit(2)
    try:
        if undo_run is not None:
            run = import_runs.undo(undo_run, actor=user)
            click.echo(f"Import {run.id} ({run.filename}) undone.")
            return
        with source.open("rb") as stream:
            result = importing.import_file(
                stream, source.name, actor=user, dry_run=dry_run,
                skip_invalid=skip_invalid, submit=submit, progress=_Progress(),
            )  # fmt: skip
    except ServiceError as error:
        click.echo(str(error.message), err=True)
        sys.exit(2)
    for problem in result.problems:
        where = f"row {problem.row}" + (f", column {problem.column}" if problem.column else "")
        value = f" ({problem.value!r})" if problem.value else ""
        click.echo(f"{where}{value}: {problem.message}", err=True)
    for outcome in result.outcomes:
        if outcome.action != "unchanged":
            changed = ", ".join(outcome.changes)
            click.echo(
                f"row {outcome.row}: {outcome.action} {outcome.kind} {outcome.key}"
                + (f" ({changed})" if changed else "")
            )
    if report is not None:
        report.write_text(result.as_csv(), encoding="utf-8")
    verb = "would be" if dry_run else ("were" if result.written else "would have been")
    click.echo(
        f"{result.count('create')} created, {result.count('update')} updated and "
        f"{result.count('unchanged')} unchanged {verb}; {len(result.problems)} problems."
        + ("" if result.written or dry_run else " Nothing was written.")
        + (f" Import run {result.run_id}." if result.written else "")
    )
    sys.exit(1 if result.problems else 0)


class _Progress:
    """The import's progress on standard error after every batch: rows, share, rate."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, run) -> None:
        total = run.rows_total or 0
        share = f" ({100 * run.rows_done // total}%)" if total else ""
        rate = run.rows_done / max(time.monotonic() - self.started, 1e-6)
        click.echo(
            f"import {run.id}: {run.rows_done}/{total} rows{share}, {rate:.0f} rows/s", err=True
        )


EXCHANGE_COMMANDS = (export_bag, backup, restore, import_table)
