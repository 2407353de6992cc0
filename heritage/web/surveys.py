"""Staff pages for condition surveys: record one in the field, its page, edit, workflow,
history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from heritage.identity import current_actor
from heritage.schemas.survey import SurveyInput
from heritage.services import editing, sites, surveys
from heritage.services.permissions import can
from heritage.web.auth import staff_required
from heritage.web.forms import field_errors, form_payload
from heritage.web.kinds import StaffPages, add_record_pages, edit_form
from heritage.web.labels import STEP_BUTTONS

bp = Blueprint("surveys", __name__, url_prefix="/staff")

FORM = "staff/survey_form.html"


@bp.route("/sites/<int:site_id>/surveys/new", methods=["GET", "POST"])
@staff_required("survey.create")
def new_survey(site_id: int):
    """Record a condition survey of a site."""
    site = sites.get_site(site_id, actor=current_actor())
    if request.method == "GET":
        return render_template(FORM, site=site, survey=None, values={}, errors={})
    payload = form_payload(SurveyInput, request.form)
    try:
        survey = surveys.create_survey(site_id, payload, actor=current_actor())
    except ValidationError as error:
        page = render_template(
            FORM, site=site, survey=None, values=payload, errors=field_errors(error)
        )
        return page, 422
    flash(_("Survey recorded as a draft."), "success")
    return redirect(url_for(".show_survey", survey_id=survey.id), 303)


@bp.get("/surveys/<int:survey_id>")
@staff_required("read")
def show_survey(survey_id: int):
    """A condition survey as staff see it."""
    survey = surveys.get_survey(survey_id, actor=current_actor())
    return render_template(
        "staff/survey.html",
        survey=survey,
        site=survey.site,
        steps=editing.available_steps(surveys.SURVEY, survey, current_actor()),
        step_buttons=STEP_BUTTONS,
        may_edit=can(current_actor(), "survey.update"),
        may_upload=can(current_actor(), "photo.upload"),
    )


@bp.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
@staff_required("survey.update")
def edit_survey(survey_id: int):
    """Edit a survey; a stale form is refused with what changed meanwhile."""
    return edit_form(PAGES, survey_id, FORM, lambda survey: {"site": survey.site, "survey": survey})


PAGES = StaffPages(
    kind=surveys.SURVEY,
    rule="/surveys/<int:survey_id>",
    id_name="survey_id",
    get=surveys.get_survey,
    update=surveys.update_survey,
    change_status=surveys.change_survey_status,
    restore=surveys.restore_survey_version,
    title=lambda survey: survey.title(),
    may_restore=lambda _survey, actor: can(actor, "survey.update"),
    restore_permission="survey.update",
)
add_record_pages(bp, PAGES)
