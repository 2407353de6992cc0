"""A whole archive as one BagIt bag, and back: every row of every table and every original.

The backup reads the database in one snapshot (a read transaction: SQLite's WAL keeps it
consistent while others write; PostgreSQL's REPEATABLE READ does the same), so the archive
keeps serving and saving meanwhile. Rows are written as JSON lines, one file per table,
with each column's kind, by this code on both databases: a backup of SQLite restores into
PostgreSQL and the other way round. Originals are copied with their SHA-256 checked.

A restore checks every file of the bag first (naming each wrong one), refuses an archive
that is not empty, brings the schema to the backup's migration, loads the rows as they
were, migrates to today's schema, puts the originals in place through the media store, and
rebuilds what is derived from them: the search index and the derivatives.
"""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import Connection, MetaData, Table, bindparam, func, select, text
from sqlalchemy import types as sqltypes
from sqlalchemy.schema import sort_tables_and_constraints

from heritage.extensions import db
from heritage.media.storage import file_sha256
from heritage.services import bags

FORMAT = "heritage-backup/1"
BATCH = 1000
_SKIPPED = {"alembic_version", "sqlite_sequence"}


class RestoreRefused(Exception):
    """A restore that would lose or mix data; nothing was written."""


@dataclass
class BackupReport:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    originals: int = 0
    bytes: int = 0


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)
    originals: int = 0
    indexed: int = 0
    derivatives_failed: list[tuple[int, str]] = field(default_factory=list)


# --- backup --------------------------------------------------------------------------------


def backup(destination: Path, *, progress: Callable[[str], None] | None = None) -> BackupReport:
    """Write the archive as a bag at `destination`, a folder that must not exist yet."""
    report = BackupReport(Path(destination))
    note = progress or (lambda _step: None)

    def fill(folder: Path) -> None:
        database = folder / "database"
        database.mkdir()
        with _snapshot() as connection:
            tables = _tables(connection)
            schema = {
                "format": FORMAT,
                "revision": _revision(connection),
                "database": connection.dialect.name,
                "taken_at": datetime.now(UTC).isoformat(),
                "tables": [],
            }
            for table in tables:
                note(f"table {table.name}")
                columns = [(column.name, _kind(column.type)) for column in table.columns]
                count = _write_rows(connection, table, columns, database / f"{table.name}.jsonl")
                schema["tables"].append({"name": table.name, "columns": columns, "rows": count})
                report.rows[table.name] = count
            hashes = [row[0] for row in connection.execute(text("SELECT sha256 FROM photos"))]
        (database / "schema.json").write_text(json.dumps(schema, indent=1), encoding="utf-8")
        note(f"{len(hashes)} originals")
        report.originals = _copy_originals(hashes, folder / "originals")

    written = bags.write_bag(Path(destination), fill, bags.bag_info("Backup of the whole archive"))
    report.bytes = written.bytes
    return report


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A connection reading the whole database as of one moment, writing nothing."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


def _tables(connection: Connection) -> list[Table]:
    """Every table of the archive as the database has it, parents before children."""
    return [table for table, _late in _load_order(connection)]


def _load_order(connection: Connection) -> list[tuple[Table, set[str]]]:
    """The tables, parents before children, each with the columns of its foreign keys that
    close a cycle (a site's cover photo is one of its photos): those are filled in once
    every row is in."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    tables = [table for table in metadata.tables.values() if table.name not in _SKIPPED]
    references = {
        table.name: {fk.column.table.name for fk in table.foreign_keys} for table in tables
    }

    def closes_cycle(fkc) -> bool:
        # A key that may be empty and leads back to its own table waits; every other one
        # must be in place first.
        nullable = all(column.nullable for column in fkc.columns)
        return bool(nullable and _reaches(references, fkc.referred_table.name, fkc.table.name))

    ordered = sort_tables_and_constraints(tables, filter_fn=closes_cycle)
    late: dict[str, set[str]] = {}
    for fkc in ordered[-1][1] if ordered and ordered[-1][0] is None else ():
        late.setdefault(fkc.table.name, set()).update(column.name for column in fkc.columns)
    return [(table, late.get(table.name, set())) for table, _fkcs in ordered if table is not None]


def _reaches(references: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name == goal:
            return True
        if name not in seen:
            seen.add(name)
            todo += references.get(name, ())
    return False


def _revision(connection: Connection) -> str:
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def _kind(column_type: sqltypes.TypeEngine) -> str:
    """How a column's values are written as JSON and read back."""
    for kind, types in (
        ("datetime", sqltypes.DateTime),
        ("date", sqltypes.Date),
        ("json", sqltypes.JSON),
        ("bytes", sqltypes.LargeBinary),
    ):
        if isinstance(column_type, types):
            return kind
    return "plain"


def _write_rows(connection, table: Table, columns, path: Path) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in result:
            values = [_encode(v, kind) for v, (_name, kind) in zip(row, columns, strict=True)]
            handle.write(json.dumps(values, ensure_ascii=False) + "\n")
            count += 1
    return count


def _encode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind in ("datetime", "date"):
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(value).decode()
    return value


def _decode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value)
    return value


