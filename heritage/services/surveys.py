"""Use cases for condition surveys: dated assessments of a site. A site's condition is the
one its latest published survey found; an unpublished survey changes nothing public."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from heritage.extensions import db
from heritage.models import ConditionSurvey, Site, User
from heritage.schemas.survey import SurveyInput
from heritage.services import editing, parts, sites
from heritage.services.permissions import require
from heritage.services.transaction import write_transaction
from heritage.text import N_
from heritage.vocab import PUBLISHED


@dataclass(frozen=True)
class SurveyKind(editing.Kind):
    """Surveys in the shared life cycle; publishing, withdrawing or editing a published one
    sets its site's condition from the latest published survey."""

    def update(self, survey: ConditionSurvey, data: dict, *, actor: User, **event):
        values = editing.validate_update(self, survey, data, actor=actor)
        parts.check_parts(survey.site_id, values, SUBJECTS, one_of=True)
        saved = editing.save(self, survey, values, actor=actor, **event)
        if not saved.pending:
            follow_latest_survey(survey.site, actor=actor)
        return saved

    def stepped(self, survey: ConditionSurvey, *, actor: User) -> None:
        follow_latest_survey(survey.site, actor=actor)


# What of its site a survey may be of, instead of the whole site.
SUBJECTS = ("object_id", "gravestone_id")

SURVEY = SurveyKind(
    name="survey", label=N_("condition survey"), model=ConditionSurvey, schema=SurveyInput
)


def latest_published(site_id: int) -> ConditionSurvey | None:
    """A site's latest published survey of the whole site (by its date; the later recorded
    of one day): a survey of one object or gravestone says nothing of the site."""
    query = (
        select(ConditionSurvey)
        .where(
            ConditionSurvey.site_id == site_id,
            ConditionSurvey.status == PUBLISHED,
            ConditionSurvey.of_whole_site(),
        )
        .order_by(ConditionSurvey.survey_date.desc(), ConditionSurvey.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def follow_latest_survey(site: Site, *, actor: User) -> None:
    """Give the site the condition of its latest published survey, as an audited change of
    the site that names the survey; with no published survey, the site keeps its own."""
    latest = latest_published(site.id)
    if latest is None or latest.overall_condition == site.condition:
        return
    editing.apply(
        sites.SITE,
        site,
        {"condition": latest.overall_condition},
        actor=actor,
        action="survey_condition",
        note=f"From the condition survey of {latest.survey_date.isoformat()} (survey {latest.id}).",
    )


def get_survey(survey_id: int, *, actor: User | None) -> ConditionSurvey:
    """A survey of any status, for staff."""
    return editing.get(SURVEY, survey_id, actor=actor)


def create_survey(site_id: int, data: dict, *, actor: User) -> ConditionSurvey:
    """Record a condition survey of a site, or of one of its objects or gravestones, as a
    draft (it sets nothing until published)."""
    require(actor, "survey.create")
    values = editing.validate_create(SURVEY, data)
    with write_transaction():
        site = sites.site_to_add_to(site_id)
        parts.check_parts(site.id, values, SUBJECTS, one_of=True)
        return editing.insert(SURVEY, {**values, "site_id": site.id}, actor=actor)


def update_survey(survey_id: int, data: dict, *, actor: User, version: int) -> ConditionSurvey:
    """Change a survey's fields, refusing a stale version."""
    return editing.update(SURVEY, survey_id, data, actor=actor, version=version)


def restore_survey_version(
    survey_id: int, target: int, *, actor: User, version: int
) -> ConditionSurvey:
    """Make the survey's fields what they were at version `target`, as a new change."""
    return editing.restore_version(SURVEY, survey_id, target, actor=actor, version=version)


def change_survey_status(
    survey_id: int, action: str, *, actor: User, version: int, note: str | None = None
) -> ConditionSurvey:
    """Take the workflow step named `action` (submit, publish, send_back, withdraw, restore)."""
    return editing.transition(SURVEY, survey_id, action, actor=actor, version=version, note=note)
