"""Condition surveys in the search: found by what they found, counted by urgency, risk, the
gravest damage and the condition found, exported as CSV like every result, and for the
public only once published (and their object or gravestone too)."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture
def ruin(make_site):
    return make_site("published", name_en="Old bridge", slug="old-bridge", condition="good")


def surveys_found(client, q="", **filters):
    body = client.get("/api/v1/search", query_string={"q": q, **filters}).get_json()
    return [item["id"] for item in body["items"] if item["kind"] == "survey"], body


def test_surveys_are_found_and_counted_by_urgency_damage_and_condition(client, ruin, make_survey):
    shelled = make_survey(
        ruin,
        "published",
        findings_en="Qzvx the arch is cracked",
        damages=[
            {"damage_type": "vegetation", "extent": "moderate"},
            {"damage_type": "explosion", "extent": "total"},
        ],
    )
    weathered = make_survey(
        ruin,
        "published",
        survey_date="2024-05-01",
        overall_condition="fair",
        risk_level="low",
        urgency="routine",
        damages=[{"damage_type": "weathering", "extent": "minor"}],
        findings_en="Moss on the parapet",
    )

    found, _body = surveys_found(client, "Qzvx")
    assert found == [shelled.id]
    _found, body = surveys_found(client, kind="survey")
    counts = {
        name: {f["code"]: f["count"] for f in body["facets"][name]} for name in body["facets"]
    }
    assert counts["urgency"] == {"immediate": 1, "routine": 1}
    assert counts["risk_level"] == {"critical": 1, "low": 1}
    assert counts["damage_type"] == {"explosion": 1, "weathering": 1}
    assert counts["condition"] == {"ruined": 1, "fair": 1}
    urgent, _body = surveys_found(client, urgency="immediate")
    assert urgent == [shelled.id]
    assert surveys_found(client, damage_type="weathering")[0] == [weathered.id]

    html = client.get("/search?kind=survey&lang=en").get_data(as_text=True)
    assert "Gravest damage found" in html
    assert "Explosion or shelling" in html
    assert f'href="/sites/old-bridge#survey-{shelled.id}"' in html


@pytest.mark.parametrize("case", ["draft survey", "survey in review", "draft gravestone"])
def test_the_public_finds_no_unpublished_survey(
    client, make_site, make_survey, make_gravestone, case
):
    cemetery = make_site("published", category="cemetery", site_type="cemetery")
    status = {"draft survey": "draft", "survey in review": "in_review"}.get(case, "published")
    fields = {}
    if case == "draft gravestone":
        fields["gravestone_id"] = make_gravestone(cemetery, "draft").id
    make_survey(cemetery, status, findings_en="Qzvx hidden", **fields)
    assert surveys_found(client, "Qzvx")[0] == []
    assert "Qzvx hidden" not in client.get("/search?q=Qzvx").get_data(as_text=True)


def test_staff_export_surveys_as_csv(client, ruin, make_survey, make_user, sign_in):
    draft = make_survey(
        ruin,
        findings_en="Qzvx roof fell in",
        damages=[
            {"damage_type": "fire", "extent": "moderate"},
            {"damage_type": "structural_failure", "extent": "severe"},
        ],
    )
    sign_in(make_user("researcher"))
    response = client.get("/staff/search/export.csv?kind=survey&lang=en")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(row["kind"], row["id"]) for row in rows] == [("survey", str(draft.id))]
    row = rows[0]
    assert row["site_slug"] == "old-bridge"
    assert row["survey_date"] == "2021-04-10"
    assert row["condition"] == "ruined"
    assert (row["risk_level"], row["urgency"]) == ("critical", "immediate")
    assert row["damages"] == "structural_failure:severe; fire:moderate"
    assert row["findings"] == "Qzvx roof fell in"
    assert row["status"] == "draft"
