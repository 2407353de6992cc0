"""The staff dashboard's figures, in a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from heritage.extensions import db
from heritage.models import AuditEvent, ConditionSurvey, Site, User
from heritage.services import review
from heritage.vocab import RISK_LEVELS, URGENCIES, WITHDRAWN

RECENT_EVENTS = 20


@dataclass(frozen=True)
class Overview:
    # Drafts of every kind the actor created or edited.
    my_drafts: list[review.Item]
    # What was sent back to the actor with a comment, until they submit it again.
    sent_back: list[review.SentBack]
    # Everything of every kind waiting for review.
    in_review: list[review.Submitted]
    recent: list[AuditEvent]
    # Sites whose latest survey finds them at high or critical risk, the worst first.
    at_risk: list[ConditionSurvey]
    by_district: dict[str, int]
    by_condition: dict[str, int]
    by_clearance: dict[str, int]


def overview(actor: User) -> Overview:
    """The dashboard of `actor`: their drafts, the review queue, recent activity, counts."""
    return Overview(
        my_drafts=review.drafts_of(actor),
        sent_back=review.sent_back_to(actor),
        in_review=review.queue(actor=actor),
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
