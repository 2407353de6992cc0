"""Collection objects in the search: found by their titles in any script and by inventory
number, counted by object type and status, and, for the public, only once published under
a published museum."""

from __future__ import annotations

import pytest

from heritage.services import collection


@pytest.fixture
def museum(make_site):
    return make_site(
        "published", category="museum", site_type="museum", district="aghdam", slug="aghdam-m"
    )


def objects_found(client, q, **filters):
    body = client.get("/api/v1/search", query_string={"q": q, **filters}).get_json()
    return [item["id"] for item in body["items"] if item["kind"] == "object"], body


@pytest.mark.parametrize("q", ["Qarabağ", "Карабах", "Karabakh", "Garabagh", "AQ-1987-014"])
def test_an_object_is_found_by_its_title_in_any_script_and_by_its_number(
    client, museum, make_object, q
):
    obj = make_object(museum, "published", title_en="Khan Karabakh carpet")

    found, _body = objects_found(client, q)

    assert found == [obj.id]


def test_objects_are_counted_by_type_and_status(client, museum, make_object):
    make_object(museum, "published")
    make_object(
        museum,
        "published",
        inventory_number="AQ-2",
        object_type="metalwork",
        title_en="Ewer",
        status_history=[{"status": "in_collection", "date": "1990"}],
    )

    _found, body = objects_found(client, "", kind="object")
    assert {f["code"]: f["count"] for f in body["facets"]["object_type"]} == {
        "carpet": 1,
        "metalwork": 1,
    }
    assert {f["code"]: f["count"] for f in body["facets"]["object_status"]} == {
        "looted": 1,
        "in_collection": 1,
    }
    looted, _body = objects_found(client, "", object_status="looted")
    assert len(looted) == 1
    html = client.get("/search?kind=object&lang=en").get_data(as_text=True)
    assert "Collection object" in html
    assert "/objects/" in html


def test_unpublished_objects_and_objects_of_unpublished_museums_are_not_found(
    client, museum, make_site, make_object, editor
):
    make_object(museum, "in_review", title_en="Qzvxhidden ewer")
    draft = make_site("draft", category="museum", site_type="museum", slug="draft-m")
    make_object(draft, "published", inventory_number="D-9", title_en="Qzvxhidden ewer")
    shown = make_object(museum, "published", inventory_number="AQ-3", title_en="Qzvxhidden")
    collection.change_object_status(
        shown.id, "withdraw", actor=editor, version=shown.version, note="Ownership disputed."
    )

    found, body = objects_found(client, "Qzvxhidden")

    assert found == []
    assert body["total"] == 0
    assert "/objects/" not in client.get("/search?q=Qzvxhidden").get_data(as_text=True)


def test_staff_find_drafts_too(client, museum, make_object, editor, sign_in):
    make_object(museum, "draft", title_en="Qzvxdraft ewer")
    sign_in(editor)
    html = client.get("/staff/search?q=Qzvxdraft&lang=en").get_data(as_text=True)
    assert "/staff/objects/" in html
