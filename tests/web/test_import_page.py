"""The staff import page: check first, then import; the report on the page and as CSV."""

from __future__ import annotations

import hashlib
import io
import time

from sqlalchemy import func, select

from heritage.extensions import db
from heritage.models import Site
from tests.conftest import form_token

CSV = (
    "inventory_number,category,site_type,name_az,name_en,district,clearance_status\n"
    "INV-9,Abidə,Məscid,Cümə məscidi,Friday Mosque,Şuşa,cleared\n"
    "INV-10,monument,mosque,İkinci,Second,atlantis,cleared\n"
)


def post(client, action: str, content: str = CSV, **fields):
    data = {
        "csrf_token": form_token(client, "/staff/import"),
        "action": action,
        "file": (io.BytesIO(content.encode()), "sites.csv"),
        **fields,
    }
    return client.post("/staff/import", data=data, content_type="multipart/form-data")


def sites_count() -> int:
    db.session.rollback()  # a fresh look, not the snapshot of an earlier read
    return db.session.scalar(select(func.count()).select_from(Site))


def test_check_reports_every_problem_and_writes_nothing(client, sign_in, editor):
    sign_in(editor)
    assert client.get("/staff/import").status_code == 200
    page = post(client, "check")
    assert page.status_code == 422
    assert "atlantis" in page.text
    assert "district" in page.text
    assert sites_count() == 0


def finished(client, response):
    """The page of the import that `response` started, once the import has finished (the
    page reloads itself every two seconds while it runs)."""
    assert response.status_code == 303
    url = response.headers["Location"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = client.get(url)
        assert page.status_code == 200
        if 'http-equiv="refresh"' not in page.text:
            return page
        time.sleep(0.2)
    raise AssertionError("the import did not finish in a minute")


def test_import_the_valid_rows_then_nothing_changes_on_a_second_run(client, sign_in, editor):
    sign_in(editor)
    refused = finished(client, post(client, "import"))
    assert "nothing written" in refused.text
    assert "atlantis" in refused.text
    assert sites_count() == 0, "one bad row writes nothing"
    done = finished(client, post(client, "import", skip_invalid="1"))
    assert "imported" in done.text
    assert sites_count() == 1
    again = post(client, "check", content=CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n")
    assert again.status_code == 200
    assert sites_count() == 1


def test_the_report_downloads_as_csv_in_the_readers_language(client, sign_in, editor):
    sign_in(editor)
    client.get("/?lang=ru")
    response = post(client, "check", as_csv="1")
    assert response.mimetype == "text/csv"
    assert "heritage-import-report-" in response.headers["Content-Disposition"]
    assert "atlantis" in response.text


def test_only_staff_who_catalogue_may_import(client, sign_in, make_user):
    assert client.get("/staff/import").status_code in (302, 303)
    sign_in(make_user("researcher"))
    assert client.get("/staff/import").status_code == 403


def test_a_run_is_listed_with_its_file_and_can_be_undone(client, sign_in, editor):
    sign_in(editor)
    good = CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n"
    page = finished(client, post(client, "import", content=good))
    assert "sites.csv" in page.text
    assert hashlib.sha256(good.encode()).hexdigest() in page.text
    assert sites_count() == 1
    runs = client.get("/staff/import/runs")
    assert runs.status_code == 200
    assert "sites.csv" in runs.text
    assert "imported" in runs.text
    report = client.get(page.request.path + "/report.csv")
    assert report.mimetype == "text/csv"
    assert "create" in report.text

    undo = client.post(
        page.request.path + "/undo", data={"csrf_token": form_token(client, page.request.path)}
    )
    assert undo.status_code == 303
    after = client.get(undo.headers["Location"])
    assert "The import was undone." in after.text
    assert sites_count() == 0
    again = client.post(
        page.request.path + "/undo", data={"csrf_token": form_token(client, page.request.path)}
    )
    assert "can be undone" in client.get(again.headers["Location"]).text
