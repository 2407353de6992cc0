"""Import runs: each spreadsheet import recorded (who, when, which file by name and SHA-256,
how far it got, what it found and wrote), and the undo of a whole import.

A run is a service-level object with a state, not tied to the request that started it: the
command line, the API and the staff page all make one, and the page follows its progress.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from heritage.extensions import db
from heritage.models import ImportRun, ImportRunEntry, RestorationRecord, Site, User, utcnow
from heritage.schemas import RestorationInput, SiteInput
from heritage.services import audit, outbox, restorations, sites
from heritage.services.errors import Conflict, NotFound
from heritage.services.pagination import Page, paginate
from heritage.services.permissions import require
from heritage.services.transaction import write_transaction
from heritage.text import N_, Message

if TYPE_CHECKING:
    from heritage.services.importing import ImportReport, Written

MODELS = {"site": Site, "record": RestorationRecord}
INPUTS = {"site": SiteInput, "record": RestorationInput}
RESTORE_VERSION = {
    "site": sites.restore_site_version,
    "record": restorations.restore_record_version,
}
# A running import whose progress has not moved for this long has lost its process.
STALLED_AFTER = timedelta(minutes=5)
_CHUNK = 1024 * 1024


def record(
    stream: BinaryIO,
    filename: str,
    *,
    actor: User,
    dry_run: bool,
    skip_invalid: bool = False,
    submit: bool = False,
) -> ImportRun:
    """Record a new import of the file in `stream` (hashed here, read to its end)."""
    require(actor, "site.create")
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    with write_transaction():
        run = ImportRun(
            user_id=actor.id,
            filename=(filename or "")[-255:],
            sha256=digest.hexdigest(),
            size=size,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            submit=submit,
            state="queued",
        )
        db.session.add(run)
    return run


def get_run(run_id: int, *, actor: User) -> ImportRun:
    """One run, for the staff who may import."""
    require(actor, "site.create")
    run = db.session.get(ImportRun, run_id)
    if run is None:
        raise NotFound(N_("No such import."))
    return run


def list_runs(*, actor: User, page: int = 1, per_page: int = 20) -> Page:
    """Every import, newest first."""
    require(actor, "site.create")
    return paginate(select(ImportRun).order_by(ImportRun.id.desc()), page=page, per_page=per_page)


def stalled(run: ImportRun) -> bool:
    """Whether a run that should be moving has not for STALLED_AFTER (its process died)."""
    return run.state in ("queued", "running") and utcnow() - run.progressed_at > STALLED_AFTER


def started(run_id: int, total: int) -> None:
    with write_transaction():
        run = db.session.get(ImportRun, run_id)
        run.state, run.rows_total, run.progressed_at = "running", total, utcnow()


def note(run_id: int, written: list[Written]) -> None:
    """Keep, in the batch's own transaction, what its rows created and updated."""
    db.session.add_all(
        ImportRunEntry(
            run_id=run_id,
            entity_type=item.entity_type,
            entity_id=item.entity_id,
            action=item.action,
            version=item.version,
            version_before=item.version_before,
            changes=item.changes,
        )
        for item in written
    )


def progressed(run_id: int, done: int, report: ImportReport) -> None:
    """Move the run's progress on, for the pages that follow it."""
    with write_transaction():
        run = db.session.get(ImportRun, run_id)
        run.rows_done, run.progressed_at = done, utcnow()
        _count(run, report)


def finish(run_id: int, report: ImportReport) -> ImportReport:
    """Close the run with its outcome and its report."""
    with write_transaction():
        run = db.session.get(ImportRun, run_id)
        if run.state != "undone":
            run.state = "checked" if run.dry_run else ("done" if report.written else "refused")
        run.finished_at = run.progressed_at = utcnow()
        _count(run, report)
        run.report = {
            "outcomes": [_outcome(outcome) for outcome in report.outcomes],
            "problems": [_problem(problem) for problem in report.problems],
        }
    return report


def failed(run_id: int, error: str) -> None:
    """Close a run that an error stopped (the batches it wrote stay, and may be undone)."""
    db.session.rollback()
    with write_transaction():
        run = db.session.get(ImportRun, run_id)
        run.state, run.error = "failed", error[:2000]
        run.finished_at = run.progressed_at = utcnow()


def report_of(run: ImportRun) -> ImportReport:
    """A finished run's report, as the import made it (messages in any language again)."""
    from heritage.services.importing import ImportReport, Outcome, Problem

    stored = run.report or {"outcomes": [], "problems": []}
    return ImportReport(
        dry_run=run.dry_run,
        run_id=run.id,
        written=run.state == "done",
        outcomes=[Outcome(**outcome) for outcome in stored["outcomes"]],
        problems=[
            Problem(item["row"], item["column"], item["value"], _message(item))
            for item in stored["problems"]
        ],
    )


