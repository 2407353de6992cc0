"""The search pages and the exports, as visitors, staff and researchers see them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from heritage.services import restorations

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_public_search_page_shows_marked_results_and_facets(client, make_site):
    site = make_site(
        "published",
        name_az="Şuşa qalası",
        name_en="Shusha Fortress",
        site_type="fortress",
        description_en="The walls of the fortress were built in the 1750s.",
    )
    make_site("published", name_az="Ağdam məscidi", district="aghdam")

    response = client.get("/search?q=Шушинская+крепость&lang=en")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "1 result" in html
    assert f'href="/sites/{site.slug}"' in html
    assert "<mark>Shusha</mark> <mark>Fortress</mark>" in html
    assert "<mark>fortress</mark>" in html
    assert "Ağdam" not in html.split('class="search-results"')[1]
    assert "District" in html
    assert 'name="q"' in html
    assert 'value="Шушинская крепость"' in html


def test_the_page_without_a_query_is_a_search_form(client):
    response = client.get("/search")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'role="search"' in html
    assert "How to search" in html
    assert 'class="search-result"' not in html
    assert "0 results" not in html


def test_facet_links_narrow_and_widen(client, make_site):
    make_site("published", name_az="Şuşa hamamı", site_type="bathhouse")
    make_site("published", name_az="Ağdam hamamı", site_type="bathhouse", district="aghdam")

    html = client.get("/search?q=hamam&lang=en").get_data(as_text=True)
    assert "2 results" in html
    assert 'href="/search?q=hamam&amp;lang=en&amp;district=aghdam"' in html

    narrowed = client.get("/search?q=hamam&lang=en&district=aghdam").get_data(as_text=True)
    assert "1 result" in narrowed
    assert 'aria-current="true"' in narrowed
    assert "Clear filters" in narrowed


def test_invalid_queries_get_a_clear_message_not_an_error(client, make_site):
    make_site("published")

    for query in ("NOT OR x", "*a*", "year:1900..1800", "x" * 10_000):
        response = client.get("/search", query_string={"q": query, "lang": "en"})
        assert response.status_code == 400, query
        assert "Invalid query" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ['"unbalanced', "(Şuşa OR", "Şuşa\x00", "?", "%"])
def test_sloppy_queries_still_answer(client, make_site, query):
    make_site("published", name_az="Şuşa qalası")

    response = client.get("/search", query_string={"q": query})

    assert response.status_code in (200, 400)


def test_hostile_text_is_escaped_in_titles_and_snippets(client, make_site):
    make_site(
        "published",
        name_az=f"Zərərli {HOSTILE}",
        name_en="",
        name_ru="",
        description_az=f"Zərərli mətn {HOSTILE} burada.",
    )

    html = client.get("/search?q=Zərərli+script").get_data(as_text=True)

    assert "<mark>Zərərli</mark>" in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;<mark>script</mark>&gt;" in html


def test_did_you_mean(client, make_site):
    make_site("published", name_az="Xudafərin körpüsü", name_en="", name_ru="")

    html = client.get("/search?q=Xuzavərin&lang=en").get_data(as_text=True)

    assert "Did you mean" in html
    assert "xudafərin" in html


def test_public_search_never_shows_drafts_even_to_staff(client, make_site, editor, sign_in):
    make_site("draft", name_az="Gizli qaralama")
    sign_in(editor)

    html = client.get("/search?q=Gizli&lang=en").get_data(as_text=True)

    assert "0 results" in html
    assert "Gizli qaralama" not in html


def test_staff_search_needs_a_sign_in(client):
    response = client.get("/staff/search?q=x")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_staff_search_shows_every_status_and_its_facet(client, make_site, editor, sign_in):
    draft = make_site("draft", name_az="Gizli qaralama")
    make_site("published", name_az="Açıq qaralama")
    sign_in(editor)

    html = client.get("/staff/search?q=qaralama&lang=en").get_data(as_text=True)

    assert "2 results" in html
    assert f'href="/staff/sites/{draft.id}"' in html
    assert "Publication status" in html
    assert "status-draft" in html
    assert "Download these results" not in html  # editors do not export


def test_staff_search_links_records(client, make_site, make_record, editor, sign_in):
    site = make_site(name_az="Əsgəran qalası")
    record = make_record(site, title="Qüllələrin tədqiqi", work_type="survey")
    sign_in(editor)

    html = client.get("/staff/search?q=Qüllələrin&lang=en").get_data(as_text=True)

    assert f'href="/staff/records/{record.id}"' in html
    assert "Restoration work" in html


@pytest.fixture
def researcher(make_user):
    return make_user("researcher")


def _csv(response) -> list[dict]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_researchers_export_csv_json_and_geojson(client, make_site, researcher, sign_in):
    make_site("published", name_az="Şuşa qalası", latitude=39.76, longitude=46.75)
    make_site("draft", name_az="Şuşa qaralaması")
    sign_in(researcher)

    page = client.get("/staff/search?q=Şuşa&lang=en").get_data(as_text=True)
    assert "/staff/search/export.csv?q=" in page

    rows = _csv(client.get("/staff/search/export.csv?q=Şuşa"))
    assert {row["name_az"] for row in rows} == {"Şuşa qalası", "Şuşa qaralaması"}
    assert {row["status"] for row in rows} == {"published", "draft"}

    data = client.get("/staff/search/export.json?q=Şuşa").get_json()
    assert len(data) == 2

    response = client.get("/staff/search/export.geojson?q=Şuşa")
    assert response.mimetype == "application/geo+json"
    assert "attachment" in response.headers["Content-Disposition"]
    features = json.loads(response.get_data(as_text=True))["features"]
    assert features[0]["geometry"]["type"] == "Point"


def test_public_exports_hold_published_records_and_no_sensitive_location(
    client, make_site, make_record, researcher, editor, sign_in
):
    open_site = make_site("published", name_az="Açıq abidə", latitude=39.7, longitude=46.7)
    make_site(
        "published",
        name_az="Həssas abidə",
        latitude=39.81,
        longitude=46.81,
        location_sensitive=True,
    )
    record = make_record(open_site, title="Abidənin tədqiqi")
    restorations.publish_record(record.id, actor=editor, version=record.version)
    make_site("draft", name_az="Qaralama abidə")
    sign_in(researcher)

    csv_response = client.get("/search/export.csv?q=abidə")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(csv_response)
    geo = json.loads(client.get("/search/export.geojson?q=abidə").get_data(as_text=True))
    data = client.get("/search/export.json?q=abidə").get_json()

    assert {row["name_az"] for row in rows} == {"Açıq abidə", "Həssas abidə"}
    assert {row["kind"] for row in rows} == {"site", "record"}
    sensitive = [row for row in rows if row["name_az"] == "Həssas abidə"]
    assert sensitive[0]["latitude"] == sensitive[0]["longitude"] == ""
    text = json.dumps(geo) + json.dumps(data)
    assert "39.81" not in text
    assert "46.81" not in text
    geometries = {f["properties"]["name_az"]: f["geometry"] for f in geo["features"]}
    assert geometries["Həssas abidə"] is None
    assert geometries["Açıq abidə"]["coordinates"] == [46.7, 39.7]


def test_exports_need_the_export_permission(client, make_site, editor, sign_in):
    make_site("published")

    anonymous = client.get("/search/export.csv?q=x")
    assert anonymous.status_code == 302
    sign_in(editor)
    assert client.get("/search/export.csv?q=x").status_code == 403
    assert client.get("/staff/search/export.json?q=x").status_code == 403


def test_exported_text_cannot_run_as_a_spreadsheet_formula(client, make_site, researcher, sign_in):
    make_site("published", name_az='=HYPERLINK("http://evil") Şuşa', name_en="", name_ru="")
    sign_in(researcher)

    rows = _csv(client.get("/search/export.csv?q=Şuşa"))

    assert rows[0]["name_az"].startswith("'=")


def test_an_invalid_query_export_is_a_clear_400(client, researcher, sign_in):
    sign_in(researcher)

    response = client.get("/search/export.csv?q=NOT+OR+x")

    assert response.status_code == 400
    assert "NOT needs a word" in response.get_data(as_text=True)
