"""Spreadsheet import of sites and restoration records (CSV or XLSX), with a dry run.

A file has one header row of column names as the API names its fields (`name_az`,
`district`, `work_type`, …), then one row per record. A `kind` column says `site` (the
default) or `record`; a record names its site in `site`, by inventory number or address
(slug). Vocabulary cells take the code or the label in any of the three languages, in any
case and with or without diacritics (`Şuşa`, `Shusha`, `Шуша`, `shusha`).

Every row goes through the same services as every other door: schemas, permissions, the
mine-clearance rule, the workflow (rows become drafts; `submit` sends them for review). A
row matches an existing site by inventory number, else by slug, and a record by its site
and title: then only the columns the file has change, an empty cell changes nothing, and a
cell holding only `-` empties the field. An unchanged row writes nothing.

The dry run is the import itself, inside the one transaction of the whole file, undone at
the end: what it reports is what the import would do. The real run is all or nothing
unless `skip_invalid`, which keeps the valid rows (each row is a savepoint).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import BadZipFile

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import ImportRun, RestorationRecord, Site, User
from heritage.schemas import RestorationInput, SiteInput
from heritage.schemas.fields import Code
from heritage.search.translit import fold
from heritage.services import audit, import_runs, restorations, sites
from heritage.services.errors import ServiceError
from heritage.services.permissions import require
from heritage.services.transaction import write_transaction
from heritage.text import N_, Message

CLEAR = "-"
LIST_SEPARATOR = "|"
KINDS = {"site": "site", "record": "record", "restoration": "record"}
SITE_COLUMNS = frozenset(SiteInput().fields) | {"kind", "version"}
RECORD_COLUMNS = frozenset(RestorationInput().fields) | {"kind", "version", "site"}
# Larger cells are refused as they are read, before a schema sees them.
MAX_CELL = 100_000


@dataclass(frozen=True)
class Problem:
    """What is wrong where: row 0 is the file itself, row 1 its header."""

    row: int
    column: str
    value: str
    message: str | Message


@dataclass(frozen=True)
class Outcome:
    row: int
    kind: str
    action: str  # "create", "update" or "unchanged"
    key: str
    changes: dict[str, list[Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """A record a row created or updated, as the run keeps it for an undo."""

    entity_type: str
    entity_id: int
    action: str
    version: int
    version_before: int | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, entity, action: str, before: int | None = None, changes=None) -> Written:
        kind = "site" if isinstance(entity, Site) else "record"
        return cls(kind, entity.id, action, entity.version, before, changes or {})


@dataclass
class ImportReport:
    dry_run: bool
    run_id: int | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def counts(self) -> dict[str, int]:
        """How many rows were (or would be) created, updated, unchanged, and the problems."""
        return {
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "problems": len(self.problems),
        }

    @property
    def succeeded(self) -> bool:
        """Written, or a dry run that found nothing wrong: what the edges answer 200 for."""
        return self.written or (self.dry_run and not self.problems)

    def as_csv(self, say=str) -> str:
        """Every outcome and problem, one a line, for a spreadsheet; `say` puts a message
        in the reader's language."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["row", "kind", "outcome", "record", "column", "value", "message"])
        for outcome in self.outcomes:
            changed = "; ".join(
                f"{name}: {old!r} → {new!r}" for name, (old, new) in outcome.changes.items()
            )
            writer.writerow(
                [outcome.row, outcome.kind, outcome.action, outcome.key, "", "", changed]
            )
        for problem in self.problems:
            writer.writerow(
                [
                    problem.row,
                    "",
                    "problem",
                    "",
                    problem.column,
                    _safe(problem.value),
                    say(problem.message),
                ]
            )
        return "\ufeff" + buffer.getvalue()


def report_filename() -> str:
    """The name a downloaded report is saved under: the import's date and time."""
    return f"heritage-import-report-{datetime.now(UTC).strftime('%Y-%m-%d-%H%M')}.csv"


