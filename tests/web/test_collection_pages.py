"""Collection objects on the pages: staff catalogue them and their whereabouts from a form;
the public sees a museum's published collection, each published object's page and the list
of missing objects, and nothing unpublished."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import CollectionObject
from tests.conftest import form_token


@pytest.fixture
def museum(make_site):
    return make_site(
        "published",
        category="museum",
        site_type="museum",
        district="aghdam",
        slug="aghdam-museum",
        name_en="Aghdam Museum of Local Lore",
    )


def post(client, url, data, token_from):
    return client.post(url, data={**data, "csrf_token": form_token(client, token_from)})


def object_form(**rows) -> dict:
    data = {
        "inventory_number": "AQ-7",
        "object_type": "manuscript",
        "title_en": "Divan of Natavan",
        "title_ru": "Диван Натаван",
        "status_history-rows": "1",
        "status_history-0-status": "in_collection",
        "status_history-0-date": "1979",
        "status_history-0-evidence": "",
        "status_history-0-source": "Inventory book",
        "status_history-1-status": "looted",
        "status_history-1-date": "1993-07",
        "status_history-1-evidence": "Seen for sale in 2008",
        "status_history-1-source": "",
        # The empty row the form always offers is no change.
        "status_history-2-status": "",
        "status_history-2-date": "",
        "status_history-2-evidence": "",
        "status_history-2-source": "",
    }
    data.update(rows)
    return data


def the_object():
    db.session.rollback()
    return db.session.scalar(select(CollectionObject))


def test_a_restorer_catalogues_an_object_and_adds_to_its_whereabouts(
    client, make_user, sign_in, museum
):
    sign_in(make_user("restorer"))
    new = f"/staff/sites/{museum.id}/objects/new"
    page = client.get(new).get_data(as_text=True)
    assert 'name="status_history-0-date"' in page

    saved = post(client, new, object_form(), new)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    obj = the_object()
    assert obj.object_status == "looted"
    assert [change["status"] for change in obj.status_history] == ["in_collection", "looted"]
    assert obj.status_history[1]["evidence"] == "Seen for sale in 2008"

    edit = f"/staff/objects/{obj.id}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert 'value="Seen for sale in 2008"' not in form  # evidence is a textarea
    assert "Seen for sale in 2008</textarea>" in form
    added = post(
        client,
        edit,
        object_form(
            version=str(obj.version),
            **{
                "status_history-2-status": "recovered",
                "status_history-2-date": "2024-05-02",
                "status_history-2-source": "Customs seizure record 17/24",
            },
        ),
        edit,
    )
    assert added.status_code == 303, added.get_data(as_text=True)
    assert the_object().object_status == "recovered"

    history = client.get(f"/staff/objects/{obj.id}/history").get_data(as_text=True)
    assert "Customs seizure record 17/24" in history


def test_a_wrong_date_is_shown_beside_the_form_and_nothing_is_saved(
    client, make_user, sign_in, museum
):
    sign_in(make_user("restorer"))
    new = f"/staff/sites/{museum.id}/objects/new"
    refused = post(client, new, object_form(**{"status_history-1-date": "July 1993"}), new)
    assert refused.status_code == 422
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in refused.get_data(as_text=True)
    assert the_object() is None


def test_the_public_sees_a_museums_published_collection_by_status(client, museum, make_object):
    make_object(museum, "published")
    make_object(
        museum,
        "published",
        inventory_number="AQ-2",
        title_en="Bronze ewer",
        object_type="metalwork",
        status_history=[{"status": "in_collection", "date": "1990"}],
    )
    make_object(museum, "in_review", inventory_number="AQ-3", title_en="Qzvx draft object")

    everything = client.get("/sites/aghdam-museum/collection?lang=en").get_data(as_text=True)
    assert "Khan Garabagh" in everything
    assert "Bronze ewer" in everything
    assert "Qzvx" not in everything
    looted = client.get("/sites/aghdam-museum/collection?status=looted&lang=en")
    assert "Bronze ewer" not in looted.get_data(as_text=True)
    assert "Khan Garabagh" in looted.get_data(as_text=True)
    site_page = client.get("/sites/aghdam-museum?lang=en").get_data(as_text=True)
    assert "/sites/aghdam-museum/collection?status=looted" in site_page


def test_an_objects_page_has_its_citation_and_json_ld(client, museum, make_object):
    obj = make_object(museum, "published")
    page = client.get(f"/objects/{obj.id}?lang=ru")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ковёр «Хан Карабах»" in html
    assert "AQ-1987-014" in html
    assert 'class="citation"' in html
    assert "Staff only." not in html
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["identifier"] == "AQ-1987-014"
    assert data["holdingArchive"]["url"].endswith("/sites/aghdam-museum")


def test_the_missing_list_is_filtered_by_museum_and_type(client, museum, make_site, make_object):
    other = make_site("published", category="museum", site_type="museum", slug="shusha-museum")
    make_object(museum, "published")
    make_object(
        other, "published", inventory_number="SH-1", title_en="Silver belt", object_type="jewellery"
    )
    make_object(
        museum,
        "published",
        inventory_number="AQ-9",
        title_en="Kept vase",
        status_history=[{"status": "in_collection", "date": "1990"}],
    )

    everything = client.get("/missing?lang=en").get_data(as_text=True)
    assert "Khan Garabagh" in everything
    assert "Silver belt" in everything
    assert "Kept vase" not in everything
    by_museum = client.get("/missing?museum=shusha-museum&lang=en").get_data(as_text=True)
    assert "Silver belt" in by_museum
    assert "Khan Garabagh" not in by_museum
    by_type = client.get("/missing?type=carpet&lang=en").get_data(as_text=True)
    assert "Khan Garabagh" in by_type
    assert "Silver belt" not in by_type
    assert client.get("/missing?type=nonsense").status_code == 200


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_nothing_unpublished_reaches_a_public_page(client, museum, make_site, make_object, status):
    hidden = make_object(museum, status, title_en="Qzvx hidden")
    unpublished_site = make_site(
        "draft", category="museum", site_type="museum", slug="draft-museum"
    )
    under_draft = make_object(unpublished_site, "published", title_en="Qzvx under draft")

    for obj in (hidden, under_draft):
        assert client.get(f"/objects/{obj.id}").status_code == 404
    assert client.get("/sites/draft-museum/collection").status_code == 404
    for url in (
        "/missing",
        "/sites/aghdam-museum/collection",
        "/sites/aghdam-museum",
        "/sitemap.xml",
    ):
        assert "Qzvx" not in client.get(url).get_data(as_text=True), url
        assert f"/objects/{hidden.id}" not in client.get(url).get_data(as_text=True), url
    assert client.get("/api/v1/objects").json["total"] == 0


def test_published_objects_are_in_the_sitemap(client, museum, make_object):
    obj = make_object(museum, "published")
    assert f"/objects/{obj.id}" in client.get("/sitemap.xml").get_data(as_text=True)


def test_objects_and_gravestones_in_review_wait_in_the_review_queue(
    client, museum, make_site, make_object, make_gravestone, editor, sign_in
):
    make_object(museum, "in_review", title_en="Waiting carpet")
    cemetery = make_site("published", category="cemetery", site_type="cemetery", slug="c-1")
    make_gravestone(cemetery, "in_review", number="41")
    sign_in(editor)
    html = client.get("/staff/review?lang=en").get_data(as_text=True)
    assert "Waiting carpet" in html
    assert "№ 41" in html
    assert "objects/1/workflow/publish" in html
