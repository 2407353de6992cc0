"""Import runs: each import recorded with its file's SHA-256 and counts, written a batch
per transaction (others see each batch as it commits), all or nothing across batches, and
undone as a whole."""

from __future__ import annotations

import hashlib
import io

import pytest
from sqlalchemy import func, select, text

from heritage.extensions import db
from heritage.models import AuditEvent, ImportRun, Site
from heritage.services import import_runs, importing, sites
from heritage.services.errors import Conflict, Forbidden

HEADER = "inventory_number,category,site_type,name_az,name_en,district,clearance_status\n"


def row(n: int, district: str = "shusha", name: str | None = None) -> str:
    return f"INV-{n},monument,mosque,Məscid {n},{name or f'Mosque {n}'},{district},cleared\n"


def run(content: str, actor, **options):
    options.setdefault("dry_run", False)
    return importing.import_file(io.BytesIO(content.encode()), "sites.csv", actor=actor, **options)


def committed_sites() -> int:
    """What another connection sees: only what has been committed."""
    with db.engine.connect() as other:
        return other.scalar(text("SELECT count(*) FROM sites"))


@pytest.fixture
def batches_of_two(ctx):
    ctx.config["IMPORT_BATCH_ROWS"] = 2


def test_each_batch_commits_and_the_run_shows_progress(ctx, editor, batches_of_two):
    seen = []
    content = HEADER + "".join(row(n) for n in range(1, 6))
    report = run(content, editor, progress=lambda r: seen.append((r.rows_done, committed_sites())))
    assert report.written
    assert seen == [(2, 2), (4, 4), (5, 5)]
    stored = db.session.get(ImportRun, report.run_id)
    assert (stored.state, stored.rows_total, stored.rows_done, stored.created) == ("done", 5, 5, 5)
    assert stored.sha256 == hashlib.sha256(content.encode()).hexdigest()
    size = len(content.encode())
    assert (stored.filename, stored.size, stored.user_id) == ("sites.csv", size, editor.id)


def test_a_dry_run_commits_nothing_at_any_point(ctx, editor, batches_of_two):
    seen = []
    report = run(HEADER + row(1) + row(2) + row(3), editor, dry_run=True,
                 progress=lambda r: seen.append(committed_sites()))  # fmt: skip
    assert report.count("create") == 3
    assert seen == [0]
    assert committed_sites() == 0
    assert db.session.get(ImportRun, report.run_id).state == "checked"


def test_a_bad_row_in_a_later_batch_takes_back_the_earlier_ones(ctx, editor, batches_of_two):
    content = HEADER + row(1) + row(2) + row(3) + row(4) + row(5, district="atlantis") + row(6)
    report = run(content, editor)
    assert not report.written
    assert [(p.row, p.column, p.value) for p in report.problems] == [(6, "district", "atlantis")]
    assert committed_sites() == 0
    assert db.session.get(ImportRun, report.run_id).state == "refused"
    # The history keeps both the batches written and their removal.
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "site"))
    assert sorted(set(actions)) == ["create", "import_undone"]


def test_undo_removes_what_was_created_and_restores_what_was_updated(ctx, editor):
    existing = sites.create_site(
        {"category": "monument", "site_type": "mosque", "name_en": "Old name",
         "inventory_number": "INV-1", "district": "shusha"}, actor=editor,
    )  # fmt: skip
    report = run(HEADER + row(1, name="New name") + row(2), editor)
    assert [o.action for o in report.outcomes] == ["update", "create"]
    updated_version = db.session.get(Site, existing.id).version

    undone = import_runs.undo(report.run_id, actor=editor)

    assert undone.state == "undone"
    assert undone.undone_by_id == editor.id
    db.session.expire_all()
    site = db.session.get(Site, existing.id)
    assert site.name_en == "Old name"
    assert site.version == updated_version + 1, "restored as a new version"
    assert db.session.scalar(select(Site).filter_by(inventory_number="INV-2")) is None
    removed = db.session.scalar(select(AuditEvent).filter_by(action="import_undone"))
    assert removed.changes["name_en"] == ["Mosque 2", None]
    assert f"Import {report.run_id}" in removed.note
    with pytest.raises(Conflict):
        import_runs.undo(report.run_id, actor=editor)


def test_undo_is_refused_when_a_record_changed_since(ctx, editor):
    report = run(HEADER + row(1) + row(2), editor)
    second = db.session.scalar(select(Site).filter_by(inventory_number="INV-2"))
    sites.update_site(second.id, {"name_en": "Edited since"}, actor=editor, version=second.version)
    with pytest.raises(Conflict) as refused:
        import_runs.undo(report.run_id, actor=editor)
    assert f"site {second.id}" in str(refused.value.message)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Site)) == 2, "nothing undone"
    assert db.session.get(ImportRun, report.run_id).state == "done"


def test_only_editors_and_admins_undo(ctx, editor, restorer):
    report = run(HEADER + row(1), restorer)
    with pytest.raises(Forbidden):
        import_runs.undo(report.run_id, actor=restorer)
    assert import_runs.undo(report.run_id, actor=editor).state == "undone"
