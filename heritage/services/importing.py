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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import BadZipFile

from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import RestorationRecord, Site, User
from heritage.schemas import RestorationInput, SiteInput
from heritage.schemas.fields import Code
from heritage.search.translit import fold
from heritage.services import audit, restorations, sites
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


@dataclass
class ImportReport:
    dry_run: bool
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
) -> ImportReport:
    """Import the table in `stream` (its `filename` tells CSV from XLSX) as `actor`."""
    require(actor, "site.create")
    if submit:  # imported rows are drafts unless an editor sends them for review
        require(actor, "site.publish")
    report = ImportReport(dry_run=dry_run)
    try:
        header, rows = _read(stream, filename)
    except FileRefused as refusal:
        report.problems.append(Problem(0, "", "", refusal.args[0]))
        return report
    report.problems += _check_header(header)
    if report.problems:
        return report
    # Sites first, so records may name sites created by the same file.
    ordered = sorted(
        rows, key=lambda row: row[1].get("kind", "").strip().lower() in ("record", "restoration")
    )
    try:
        with write_transaction():
            for number, cells in ordered:
                _import_row(report, number, cells, actor=actor, submit=submit)
            if dry_run or (report.problems and not skip_invalid):
                raise _Undo
    except _Undo:
        return report
    report.written = True
    return report


# --- reading ---------------------------------------------------------------------------------


def _read(stream: BinaryIO, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if Path(filename or "").suffix.lower() == ".xlsx":
        table = _xlsx_rows(stream)
    else:
        table = _csv_rows(stream)
    try:
        header = [str(name or "").strip().lower() for name in next(table)]
    except StopIteration:
        raise FileRefused(
            N_("The file is empty: it needs a header row and one row per record.")
        ) from None
    rows = []
    for number, values in enumerate(table, 2):
        cells = {name: value for name, value in zip(header, values, strict=False) if name}
        if any(value.strip() for value in cells.values()):
            rows.append((number, cells))
    return header, rows


def _csv_rows(stream: BinaryIO) -> Iterator[list[str]]:
    raw = stream.read()
    encoding = "utf-16" if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise FileRefused(
            N_('The file is not UTF-8 text. Save it as "CSV UTF-8" (or as XLSX) and try again.')
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            yield [
                _FormulaCell(value) if value.startswith("=") else _cell(value, reader.line_num)
                for value in values
            ]
    except csv.Error as error:
        said = Message(
            N_("Line %(line)s cannot be read: %(error)s."),
            {"line": reader.line_num, "error": str(error)},
        )
        raise FileRefused(said) from None


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
) -> None:
    kind = KINDS.get(cells.get("kind", "").strip().lower() or "site")
    if kind is None:
        report.problems.append(
            Problem(number, "kind", cells["kind"], N_("Must be site or record."))
        )
        return
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
        return
    savepoint = db.session.begin_nested()
    try:
        outcome = (_site_row if kind == "site" else _record_row)(
            number, cells, actor=actor, submit=submit
        )
    except ValidationError as error:
        savepoint.rollback()
        report.problems += _field_problems(number, cells, error)
        return
    except ServiceError as error:
        savepoint.rollback()
        report.problems.append(Problem(number, "", "", error.message))
        return
    savepoint.commit()
    report.outcomes.append(outcome)


def _site_row(number: int, cells: dict[str, str], *, actor: User, submit: bool) -> Outcome:
    values = _values(SiteInput(), cells)
    existing = _find_site(values.get("inventory_number"), values.get("slug"))
    if existing is None:
        created = sites.create_site(values, actor=actor)
        if submit:
            sites.submit_site(created.id, actor=actor, version=created.version)
        return Outcome(number, "site", "create", created.slug)
    changes = _update(sites.update_site, existing, values, cells, actor)
    return Outcome(number, "site", "update" if changes else "unchanged", existing.slug, changes)


def _record_row(number: int, cells: dict[str, str], *, actor: User, submit: bool) -> Outcome:
    reference = cells.get("site", "").strip()
    site = _find_site(reference, reference) if reference else None
    if site is None:
        raise ValidationError({"site": [N_("No site has this inventory number or address.")]})
    values = _values(RestorationInput(), cells)
    titles = {name: values[name] for name in values if name.startswith("title")}
    existing = db.session.scalar(
        select(RestorationRecord).filter_by(site_id=site.id, **titles)
    ) if titles else None  # fmt: skip
    key = f"{site.slug}: {next(iter(titles.values()), '')}"
    if existing is None:
        created = restorations.create_record(site.id, values, actor=actor)
        if submit:
            restorations.submit_record(created.id, actor=actor, version=created.version)
        return Outcome(number, "record", "create", key)
    changes = _update(restorations.update_record, existing, values, cells, actor)
    return Outcome(number, "record", "update" if changes else "unchanged", key, changes)


def _update(save, entity, values: dict, cells: dict[str, str], actor: User) -> dict:
    before = audit.snapshot(entity, list(values))
    version = (
        int(cells["version"]) if cells.get("version", "").strip().isdigit() else entity.version
    )
    saved = save(entity.id, values, actor=actor, version=version)
    return audit.diff(before, audit.snapshot(saved, list(values)))


def _find_site(inventory_number: str | None, slug: str | None) -> Site | None:
    if inventory_number:
        found = db.session.scalar(select(Site).where(Site.inventory_number == inventory_number))
        if found is not None:
            return found
    if slug:
        return db.session.scalar(select(Site).where(Site.slug == slug))
    return None


def _values(schema, cells: dict[str, str]) -> dict[str, Any]:
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


def _field_problems(number: int, cells: dict[str, str], error: ValidationError) -> list[Problem]:
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