class _Undo(Exception):
    """Raised to undo the whole transaction (a dry run, or a file with problems)."""


class FileRefused(Exception):
    """A file that cannot be read as a table at all."""


def import_file(
    stream: BinaryIO,
    filename: str,
    *,
    actor: User,
    dry_run: bool,
    skip_invalid: bool = False,
    submit: bool = False,
    progress: Callable[[ImportRun], None] | None = None,
) -> ImportReport:
    """Import the table in `stream` (its `filename` tells CSV from XLSX) as `actor`,
    recorded as an import run; `progress` is called with the run after every batch. A ZIP
    is photos in bulk (services/photo_import)."""
    if is_photo_zip(filename):
        from heritage.services import photo_import

        return photo_import.import_zip(stream, actor=actor, dry_run=dry_run)
    run = import_runs.record(
        stream, filename, actor=actor, dry_run=dry_run, skip_invalid=skip_invalid, submit=submit
    )
    return run_import(run.id, stream, actor=actor, progress=progress)


def is_photo_zip(filename: str | None) -> bool:
    """Whether the file is a ZIP of photos rather than a table."""
    return Path(filename or "").suffix.lower() == ".zip"


def import_in_background(
    stream: BinaryIO,
    filename: str,
    *,
    actor: User,
    skip_invalid: bool = False,
    submit: bool = False,
) -> ImportRun:
    """Record a real import and carry it out on a thread of its own; the run it returns
    shows its progress, then its report. The file waits in the instance folder meanwhile."""
    run = import_runs.record(
        stream, filename, actor=actor, dry_run=False, skip_invalid=skip_invalid, submit=submit
    )
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    path = folder / f"run-{run.id}{Path(filename).suffix.lower()[:8]}"
    stream.seek(0)
    with path.open("wb") as copy:
        shutil.copyfileobj(stream, copy)
    app = current_app._get_current_object()
    threading.Thread(
        target=_run_in_background, args=(app, run.id, path, actor.id), daemon=True,
        name=f"import-{run.id}",
    ).start()  # fmt: skip
    return run


def _run_in_background(app, run_id: int, path: Path, actor_id: int) -> None:
    with app.app_context():
        try:
            with path.open("rb") as stream:
                run_import(run_id, stream, actor=db.session.get(User, actor_id))
        except Exception as error:  # the run says it stopped; the log has why
            app.logger.exception("import run %s stopped", run_id)
            import_runs.failed(run_id, f"{type(error).__name__}: {error}")
        finally:
            path.unlink(missing_ok=True)
            db.session.remove()


def run_import(
    run_id: int,
    stream: BinaryIO,
    *,
    actor: User,
    progress: Callable[[ImportRun], None] | None = None,
) -> ImportReport:
    """Carry out the recorded import `run_id` on its file's content in `stream`.

    The file is read three times, a row at a time (memory does not grow with it): to count
    and check it, for its site rows, then for its record rows (so that records may name
    sites created by the same file). A real run writes a batch of IMPORT_BATCH_ROWS rows
    per transaction; when a row has a problem (and not `skip_invalid`) its batch and the
    rest are undone, and so are the batches already written, through the run's undo. A dry
    run is all of it in one transaction, undone at its end.
    """
    run = db.session.get(ImportRun, run_id)
    require(actor, "site.create")
    if run.submit:  # imported rows are drafts unless an editor sends them for review
        require(actor, "site.publish")
    report = ImportReport(dry_run=run.dry_run, run_id=run.id)
    try:
        header, total = _survey(stream, run.filename)
    except FileRefused as refusal:
        report.problems.append(Problem(0, "", "", refusal.args[0]))
        return import_runs.finish(run.id, report)
    report.problems += _check_header(header)
    if report.problems:
        return import_runs.finish(run.id, report)
    import_runs.started(run.id, total)
    passes = (
        lambda: _rows(stream, run.filename, records=False),
        lambda: _rows(stream, run.filename, records=True),
    )
    size = None if run.dry_run else current_app.config["IMPORT_BATCH_ROWS"]
    batches = _Batches(report, run.id, actor=actor, submit=run.submit, size=size)
    batches.skip_invalid = run.skip_invalid
    for rows in passes:
        batches.write(rows(), progress)
    batches.flush(progress)
    if batches.failed and batches.written:
        # One bad row in a later batch: the earlier ones are taken back as a whole.
        import_runs.undo(run.id, actor=actor, rolling_back=True)
    report.written = bool(batches.written) and not batches.failed
    return import_runs.finish(run.id, report)


