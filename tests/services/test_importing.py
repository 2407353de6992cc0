"""Spreadsheet import: the dry run reports exactly what the import does and writes nothing;
a real run is all or nothing; a re-import changes nothing; hostile spreadsheets are
refused with row, column and value, and leave the archive as it was."""

from __future__ import annotations

import io
from datetime import datetime
from importlib import resources

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import AuditEvent, RestorationRecord, Site
from heritage.services import importing

HEADER = (
    "inventory_number,slug,category,site_type,name_az,name_en,name_ru,district,clearance_status"
)
ROW = (
    "INV-1,ganja-gate,monument,mosque,Gəncə qapısı,Ganja Gate,Гянджинские ворота,{district},cleared"
)


def run(text: str | bytes, actor, filename: str = "sites.csv", **options):
    data = text.encode("utf-8") if isinstance(text, str) else text
    options.setdefault("dry_run", False)
    return importing.import_file(io.BytesIO(data), filename, actor=actor, **options)


def state() -> tuple[int, int, int]:
    """What a write would change: sites, records and audit events."""
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Site, RestorationRecord, AuditEvent)
    )


def problems(report) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.value) for p in report.problems]


def test_the_sample_file_imports_cleanly(ctx, editor):
    sample = resources.files("heritage.demo").joinpath("import-sample.csv").read_bytes()
    report = run(sample, editor, filename="import-sample.csv")
    assert report.problems == []
    assert (report.count("create"), report.written) == (3, True)
    bridge = db.session.scalar(select(Site).filter_by(inventory_number="IMP-0001"))
    assert (bridge.category, bridge.site_type, bridge.district) == ("monument", "bridge", "khojaly")
    assert bridge.status == "draft"
    assert [r.title for r in bridge.records] == ["Survey of the sample bridge (import)"]


def test_a_dry_run_reports_what_the_import_does_and_writes_nothing(ctx, editor):
    before = state()
    text = f"{HEADER}\n{ROW.format(district='shusha')}\n"
    dry = run(text, editor, dry_run=True)
    assert state() == before
    assert (dry.written, dry.count("create"), dry.problems) == (False, 1, [])
    real = run(text, editor)
    assert real.written
    assert [(o.action, o.key) for o in real.outcomes] == [(o.action, o.key) for o in dry.outcomes]


def test_vocabulary_cells_take_codes_or_labels_in_any_language_case_or_accent(ctx, editor):
    lines = [HEADER] + [
        ROW.format(district=spelling)
        .replace("INV-1", f"INV-{n}")
        .replace("ganja-gate", f"gate-{n}")
        for n, spelling in enumerate(("Şuşa", "Shusha", "Шуша", "shusha", "SUSA"))
    ]
    report = run("\n".join(lines), editor)
    assert report.problems == []
    districts = set(db.session.scalars(select(Site.district)))
    assert districts == {"shusha"}


def test_a_reimport_changes_nothing_and_an_update_only_its_columns(ctx, editor):
    text = f"{HEADER}\n{ROW.format(district='shusha')}\n"
    run(text, editor)
    before = state()
    again = run(text, editor)
    assert [o.action for o in again.outcomes] == ["unchanged"]
    assert state() == before, "an unchanged row writes no version and no audit event"

    update = run("inventory_number,name_en\nINV-1,Ganja Gate of Shusha\n", editor)
    assert [(o.action, o.changes) for o in update.outcomes] == [
        ("update", {"name_en": ["Ganja Gate", "Ganja Gate of Shusha"]})
    ]
    site = db.session.scalar(select(Site).filter_by(inventory_number="INV-1"))
    assert (site.name_az, site.name_ru) == ("Gəncə qapısı", "Гянджинские ворота")

    cleared = run("inventory_number,name_ru,name_en\nINV-1,-,\n", editor)
    assert cleared.outcomes[0].changes == {"name_ru": ["Гянджинские ворота", None]}
    assert db.session.get(Site, site.id).name_en == "Ganja Gate of Shusha", "empty: unchanged"


