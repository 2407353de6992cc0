"""Condition surveys in the JSON API: list, record, and the endpoints every kind has."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import fields, validate

from heritage.api.common import (
    ItemDocs,
    Resource,
    add_create_endpoint,
    add_item_endpoints,
    add_list_endpoint,
)
from heritage.api.errors import guard
from heritage.api.http import (
    PageArgs,
    patch_schema,
)
from heritage.schemas.survey import SurveyInput, SurveyPublic, SurveyStaff
from heritage.services import reading, surveys
from heritage.vocab import PUBLICATION_STATUSES, RISK_LEVELS

blp = Blueprint(
    "surveys_api",
    __name__,
    url_prefix="/api/v1",
    description="Condition surveys: a site's condition over time; its latest published survey "
    "sets the site's condition.",
)
guard(blp)


SURVEY = Resource(
    "survey",
    "/surveys/<int(max=2147483647):survey_id>",
    "survey_id",
    SurveyStaff,
    SurveyPublic,
    patch_schema(SurveyInput, "SurveyPatch"),
)


class SurveyListArgs(PageArgs):
    site_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    risk_level = fields.String(validate=validate.OneOf(RISK_LEVELS.codes))
    status = fields.String(
        validate=validate.OneOf(PUBLICATION_STATUSES.codes),
        metadata={"description": "Staff only; others always get published surveys."},
    )


add_list_endpoint(
    blp,
    SURVEY,
    SurveyListArgs,
    find=reading.surveys,
    summary="Condition surveys, newest first (published ones unless staff).",
)


add_create_endpoint(
    blp,
    SURVEY,
    SurveyInput,
    create=surveys.create_survey,
    summary="Record a condition survey of a site, as a draft; once published, the latest survey "
    "sets the site's condition.",
    created="Recorded as a draft.",
)

add_item_endpoints(
    blp,
    SURVEY,
    ItemDocs(
        read="One condition survey: the damage found, risk, urgency, recommendations.",
        read_response="The survey; the public get no internal note.",
        patch="Change some of a survey's fields (send only those; `damages` whole), with If-Match.",
        history="Every change of a condition survey, oldest first (staff).",
    ),
    update=surveys.update_survey,
    change_status=surveys.change_survey_status,
)