def _copy_originals(hashes: list[str], target: Path) -> int:
    from heritage.services.photos import media_store

    store = media_store()
    for sha256 in hashes:
        source = store.original_path(sha256)
        destination = target / sha256[:2] / sha256[2:4] / sha256
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source, destination)
        except FileNotFoundError:
            raise bags.BagProblem(
                f"The original {sha256} is missing from the media folder; nothing was backed "
                "up. Run `heritage fixity` to see every missing or damaged original."
            ) from None
        if file_sha256(destination) != sha256:
            raise bags.BagProblem(
                f"The original {sha256} is damaged in the media folder; nothing was backed "
                "up. Run `heritage fixity` to see every missing or damaged original."
            )
    return len(hashes)


# --- restore -------------------------------------------------------------------------------


def restore(source: Path, *, progress: Callable[[str], None] | None = None) -> RestoreReport:
    """Restore the bag at `source` into this (empty) archive."""
    note = progress or (lambda _step: None)
    source = Path(source)
    note("checking the bag")
    bags.verify(source)
    schema = _read_schema(source / "data" / "database" / "schema.json")
    _require_empty()
    report = RestoreReport()
    note(f"schema at {schema['revision']}")
    upgrade(revision=schema["revision"])
    with db.engine.begin() as connection:
        order = {table.name: (table, late) for table, late in _load_order(connection)}
        filled_later: list[tuple[Table, str, list[dict]]] = []
        for entry in schema["tables"]:
            if entry["name"] not in order:
                raise RestoreRefused(f"The backup has a table {entry['name']!r} unknown here.")
            table, late = order[entry["name"]]
            note(f"table {entry['name']}")
            path = source / "data" / "database" / f"{entry['name']}.jsonl"
            count, later = _load_rows(connection, table, entry["columns"], path, late)
            report.rows[entry["name"]] = count
            filled_later += [(table, column, values) for column, values in later.items()]
        for table, column, values in filled_later:
            connection.execute(
                table.update().where(table.c.id == bindparam("row_id")),
                [{"row_id": row_id, column: value} for row_id, value in values],
            )
        if connection.dialect.name == "postgresql":
            _advance_sequences(connection, [table for table, _late in order.values()])
    db.session.remove()
    note("schema to today's")
    upgrade()
    note("originals")
    report.originals = _restore_originals(source / "data" / "originals")
    _rebuild_derived(report, note)
    return report


def _read_schema(path: Path) -> dict:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise RestoreRefused(f"{path} is missing or unreadable: no heritage backup.") from None
    if schema.get("format") != FORMAT:
        raise RestoreRefused(f"{path} is not a {FORMAT} backup.")
    return schema


def _require_empty() -> None:
    """Refuse to restore over anything: every table empty (or none yet), no originals."""
    with db.engine.connect() as connection:
        busy = [
            f"{table.name} ({count} rows)"
            for table in _tables(connection)
            if (count := connection.execute(select(func.count()).select_from(table)).scalar())
        ]
    if busy:
        raise RestoreRefused(
            "This archive is not empty, and a restore never writes over one: "
            + ", ".join(busy)
            + ". Restore into a new database and media folder."
        )
    from heritage.services.photos import media_store

    originals = media_store().originals
    if originals.exists() and any(path.is_file() for path in originals.rglob("*")):
        raise RestoreRefused(
            f"The media folder already holds originals ({originals}); restore into an empty one."
        )


def _load_rows(connection: Connection, table: Table, columns, path: Path, late: set[str]):
    """Insert a table's rows in batches; the `late` columns go in empty, and are returned
    as {column: [(id, value), …]} to be filled in when every table is loaded."""
    names = [name for name, _kind in columns]
    missing = [name for name in names if name not in table.columns]
    if missing:
        raise RestoreRefused(f"The table {table.name} here has no column {', '.join(missing)}.")
    count = 0
    later: dict[str, list] = {column: [] for column in late}
    for batch in _batches(path, columns):
        for row in batch:
            for column in late:
                if row.get(column) is not None:
                    later[column].append((row["id"], row[column]))
                    row[column] = None
        connection.execute(table.insert(), batch)
        count += len(batch)
    return count, {column: values for column, values in later.items() if values}


def _batches(path: Path, columns) -> Iterator[list[dict]]:
    batch: list[dict] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            values = json.loads(line)
            batch.append(
                {name: _decode(v, kind) for (name, kind), v in zip(columns, values, strict=True)}
            )
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _advance_sequences(connection: Connection, tables) -> None:
    """PostgreSQL hands out ids from sequences, which rows inserted with their ids skip."""
    for table in tables:
        if "id" not in table.columns or not isinstance(table.c.id.type, sqltypes.Integer):
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar()
        if sequence:
            highest = select(func.max(table.c.id)).scalar_subquery()
            connection.execute(
                select(func.setval(sequence, func.coalesce(highest, 1), highest.is_not(None)))
            )


def _restore_originals(folder: Path) -> int:
    from heritage.services.photos import media_store

    store = media_store()
    count = 0
    if not folder.exists():
        return 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            staged = store.receive(handle)
        try:
            if staged.sha256 != path.name:
                raise RestoreRefused(f"{path} does not hold the original its name says.")
            store.keep_original(staged)
        finally:
            staged.close()
        count += 1
    return count


def _rebuild_derived(report: RestoreReport, note: Callable[[str], None]) -> None:
    from heritage.services import indexing, photos

    note("search index")
    report.indexed = indexing.rebuild()
    note("derivatives")
    report.derivatives_failed = photos.build_derivatives(rebuild=False).failed
