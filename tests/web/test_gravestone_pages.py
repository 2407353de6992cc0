"""Gravestones through every door: recorded in a row from the staff form, read through the
API with their Hijri years as Gregorian ones, shown to the public with their inscription in
its own direction, found by any spelling of a name, and never before they are published."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import Gravestone
from tests.conftest import form_token, gravestone_data


@pytest.fixture
def cemetery(make_site):
    return make_site(
        "published",
        category="cemetery",
        site_type="cemetery",
        district="shusha",
        slug="shusha-cemetery",
        name_en="Mir Mohsun Navvab cemetery",
    )


def stones():
    db.session.rollback()
    return list(db.session.scalars(select(Gravestone).order_by(Gravestone.id)))


def test_three_gravestones_in_a_row_from_the_phone_form(client, make_user, sign_in, cemetery):
    sign_in(make_user("restorer"))
    url = f"/staff/sites/{cemetery.id}/gravestones/new"
    for name in ("Məmmədov Əli", "Həsənova Fatma", "Quliyev Rza"):
        form = client.get(url).get_data(as_text=True)
        number = re.search(r'id="number" name="number" type="text" value="([^"]*)"', form)
        data = {
            "csrf_token": form_token(client, url),
            "number": number.group(1) or "1",
            "section": re.search(
                r'id="section" name="section" type="text" value="([^"]*)"', form
            ).group(1)
            or "B",
            "marker_type": "stele",
            "calendar": "gregorian",
            "persons-rows": "1",
            "persons-0-name_read": name,
            "persons-0-death_year": "1905",
            "next_stone": "1",
        }
        saved = client.post(url, data=data)
        assert saved.status_code == 303, saved.get_data(as_text=True)
        url = saved.headers["Location"]
    recorded = stones()
    assert [(s.number, s.section) for s in recorded] == [("1", "B"), ("2", "B"), ("3", "B")]
    assert [s.persons[0]["name_read"] for s in recorded] == [
        "Məmmədov Əli",
        "Həsənova Fatma",
        "Quliyev Rza",
    ]
    assert "number=4" in url


def test_a_hijri_year_is_given_with_its_gregorian_years_and_the_computation(
    client, cemetery, make_gravestone
):
    stone = make_gravestone(cemetery, "published")
    body = client.get(f"/api/v1/gravestones/{stone.id}").json
    death = body["persons"][0]["death"]
    assert death["written"] == 1265
    assert death["gregorian"] == [1848, 1849]
    assert "1 Muharram 1265 AH = 1848-11-27" in death["computed"]
    assert "internal_note" not in body
    page = client.get(f"/gravestones/{stone.id}?lang=en").get_data(as_text=True)
    assert "1265 AH (1848/1849)" in page


def test_an_arabic_inscription_is_shown_right_to_left_with_its_language(
    client, cemetery, make_gravestone
):
    stone = make_gravestone(cemetery, "published")
    html = client.get(f"/gravestones/{stone.id}?lang=az").get_data(as_text=True)
    block = re.search(r'<blockquote class="inscription"([^>]*)>(.*?)</blockquote>', html, re.S)
    assert 'lang="ar"' in block.group(1)
    assert 'dir="rtl"' in block.group(1)
    assert block.group(2) == gravestone_data()["inscription"]
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["inLanguage"] == "ar"
    listing = client.get("/sites/shusha-cemetery/gravestones?lang=en").get_data(as_text=True)
    assert "Kərbəlayı Əli Məmmədoğlu" in listing


def test_a_latin_inscription_reads_left_to_right(client, cemetery, make_gravestone):
    stone = make_gravestone(
        cemetery,
        "published",
        inscription="Burada uyuyur Rza Quliyev",
        inscription_language="az-Latn",
    )
    html = client.get(f"/gravestones/{stone.id}").get_data(as_text=True)
    assert re.search(r'<blockquote class="inscription" lang="az-Latn" dir="ltr">', html)


@pytest.mark.parametrize("q", ["Məmmədoğlu", "Mammadoglu", "Мамедоглу", "Karbalayi"])
def test_a_name_on_a_stone_is_found_in_any_script(client, cemetery, make_gravestone, q):
    stone = make_gravestone(cemetery, "published")
    body = client.get("/api/v1/search", query_string={"q": q}).json
    assert [i["id"] for i in body["items"] if i["kind"] == "gravestone"] == [stone.id], body


def test_an_arabic_script_inscription_is_found_by_its_reading(client, cemetery, make_gravestone):
    stone = make_gravestone(cemetery, "published", persons=[])
    body = client.get("/api/v1/search", query_string={"q": "marhum"}).json
    assert [i["id"] for i in body["items"] if i["kind"] == "gravestone"] == [stone.id]
    facets = client.get("/api/v1/search?kind=gravestone").json["facets"]["marker_type"]
    assert facets == [{"code": "ram", "count": 1, "selected": False}]


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_nothing_unpublished_reaches_the_public(
    client, cemetery, make_site, make_gravestone, status
):
    hidden = make_gravestone(cemetery, status, number="99", persons=[{"name_read": "Qzvx Hidden"}])
    draft_site = make_site("draft", category="cemetery", site_type="necropolis", slug="draft-c")
    under = make_gravestone(draft_site, "published", persons=[{"name_read": "Qzvx Under"}])
    for stone in (hidden, under):
        assert client.get(f"/gravestones/{stone.id}").status_code == 404
        assert client.get(f"/api/v1/gravestones/{stone.id}").status_code == 404
    for url in ("/sites/shusha-cemetery/gravestones", "/sites/shusha-cemetery", "/sitemap.xml"):
        assert "Qzvx" not in client.get(url).get_data(as_text=True), url
    assert client.get("/api/v1/gravestones").json["total"] == 0
    assert client.get("/api/v1/search?q=Qzvx").json["total"] == 0


def test_a_sensitive_cemetery_keeps_its_gravestones_coordinates(client, make_site, make_gravestone):
    site = make_site(
        "published", category="cemetery", site_type="necropolis", location_sensitive=True
    )
    stone = make_gravestone(site, "published", latitude=39.75, longitude=46.75)
    body = client.get(f"/api/v1/gravestones/{stone.id}").json
    assert (body["latitude"], body["longitude"]) == (None, None)
    assert "39.75" not in client.get(f"/gravestones/{stone.id}").get_data(as_text=True)
