"""`heritage fixity` and `heritage derivatives`: looking after the media folder."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from heritage.models import FixityRun


def _progress(length: int, label: str):
    # On stderr, so `--json` output on stdout stays parseable.
    return click.progressbar(length=length, label=label, file=sys.stderr)


@click.command("fixity")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@with_appcontext
def fixity(as_json: bool) -> None:
    """Re-hash every original; report (and record) any changed, missing or untracked.

    Nothing is repaired. Exits with 1 when anything is wrong, so schedulers can alert.
    """
    from heritage.services import photos

    with _progress(photos.fixity_bytes(), "Checking originals") as bar:
        run = photos.check_fixity(progress=bar.update)
    if as_json:
        click.echo(json.dumps(_as_dict(run), indent=2))
    else:
        _print_report(run)
    sys.exit(0 if run.ok else 1)


@click.command("derivatives")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Remake every derivative and drop those of unknown originals, not only what is missing.",
)
@with_appcontext
def derivatives(rebuild: bool) -> None:
    """Make the resized copies of each photo that lacks them; --rebuild remakes them all."""
    from heritage.services import photos

    with _progress(photos.photo_count(), "Making derivatives") as bar:
        report = photos.build_derivatives(rebuild=rebuild, progress=bar.update)
    click.echo(
        f"Derivatives: made for {report.built} photos, {report.skipped} already complete, "
        f"{report.removed} sets of unknown originals removed, {len(report.failed)} failed."
    )
    for photo_id, reason in report.failed:
        click.echo(f"photo {photo_id}: {reason}", err=True)
    sys.exit(1 if report.failed else 0)


MEDIA_COMMANDS = (fixity, derivatives)


def _as_dict(run: FixityRun) -> dict:
    return {
        "run": run.id,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "ok": run.ok,
        "photos": run.photos,
        "files": run.files,
        "bytes_read": run.bytes_read,
        "changed": run.changed,
        "missing": run.missing,
        "untracked": run.untracked,
    }


def _print_report(run: FixityRun) -> None:
    when = run.finished_at.strftime("%Y-%m-%d %H:%M UTC")
    click.echo(
        f"Fixity run {run.id} on {when}: {run.photos} photos, {run.files} files, "
        f"{run.bytes_read / 1048576:.1f} MB read."
    )
    for entry in run.changed:
        found = entry["found_sha256"] or "unreadable"
        click.echo(f"CHANGED    photo {entry['photo_id']}: {entry['path']} (now {found})")
    for entry in run.missing:
        click.echo(f"MISSING    photo {entry['photo_id']}: {entry['path']}")
    for entry in run.untracked:
        click.echo(f"UNTRACKED  {entry['path']} (no photo has this file)")
    if run.ok:
        click.echo("Every original is present and unchanged.")
    else:
        problems = len(run.changed) + len(run.missing) + len(run.untracked)
        click.echo(
            f"{problems} problem(s) found and recorded. Nothing was repaired: restore changed "
            "or missing originals from a backup; look into untracked files by hand."
        )
