"""The public counts kept in each change's transaction always equal what the public gate
counts, through every kind of change that moves them, and a recount gives the same."""

from __future__ import annotations

from sqlalchemy import func

from heritage.extensions import db
from heritage.models import RestorationRecord, Site
from heritage.services import counts, public, restorations, sites, surveys
from heritage.services.transaction import write_transaction
from tests.web.test_survey_pages import survey_data


def counted_by_the_gate() -> tuple[dict, dict]:
    db.session.rollback()
    totals = {
        "sites": db.session.scalar(public.published_sites().with_only_columns(func.count(Site.id))),
        "records": db.session.scalar(
            public.published_records().with_only_columns(func.count(RestorationRecord.id))
        ),
    }
    return totals, public.filter_counts(public.SiteFilters())


def kept() -> tuple[dict, dict]:
    db.session.rollback()
    return counts.totals(), counts.browse_counts(public.SiteFilters())


def test_counts_follow_every_change_that_moves_them(make_site, make_record, editor):
    assert kept() == counted_by_the_gate()
    first = make_site("published", district="shusha", year_from=1768)
    second = make_site("published", district="lachin", year_from=-300, condition="good")
    make_site("draft", district="kalbajar")
    assert kept() == counted_by_the_gate()

    record = make_record(first)
    record = restorations.submit_record(record.id, actor=editor, version=record.version)
    record = restorations.publish_record(record.id, actor=editor, version=record.version)
    make_record(second)  # a draft: counts nothing
    assert kept()[0] == {"sites": 2, "records": 1} == counted_by_the_gate()[0]

    # A filter value edited, and the condition set by a published survey.
    first = sites.update_site(
        first.id, {"district": "khojaly", "year_from": 1200}, actor=editor, version=first.version
    )
    survey = surveys.create_survey(second.id, survey_data(), actor=editor)
    for step in ("submit", "publish"):
        survey = surveys.change_survey_status(survey.id, step, actor=editor, version=survey.version)
    assert kept() == counted_by_the_gate()
    assert kept()[1]["district"] == {"khojaly": 1, "lachin": 1}

    # A site withdrawn takes its published records with it; restored, they come back.
    first = sites.withdraw_site(first.id, actor=editor, version=first.version, reason="Check.")
    assert kept() == counted_by_the_gate()
    assert kept()[0] == {"sites": 1, "records": 0}
    sites.restore_site(first.id, actor=editor, version=first.version)
    restorations.withdraw_record(record.id, actor=editor, version=record.version, reason="Dup.")
    assert kept() == counted_by_the_gate()
    assert kept()[0] == {"sites": 2, "records": 0}


def test_a_recount_gives_what_was_kept(make_site, editor):
    make_site("published", district="shusha", year_from=1768)
    make_site("published", district="lachin", year_from=-300)
    before = kept()

    with write_transaction():
        counts.recount()

    assert kept() == before == counted_by_the_gate()
