"""The staff dashboard's figures, in a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from heritage.extensions import db
from heritage.models import (
    AuditEvent,
    CollectionObject,
    ConditionSurvey,
    Gravestone,
    Photo,
    RestorationRecord,
    Site,
    User,
)
from heritage.vocab import DRAFT, IN_REVIEW, RISK_LEVELS, URGENCIES, WITHDRAWN

RECENT_EVENTS = 20


@dataclass(frozen=True)
class Overview:
    my_draft_sites: list[Site]
    my_draft_records: list[RestorationRecord]
    sites_in_review: list[Site]
    records_in_review: list[RestorationRecord]
    # Collection objects and gravestones submitted for review.
    items_in_review: list[CollectionObject | Gravestone]
    # Published records of every kind with a change waiting for review.
    changes_in_review: list[Site | RestorationRecord | Photo | CollectionObject | Gravestone]
    recent: list[AuditEvent]
    # Sites whose latest survey finds them at high or critical risk, the worst first.
    at_risk: list[ConditionSurvey]
    by_district: dict[str, int]
    by_condition: dict[str, int]
    by_clearance: dict[str, int]


def overview(actor: User) -> Overview:
    """The dashboard of `actor`: their drafts, the review queue, recent activity, counts."""
    site_query = select(Site).order_by(Site.id.desc())
    record_query = (
        select(RestorationRecord)
        .options(joinedload(RestorationRecord.site))
        .order_by(RestorationRecord.id.desc())
    )
    return Overview(
        my_draft_sites=_all(site_query.where(Site.status == DRAFT, Site.created_by_id == actor.id)),
        my_draft_records=_all(
            record_query.where(
                RestorationRecord.status == DRAFT, RestorationRecord.created_by_id == actor.id
            )
        ),
        sites_in_review=_all(site_query.where(Site.status == IN_REVIEW)),
        records_in_review=_all(record_query.where(RestorationRecord.status == IN_REVIEW)),
        items_in_review=[
            entity
            for model in (CollectionObject, Gravestone)
            for entity in _all(
                select(model)
                .options(joinedload(model.site))
                .where(model.status == IN_REVIEW)
                .order_by(model.id)
            )
        ],
        changes_in_review=[
            entity
            for model in (Site, RestorationRecord, Photo, CollectionObject, Gravestone)
            for entity in _all(select(model).join(model.pending_revision).order_by(model.id))
        ],
        at_risk=sites_at_risk(),
        recent=_all(
            select(AuditEvent)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.id.desc())
            .limit(RECENT_EVENTS)
        ),
        by_district=_count_sites_by(Site.district),
        by_condition=_count_sites_by(Site.condition),
        by_clearance=_count_sites_by(Site.clearance_status),
    )


# Risks that put a site on the dashboard's list.
AT_RISK = ("high", "critical")


def sites_at_risk(limit: int = 50) -> list[ConditionSurvey]:
    """Each site's latest survey (withdrawn ones aside) where it finds high or critical
    risk, ordered by risk, then urgency, then the oldest survey first (the longest unseen)."""
    latest = (
        select(
            ConditionSurvey.id,
            func.row_number()
            .over(
                partition_by=ConditionSurvey.site_id,
                order_by=(ConditionSurvey.survey_date.desc(), ConditionSurvey.id.desc()),
            )
            .label("n"),
        )
        .where(ConditionSurvey.status != WITHDRAWN, ConditionSurvey.of_whole_site())
        .subquery()
    )

    def rank(column, vocabulary):
        return case({code: n for n, code in enumerate(vocabulary.codes)}, value=column)

    query = (
        select(ConditionSurvey)
        .join(latest, (latest.c.id == ConditionSurvey.id) & (latest.c.n == 1))
        .join(Site, Site.id == ConditionSurvey.site_id)
        .options(joinedload(ConditionSurvey.site))
        .where(ConditionSurvey.risk_level.in_(AT_RISK), Site.status != WITHDRAWN)
        .order_by(
            rank(ConditionSurvey.risk_level, RISK_LEVELS).desc(),
            rank(ConditionSurvey.urgency, URGENCIES).desc(),
            ConditionSurvey.survey_date,
        )
        .limit(limit)
    )
    return _all(query)


def _all(query) -> list:
    return list(db.session.scalars(query).unique())


def _count_sites_by(column) -> dict[str, int]:
    """Sites in the archive (withdrawn ones aside) per value of `column`, largest first."""
    query = (
        select(column, func.count())
        .where(Site.status != WITHDRAWN)
        .group_by(column)
        .order_by(func.count().desc())
    )
    return {value or "unknown": count for value, count in db.session.execute(query)}