class _Batches:
    """Rows written a batch per transaction, each row's created or updated record noted in
    the run, the run's progress moved in the same transaction."""

    skip_invalid = False

    def __init__(self, report, run_id: int, *, actor: User, submit: bool, size: int | None):
        self.report, self.run_id, self.actor, self.submit = report, run_id, actor, submit
        self.size = size  # None: one transaction for everything, undone (a dry run)
        self.pending: list[tuple[int, dict[str, str]]] = []
        self.failed = False  # a problem seen: nothing more is kept
        self.written = 0
        self.done = 0

    def write(self, rows, progress) -> None:
        for row in rows:
            self.pending.append(row)
            # Once failed, the rest is only checked, in one transaction, as a dry run is.
            if self.size is not None and not self.failed and len(self.pending) >= self.size:
                self.flush(progress)

    def flush(self, progress) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        seen = len(self.report.problems)
        try:
            with write_transaction():
                entries = []
                for number, cells in rows:
                    entry = _import_row(
                        self.report, number, cells, actor=self.actor, submit=self.submit
                    )
                    if entry is not None:
                        entries.append(entry)
                problems = len(self.report.problems) > seen
                if problems and not self.skip_invalid:
                    self.failed = True
                if self.size is None or self.failed:
                    raise _Undo
                import_runs.note(self.run_id, entries)
                self.written += len(entries)
        except _Undo:
            pass
        self.done += len(rows)
        import_runs.progressed(self.run_id, self.done, self.report)
        if progress is not None:
            progress(db.session.get(ImportRun, self.run_id))


# --- reading ---------------------------------------------------------------------------------


def _survey(stream: BinaryIO, filename: str) -> tuple[list[str], int]:
    """The file's header and its number of rows, read through once (FileRefused if it
    cannot be read to its end)."""
    stream.seek(0)
    table = read_table(stream, filename)
    header = read_header(table)
    total = sum(1 for values in table if any(str(value).strip() for value in values))
    return header, total


def _rows(stream: BinaryIO, filename: str, *, records: bool) -> Iterator[tuple[int, dict]]:
    """The site rows (or the record rows) of the file, numbered as a spreadsheet shows them."""
    stream.seek(0)
    table = read_table(stream, filename)
    header = read_header(table)
    for number, values in enumerate(table, 2):
        cells = {name: value for name, value in zip(header, values, strict=False) if name}
        if not any(value.strip() for value in cells.values()):
            continue
        kind = cells.get("kind", "").strip().lower()
        if (kind in ("record", "restoration")) == records:
            yield number, cells


def read_table(stream: BinaryIO, filename: str) -> Iterator[list[str]]:
    if Path(filename or "").suffix.lower() == ".xlsx":
        return _xlsx_rows(stream)
    return _csv_rows(stream)


def read_header(table: Iterator[list[str]]) -> list[str]:
    try:
        return [str(name or "").strip().lower() for name in next(table)]
    except StopIteration:
        raise FileRefused(
            N_("The file is empty: it needs a header row and one row per record.")
        ) from None