def undo(run_id: int, *, actor: User, rolling_back: bool = False) -> ImportRun:
    """Take back a whole import: remove what it created and bring back the previous version
    of what it updated, as new versions with their audit events.

    Refused (Conflict, listing them) when any of those records changed since, or something
    else now refers to a record it created: nothing is then undone.
    `rolling_back`: the import's own all-or-nothing rule undoing its earlier batches.
    """
    if not rolling_back:
        require(actor, "site.publish")
    with write_transaction():
        run = db.session.get(ImportRun, run_id)
        if run is None:
            raise NotFound(N_("No such import."))
        if not rolling_back and (run.state != "done" or run.dry_run):
            raise Conflict(N_("Only a finished import that wrote something can be undone."))
        entries = db.session.scalars(
            select(ImportRunEntry)
            .where(ImportRunEntry.run_id == run_id)
            .order_by(ImportRunEntry.id.desc())
        ).all()
        conflicts = _conflicts(entries)
        if conflicts:
            raise Conflict(
                Message(
                    N_(
                        "This import cannot be undone: these records changed since it "
                        "(or other records now refer to them): %(records)s. Nothing was undone."
                    ),
                    {"records": ", ".join(conflicts)},
                )
            )
        for entry in entries:  # newest first: a site's records go before the site
            if entry.action == "update":
                RESTORE_VERSION[entry.entity_type](
                    entry.entity_id, entry.version_before, actor=actor, version=entry.version
                )
            else:
                _remove(entry, run, actor=actor)
        run.state = "undone" if not rolling_back else run.state
        run.undone_at, run.undone_by_id = utcnow(), actor.id
    return run


def _conflicts(entries: list[ImportRunEntry]) -> list[str]:
    found = []
    for entry in entries:
        entity = db.session.get(MODELS[entry.entity_type], entry.entity_id)
        if entity is None or entity.version != entry.version:
            found.append(f"{entry.entity_type} {entry.entity_id}")
    return found


def _remove(entry: ImportRunEntry, run: ImportRun, *, actor: User) -> None:
    """Remove a record the import created, keeping its last values in the audit trail."""
    model = MODELS[entry.entity_type]
    entity = db.session.get(model, entry.entity_id)
    # What people wrote (the input schema's fields), not the derived columns (sort keys).
    fields = [name for name in INPUTS[entry.entity_type]().fields if hasattr(entity, name)]
    last = audit.snapshot(entity, ["status", *fields])
    try:
        with db.session.begin_nested():
            db.session.execute(delete(model).where(model.id == entity.id))
    except IntegrityError:
        raise Conflict(
            Message(
                N_(
                    "This import cannot be undone: other records now refer to %(record)s. "
                    "Nothing was undone."
                ),
                {"record": f"{entry.entity_type} {entry.entity_id}"},
            )
        ) from None
    db.session.expunge(entity)
    audit.record_event(
        entry.entity_type,
        entry.entity_id,
        "import_undone",
        actor=actor,
        changes={name: [value, None] for name, value in last.items() if value is not None},
        note=f"Import {run.id} ({run.filename}) undone",
        version=entry.version,
        public=False,
    )
    outbox.enqueue(entry.entity_type, entry.entity_id)


def _count(run: ImportRun, report: ImportReport) -> None:
    counts = report.counts
    run.created, run.updated = counts["created"], counts["updated"]
    run.unchanged, run.problems = counts["unchanged"], counts["problems"]


def _outcome(outcome) -> dict[str, Any]:
    return {
        "row": outcome.row,
        "kind": outcome.kind,
        "action": outcome.action,
        "key": outcome.key,
        "changes": audit.jsonable(outcome.changes),
    }


def _problem(problem) -> dict[str, Any]:
    said = problem.message
    template, params = (
        (said.template, dict(said.params)) if isinstance(said, Message) else (str(said), {})
    )
    return {
        "row": problem.row,
        "column": problem.column,
        "value": str(problem.value)[:500],
        "template": template,
        "params": {name: _plain(value) for name, value in params.items()},
    }


def _plain(value: Any) -> Any:
    """A message's value as JSON keeps it (names by language stay a mapping)."""
    if isinstance(value, dict):
        return {str(key): str(text) for key, text in value.items()}
    return value if isinstance(value, int | float) else str(value)


def _message(item: dict[str, Any]) -> Message:
    return Message(item["template"], item["params"])
