"""Condition surveys: a site's condition is its latest published survey's, an unpublished
survey changes nothing public, and the site page shows its condition over time."""

from __future__ import annotations

import pytest

from heritage.extensions import db
from heritage.models import Site
from heritage.services import audit, surveys
from tests.conftest import form_token, survey_data


def condition(site_id):
    db.session.rollback()
    return db.session.get(Site, site_id).condition


def test_the_latest_published_survey_sets_the_sites_condition(make_site, make_survey, editor):
    site = make_site("published", condition="good")
    make_survey(site, "published", survey_date="2021-04-10", overall_condition="ruined")
    assert condition(site.id) == "ruined"
    later = make_survey(site, "published", survey_date="2024-09-01", overall_condition="poor")
    assert condition(site.id) == "poor"
    # An older survey published afterwards does not take the place of the latest.
    make_survey(site, "published", survey_date="2019-01-01", overall_condition="fair")
    assert condition(site.id) == "poor"
    # Withdrawn, the latest survey no longer counts.
    surveys.change_survey_status(
        later.id, "withdraw", actor=editor, version=later.version, note="Wrong site."
    )
    assert condition(site.id) == "ruined"
    events = [e for e in audit.history("site", site.id) if e.action == "survey_condition"]
    assert [e.changes["condition"] for e in events] == [
        ["good", "ruined"],
        ["ruined", "poor"],
        ["poor", "ruined"],
    ]
    assert "2021-04-10" in events[0].note


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_an_unpublished_survey_changes_nothing_public(client, make_site, make_survey, status):
    site = make_site("published", condition="good", slug="kept-site")
    make_survey(site, status, findings_en="Qzvx unpublished findings")
    assert condition(site.id) == "good"
    page = client.get("/sites/kept-site?lang=en").get_data(as_text=True)
    assert "Qzvx" not in page
    assert client.get("/api/v1/surveys").json["total"] == 0
    assert client.get(f"/api/v1/sites/{site.id}").json["condition"] == "good"


def test_the_site_page_shows_its_condition_over_time(client, make_site, make_survey):
    site = make_site("published", condition="good", slug="timeline-site")
    make_survey(site, "published", survey_date="2021-04-10", overall_condition="ruined")
    make_survey(
        site,
        "published",
        survey_date="2024-09-01",
        overall_condition="poor",
        damages=[{"damage_type": "weathering", "extent": "minor"}],
    )
    html = client.get("/sites/timeline-site?lang=en").get_data(as_text=True)
    timeline = html[html.index("Condition over time") :]
    assert timeline.index("2021-04-10") < timeline.index("2024-09-01")
    assert "Explosion or shelling (Severe)" in timeline
    assert "Weathering (Minor)" in timeline


def test_a_survey_from_the_phone_form(client, make_site, make_user, sign_in):
    site = make_site("published", condition="good")
    sign_in(make_user("restorer"))
    url = f"/staff/sites/{site.id}/surveys/new"
    saved = client.post(
        url,
        data={
            "csrf_token": form_token(client, url),
            "survey_date": "2022-05-01",
            "method": "drone",
            "overall_condition": "poor",
            "risk_level": "high",
            "urgency": "within_months",
            "damages-rows": "1",
            "damages-0-damage_type": "fire",
            "damages-0-extent": "moderate",
            "damages-1-damage_type": "",
            "damages-1-extent": "",
        },
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)
    page = client.get(saved.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Fire (Moderate)" in page
    # A restorer's draft sets nothing.
    assert condition(site.id) == "good"


def test_a_survey_in_the_future_is_refused(client, make_site, editor, sign_in):
    site = make_site("published")
    sign_in(editor)
    url = f"/staff/sites/{site.id}/surveys/new"
    data = {k: v for k, v in survey_data(survey_date="2999-01-01").items() if k != "damages"}
    response = client.post(url, data={**data, "csrf_token": form_token(client, url)})
    assert response.status_code == 422


def test_the_dashboard_lists_sites_at_risk_worst_first(
    client, make_site, make_survey, editor, sign_in
):
    calm = make_site("published", slug="calm-site", name_en="Calm site")
    high = make_site("published", slug="high-site", name_en="High-risk site")
    critical = make_site("draft", slug="critical-site", name_en="Critical site")
    make_survey(calm, "published", risk_level="critical", survey_date="2020-01-01")
    make_survey(calm, "published", risk_level="low", survey_date="2024-01-01")  # latest: low
    make_survey(high, "published", risk_level="high", urgency="within_a_year")
    make_survey(critical, "draft", risk_level="critical", survey_date="2023-03-03")
    sign_in(editor)
    html = client.get("/staff/?lang=en").get_data(as_text=True)
    table = html[html.index("Sites at risk") :]
    assert "Calm site" not in table
    assert table.index("Critical site") < table.index("High-risk site")
    assert "2023-03-03" in table
