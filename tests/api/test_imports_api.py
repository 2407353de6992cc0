"""POST /api/v1/imports: the import, its dry run and its report, as the staff page and the
command give them, for API clients with a token or a session."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import AuditEvent, Site

HEADER = "inventory_number,category,site_type,name_az,name_en,district,clearance_status\n"
GOOD = "INV-9,Abidə,Məscid,Cümə məscidi,Friday Mosque,Şuşa,cleared\n"
BAD = "INV-10,monument,mosque,İkinci,Second,atlantis,cleared\n"
PROBLEM = "application/problem+json"


def send(client, content: str, headers=None, query: str = "", filename: str = "sites.csv"):
    data = {"file": (io.BytesIO(content.encode()), filename)}
    return client.post(
        f"/api/v1/imports{query}", data=data, headers=headers or {},
        content_type="multipart/form-data",
    )  # fmt: skip


def written() -> tuple[int, int]:
    db.session.rollback()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) for model in (Site, AuditEvent)
    )


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(client, editor, token_for):
    auth = token_for(editor)
    before = written()
    response = send(client, HEADER + GOOD, auth, "?dry_run=true")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["dry_run"], body["written"]) == (True, False)
    assert body["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "problems": 0}
    assert body["outcomes"] == [
        {"row": 2, "kind": "site", "action": "create", "key": body["outcomes"][0]["key"],
         "changes": {}}
    ]  # fmt: skip
    assert written() == before


def test_one_bad_row_writes_nothing_and_names_row_column_value(client, editor, token_for):
    auth = token_for(editor)
    before = written()
    response = send(client, HEADER + GOOD + BAD, auth)
    assert response.status_code == 422
    body = response.get_json()
    assert body["written"] is False
    assert [(p["row"], p["column"], p["value"]) for p in body["problems"]] == [
        (3, "district", "atlantis")
    ]
    assert body["problems"][0]["message"]
    assert written() == before


def test_import_then_update_reports_the_field_level_diff(client, editor, token_for):
    auth = token_for(editor)
    first = send(client, HEADER + GOOD + BAD, auth, "?skip_invalid=true")
    assert first.status_code == 200
    assert first.get_json()["written"] is True
    assert first.get_json()["counts"]["created"] == 1
    sites_after_first = written()[0]

    changed = HEADER + GOOD.replace("Friday Mosque", "Juma Mosque")
    second = send(client, changed, auth)
    assert second.status_code == 200
    outcome = second.get_json()["outcomes"][0]
    assert outcome["action"] == "update"
    assert outcome["changes"] == {"name_en": ["Friday Mosque", "Juma Mosque"]}

    again = send(client, changed, auth)
    assert again.get_json()["outcomes"][0]["action"] == "unchanged"
    assert written()[0] == sites_after_first
    db.session.rollback()
    assert db.session.scalar(select(Site.name_en).filter_by(inventory_number="INV-9")) == (
        "Juma Mosque"
    )


def test_problems_come_in_the_language_asked_for(client, editor, token_for):
    english = send(client, HEADER + BAD, token_for(editor), "?dry_run=true")
    russian = send(client, HEADER + BAD, token_for(editor), "?dry_run=true&lang=ru")
    said_en = english.get_json()["problems"][0]["message"]
    said_ru = russian.get_json()["problems"][0]["message"]
    assert said_en != said_ru
    assert any("а" <= letter <= "я" for letter in said_ru.lower())


def test_the_report_downloads_as_csv(client, editor, token_for):
    response = send(client, HEADER + GOOD + BAD, token_for(editor), "?dry_run=true&format=csv")
    assert response.status_code == 422
    assert response.mimetype == "text/csv"
    assert "heritage-import-report-" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0] == ["row", "kind", "outcome", "record", "column", "value", "message"]
    assert rows[1][:3] == ["2", "site", "create"]
    assert rows[2][:6] == ["3", "", "problem", "", "district", "atlantis"]


def test_who_may_import(client, editor, make_user, token_for):
    researcher, read_only = token_for(make_user("researcher")), token_for(editor, read_only=True)
    restorer = token_for(make_user("restorer"))
    before = written()
    anonymous = send(client, HEADER + GOOD, query="?dry_run=true")
    assert anonymous.status_code == 401
    assert anonymous.content_type == PROBLEM
    assert send(client, HEADER + GOOD, researcher).status_code == 403
    assert send(client, HEADER + GOOD, read_only).status_code == 403
    assert send(client, HEADER + GOOD, restorer, "?submit=true").status_code == 403
    assert written() == before
    assert send(client, HEADER + GOOD, restorer).status_code == 200


def test_a_session_needs_its_csrf_token(client, sign_in, editor):
    sign_in(editor)
    response = send(client, HEADER + GOOD)
    assert response.status_code == 400
    assert "X-CSRFToken" in response.get_json()["detail"]


def test_bad_requests_are_clear_and_change_nothing(client, editor, token_for):
    auth = token_for(editor)
    before = written()
    no_file = client.post("/api/v1/imports", headers=auth, data={},
                          content_type="multipart/form-data")  # fmt: skip
    assert no_file.status_code == 422
    assert "file" in no_file.get_json()["errors"]
    assert send(client, HEADER + GOOD, auth, "?dry_run=maybe").status_code == 422
    assert send(client, HEADER + GOOD, auth, "?format=pdf").status_code == 422
    not_a_table = send(client, "PK\x03\x04 nonsense", auth, filename="sites.xlsx")
    assert not_a_table.status_code == 422
    assert not_a_table.get_json()["problems"][0]["row"] == 0
    assert written() == before


def test_the_openapi_document_describes_imports(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    post = paths["/api/v1/imports"]["post"]
    assert {p["name"] for p in post["parameters"]} >= {"dry_run", "skip_invalid", "format", "lang"}
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert {"200", "422", "401", "403"} <= set(post["responses"])
