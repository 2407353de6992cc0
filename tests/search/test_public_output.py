"""What anonymous search shows — suggestions, totals, facets, snippets — comes from
published records only, whatever the index holds besides."""

from __future__ import annotations

import pytest

from heritage.services import restorations


@pytest.mark.parametrize("status", ["draft", "in_review", "withdrawn"])
def test_did_you_mean_never_offers_an_unpublished_name(client, make_site, status):
    make_site(status, name_az="Zorbalaqsan türbəsi", name_en="", name_ru="")
    make_site("published", name_az="Açıq türbə", name_en="", name_ru="")

    api = client.get("/api/v1/search?q=Zorbalaqsam").get_json()
    html = client.get("/search?q=Zorbalaqsam&lang=en").get_data(as_text=True)

    assert api["total"] == 0
    assert api["suggestion"] is None
    assert "Did you mean" not in html
    assert "zorbalaqsan" not in html.lower()


def test_did_you_mean_never_offers_a_record_title_of_a_draft_site(
    client, make_site, make_record, editor
):
    draft = make_site(name_az="Qaralama abidə", name_en="", name_ru="")
    record = make_record(draft, title="Mexlubatorium conservation")
    restorations.submit_record(record.id, actor=editor, version=record.version)
    published = make_site("published", name_az="Açıq abidə", name_en="", name_ru="")
    make_record(published, title="Hidden draft work Quaxentrium")

    for typo in ("Mexlubatoriun", "Quaxentriun"):
        body = client.get(f"/api/v1/search?q={typo}").get_json()
        assert body["suggestion"] is None, typo


def test_staff_still_get_suggestions_from_everything_they_may_see(
    client, make_site, editor, sign_in
):
    make_site("draft", name_az="Zorbalaqsan türbəsi", name_en="", name_ru="")
    sign_in(editor)

    # Two letters off: not found by typo tolerance, so the page suggests.
    html = client.get("/staff/search?q=Zorbalaxsam&lang=en").get_data(as_text=True)

    assert "Did you mean" in html
    assert "zorbalaqsan" in html


def test_a_public_suggestion_is_one_that_finds_published_records(client, make_site):
    make_site("published", name_az="Xudafərin körpüsü", name_en="", name_ru="")
    # Closer to the typo than the published name, but a draft.
    make_site("draft", name_az="Xudavəriq qalası", name_en="", name_ru="")

    body = client.get("/api/v1/search?q=Xudavərim").get_json()

    assert body["suggestion"] == "xudafərin"
    assert client.get("/api/v1/search?q=xudafərin").get_json()["total"] == 1


def test_totals_and_facets_count_published_records_only(client, make_site):
    make_site("published", name_az="Sayılan hamam", district="shusha")
    make_site("draft", name_az="Sayılmayan hamam", district="aghdam")
    make_site("in_review", name_az="Gözləyən hamam", district="lachin")

    body = client.get("/api/v1/search?q=hamam").get_json()

    assert body["total"] == 1
    districts = {value["code"]: value["count"] for value in body["facets"]["district"]}
    assert districts == {"shusha": 1}
    assert "status" not in body["facets"]
    snippet = "".join(s["text"] for item in body["items"] for s in item["snippet"])
    assert "Sayılmayan" not in snippet
    assert "Gözləyən" not in snippet