def _csv_rows(stream: BinaryIO) -> Iterator[list[str]]:
    head = stream.read(2)
    stream.seek(0)
    encoding = "utf-16" if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    # newline="": the csv module sees CR, LF and CRLF endings as they are, quoted ones too.
    text = io.TextIOWrapper(io.BufferedReader(_Source(stream)), encoding=encoding, newline="")
    try:
        first = text.readline()
        delimiter = max((",", ";", "\t"), key=first.count)
        reader = csv.reader(itertools.chain([first] if first else [], text), delimiter=delimiter)
        for values in reader:
            yield [
                _FormulaCell(value) if value.startswith("=") else _cell(value, reader.line_num)
                for value in values
            ]
    except UnicodeDecodeError:
        raise FileRefused(
            N_('The file is not UTF-8 text. Save it as "CSV UTF-8" (or as XLSX) and try again.')
        ) from None
    except csv.Error as error:
        said = Message(
            N_("Line %(line)s cannot be read: %(error)s."),
            {"line": reader.line_num, "error": str(error)},
        )
        raise FileRefused(said) from None


class _Source(io.RawIOBase):
    """Any binary stream (an upload's staging file too) as the io module reads one; closing
    it leaves the caller's stream open for the next pass."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _xlsx_rows(stream: BinaryIO) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(stream, read_only=True, data_only=False)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(
            Message(
                N_("The file is not a readable XLSX workbook (%(error)s)."), {"error": str(error)}
            )
        ) from None
    sheet = book.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(), 1):
        yield [_xlsx_cell(cell, number) for cell in row]
    book.close()


def _xlsx_cell(cell, number: int) -> str:
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return _FormulaCell(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _cell("" if value is None else str(value), number)


def _cell(value: str, number: int) -> str:
    if len(value) > MAX_CELL:
        said = Message(
            N_("Row %(row)s has a cell of %(size)s characters; at most %(most)s."),
            {"row": number, "size": len(value), "most": MAX_CELL},
        )
        raise FileRefused(said)
    return value


class _FormulaCell(str):
    """A cell that held a formula: refused with its row, never evaluated nor stored."""


def _check_header(header: list[str]) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    known = SITE_COLUMNS | RECORD_COLUMNS
    for position, name in enumerate(header, 1):
        if not name:
            problems.append(
                Problem(1, f"#{position}", "", N_("This column has no name in the header row."))
            )
        elif name in seen:
            problems.append(Problem(1, name, name, N_("This column appears twice.")))
        elif name not in known:
            problems.append(
                Problem(1, name, name, N_("No field has this name; see the API's field names."))
            )
        seen.add(name)
    return problems


# --- one row ---------------------------------------------------------------------------------


def _import_row(
    report: ImportReport, number: int, cells: dict[str, str], *, actor: User, submit: bool
) -> Written | None:
    """Import one row into the report; what it wrote, if anything."""
    kind = KINDS.get(cells.get("kind", "").strip().lower() or "site")
    if kind is None:
        report.problems.append(
            Problem(number, "kind", cells["kind"], N_("Must be site or record."))
        )
        return None
    allowed = SITE_COLUMNS if kind == "site" else RECORD_COLUMNS
    problems = [
        Problem(number, name, str(value), N_("This cell holds a formula; enter the value itself."))
        for name, value in cells.items()
        if isinstance(value, _FormulaCell)
    ]
    problems += [
        Problem(
            number,
            name,
            value,
            N_("A site row cannot have this column.")
            if kind == "site"
            else N_("A record row cannot have this column."),
        )
        for name, value in cells.items()
        if value.strip() and name not in allowed
    ]
    if problems:
        report.problems += problems
        return None
    savepoint = db.session.begin_nested()
    try:
        outcome, written = (_site_row if kind == "site" else _record_row)(
            number, cells, actor=actor, submit=submit
        )
    except ValidationError as error:
        savepoint.rollback()
        report.problems += field_problems(number, cells, error)
        return None
    except ServiceError as error:
        savepoint.rollback()
        report.problems.append(Problem(number, "", "", error.message))
        return None
    savepoint.commit()
    report.outcomes.append(outcome)
    return written


def _site_row(number: int, cells: dict[str, str], *, actor: User, submit: bool) -> Outcome:
    values = cell_values(SiteInput(), cells)
    existing = find_site(values.get("inventory_number"), values.get("slug"))
    if existing is None:
        created = sites.create_site(values, actor=actor)
        if submit:
            sites.submit_site(created.id, actor=actor, version=created.version)
        return Outcome(number, "site", "create", created.slug), Written.of(created, "create")
    before = existing.version
    changes = _update(sites.update_site, existing, values, cells, actor)
    outcome = Outcome(number, "site", "update" if changes else "unchanged", existing.slug, changes)
    return outcome, Written.of(existing, "update", before, changes) if changes else None


def _record_row(number: int, cells: dict[str, str], *, actor: User, submit: bool) -> Outcome:
    reference = cells.get("site", "").strip()
    site = find_site(reference, reference) if reference else None
    if site is None:
        raise ValidationError({"site": [N_("No site has this inventory number or address.")]})
    values = cell_values(RestorationInput(), cells)
    titles = {name: values[name] for name in values if name.startswith("title")}
    existing = db.session.scalar(
        select(RestorationRecord).filter_by(site_id=site.id, **titles)
    ) if titles else None  # fmt: skip
    key = f"{site.slug}: {next(iter(titles.values()), '')}"
    if existing is None:
        created = restorations.create_record(site.id, values, actor=actor)
        if submit:
            restorations.submit_record(created.id, actor=actor, version=created.version)
        return Outcome(number, "record", "create", key), Written.of(created, "create")
    before = existing.version
    changes = _update(restorations.update_record, existing, values, cells, actor)
    outcome = Outcome(number, "record", "update" if changes else "unchanged", key, changes)
    return outcome, Written.of(existing, "update", before, changes) if changes else None


def _update(save, entity, values: dict, cells: dict[str, str], actor: User) -> dict:
    before = audit.snapshot(entity, list(values))
    version = (
        int(cells["version"]) if cells.get("version", "").strip().isdigit() else entity.version
    )
    saved = save(entity.id, values, actor=actor, version=version)
    return audit.diff(before, audit.snapshot(saved, list(values)))


def find_site(inventory_number: str | None, slug: str | None) -> Site | None:
    if inventory_number:
        found = db.session.scalar(select(Site).where(Site.inventory_number == inventory_number))
        if found is not None:
            return found
    if slug:
        return db.session.scalar(select(Site).where(Site.slug == slug))
    return None


def cell_values(schema, cells: dict[str, str]) -> dict[str, Any]:
    """The row's cells as input for `schema`: empty cells left out, `-` clearing, lists
    split on `|`, vocabulary labels turned into codes."""
    values: dict[str, Any] = {}
    for name, field_ in schema.fields.items():
        if name not in cells or not cells[name].strip():
            continue
        cell = cells[name].strip()
        if cell == CLEAR:
            values[name] = [] if name == "alternative_names" else None
        elif name == "alternative_names":
            values[name] = [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]
        elif isinstance(field_, Code):
            values[name] = _code(field_.vocabulary, cell)
        else:
            values[name] = cell
    return values


def _code(vocabulary, cell: str) -> str:
    wanted = fold(cell)
    for term in vocabulary:
        if wanted in (fold(term.code), *(fold(label) for label in term.labels().values())):
            return term.code
    return cell  # the schema refuses it, listing the codes it takes


def field_problems(number: int, cells: dict[str, str], error: ValidationError) -> list[Problem]:
    messages = error.normalized_messages()
    found = []
    for name, said in messages.items():
        texts = said if isinstance(said, list) else [str(said)]
        for text in texts:
            # A Message stays one, so each reader gets it in their language.
            said = text if isinstance(text, Message) else str(text)
            found.append(Problem(number, name, cells.get(name, ""), said))
    return found


def _safe(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