def test_one_bad_row_writes_nothing_unless_the_valid_ones_are_asked_for(ctx, editor):
    good = ROW.format(district="shusha")
    bad = ROW.format(district="atlantis").replace("INV-1", "INV-2").replace("ganja-gate", "g2")
    text = f"{HEADER}\n{good}\n{bad}\n"
    before = state()
    report = run(text, editor)
    assert (report.written, state()) == (False, before)
    assert problems(report) == [(3, "district", "atlantis")]
    kept = run(text, editor, skip_invalid=True)
    assert kept.written
    assert [o.key for o in kept.outcomes] == ["ganja-gate"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (f"{HEADER},color\n{ROW.format(district='shusha')},red\n", [(1, "color", "color")]),
        (f"{HEADER},name_en\n{ROW.format(district='shusha')},Again\n", [(1, "name_en", "name_en")]),
        (f"{HEADER},\n{ROW.format(district='shusha')},x\n", [(1, "#10", "")]),
        (
            f"{HEADER}\n{ROW.format(district='shusha').replace('Ganja Gate', '=HYPERLINK(1)')}\n",
            [(2, "name_en", "=HYPERLINK(1)")],
        ),
        ("inventory_number,name_en,year_from\nX,A,1.5\n", None),
        (
            "kind,site,title,work_type,work_status,start_date\nrecord,nowhere,T,survey,planned,2026-01-01\n",
            [(2, "site", "nowhere")],
        ),
    ],
)
def test_hostile_headers_and_cells_are_named_and_nothing_is_written(ctx, editor, content, expected):
    before = state()
    report = run(content, editor)
    assert not report.written
    assert report.problems
    if expected is not None:
        assert problems(report) == expected
    assert state() == before


@pytest.mark.parametrize("written", ["13/01/1990", "1990-02-31", "44927"])
def test_dates_only_in_iso_form(ctx, editor, written):
    text = f"{HEADER},clearance_date\n{ROW.format(district='shusha')},{written}\n"
    report = run(text, editor)
    assert problems(report) == [(2, "clearance_date", written)]


def test_spreadsheet_mangling_is_read_right(ctx, editor):
    semicolons = f"{HEADER}\n{ROW.format(district='shusha')}\n".replace(",", ";")
    crlf_bom_cr = ("\ufeff" + f"{HEADER}\r{ROW.format(district='shusha')}\r\r").encode("utf-8")
    for n, content in enumerate((semicolons, crlf_bom_cr)):
        report = run(content, editor, dry_run=True)
        assert report.problems == [], n
        assert report.count("create") == 1, n


def test_a_file_that_is_no_table_is_refused_with_why(ctx, editor):
    latin1 = f"{HEADER}\n{ROW.format(district='shusha')}\n".encode("cp1251", errors="replace")
    assert "UTF-8" in str(run(latin1, editor).problems[0].message)
    huge = f"{HEADER}\n{ROW.format(district='shusha').replace('Ganja Gate', 'x' * 1_000_000)}\n"
    assert "larger" in str(run(huge, editor).problems[0].message)
    assert run(b"", editor).problems[0].row == 0
    assert run(b"not a zip", editor, filename="sites.xlsx").problems[0].row == 0


def test_the_clearance_rule_and_a_stale_version_hold_on_import(ctx, editor, make_site):
    site = make_site(
        clearance_status="suspected", clearance_date=None, inventory_number="UNCLEARED"
    )
    before = state()
    work = (
        "kind,site,title,work_type,work_status,start_date\n"
        "record,UNCLEARED,Walls,conservation,in_progress,2026-01-01\n"
    )
    report = run(work, editor)
    assert report.problems
    assert not report.written
    assert state() == before
    stale = run(f"inventory_number,version,name_en\nUNCLEARED,{site.version + 5},Renamed\n", editor)
    assert stale.problems
    assert not stale.written


def test_xlsx_cells_dates_and_formulas(ctx, editor):
    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER.split(","), "clearance_date"])
    sheet.append([*ROW.format(district="Шуша").split(","), datetime(2021, 3, 1)])
    sheet.append(
        [
            *ROW.format(district="shusha")
            .replace("INV-1", "INV-2")
            .replace("ganja-gate", "g2")
            .split(","),
            "=TODAY()",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(buffer.getvalue(), editor, filename="sites.xlsx", skip_invalid=True)
    assert problems(report) == [(3, "clearance_date", "=TODAY()")]
    site = db.session.scalar(select(Site).filter_by(inventory_number="INV-1"))
    assert (site.district, site.clearance_date.isoformat()) == ("shusha", "2021-03-01")


def test_submit_sends_new_rows_for_review(ctx, editor):
    run(f"{HEADER}\n{ROW.format(district='shusha')}\n", editor, submit=True)
    assert db.session.scalar(select(Site.status)) == "in_review"


def test_the_command_line_and_its_report(runner, ctx, editor, tmp_path):
    source = tmp_path / "sites.csv"
    source.write_text(f"{HEADER}\n{ROW.format(district='atlantis')}\n", encoding="utf-8")
    report_file = tmp_path / "report.csv"
    result = runner.invoke(
        args=[
            "import",
            str(source),
            "--as",
            editor.email,
            "--dry-run",
            "--report",
            str(report_file),
        ]
    )
    assert result.exit_code == 1
    assert "row 2, column district ('atlantis')" in result.output
    assert "district" in report_file.read_text(encoding="utf-8-sig")
    source.write_text(f"{HEADER}\n{ROW.format(district='shusha')}\n", encoding="utf-8")
    done = runner.invoke(args=["import", str(source), "--as", editor.email])
    assert done.exit_code == 0, done.output
    assert "1 created" in done.output
