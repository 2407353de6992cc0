"""OAI-PMH at /oai, as harvesters see it: a real harvester (Sickle) through resumption
tokens while the archive changes, every response valid against the official schema, and
each error code of the protocol where the specification names it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree
from sickle import Sickle

from heritage.extensions import db
from heritage.models import HarvestRecord
from heritage.services import restorations, sites
from tests.data import OAI_PMH_SCHEMA

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC_ELEMENTS = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date",
    "type", "format", "identifier", "source", "language", "relation", "coverage", "rights",
}  # fmt: skip
SCHEMA = etree.XMLSchema(etree.parse(str(OAI_PMH_SCHEMA)))


def oai(client, **args) -> etree._Element:
    """The response to one request, checked against the OAI-PMH schema and oai_dc's rules."""
    response = client.get("/oai", query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = etree.fromstring(response.data)
    SCHEMA.assertValid(root)
    for dc in root.iter("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"):
        for element in dc:
            assert element.tag.removeprefix(DC) in DC_ELEMENTS, element.tag
            assert element.get(XML_LANG) in (None, "az", "en", "ru")
    return root


def error_code(client, **args) -> str:
    errors = oai(client, **args).findall(f"{OAI}error")
    assert len(errors) == 1
    return errors[0].get("code")


def identifiers(root) -> list[str]:
    return [
        node.text
        for node in root.iter(f"{OAI}identifier")
        if node.getparent().tag == f"{OAI}header"
    ]


def identifier(kind: str, entity_id: int) -> str:
    return f"oai:localhost:{kind}/{entity_id}"


def withdraw(site, editor):
    return sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Duplicate.")


def publish_record(record, editor):
    record = restorations.submit_record(record.id, actor=editor, version=record.version)
    return restorations.publish_record(record.id, actor=editor, version=record.version)


def test_identify_names_the_repository_and_its_rules(client):
    identify = oai(client, verb="Identify").find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}baseURL") == "http://localhost/oai"
    assert identify.findtext(f"{OAI}protocolVersion") == "2.0"
    assert identify.findtext(f"{OAI}deletedRecord") == "persistent"
    assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    earliest = identify.findtext(f"{OAI}earliestDatestamp")
    assert earliest > "2020", "a real date, never the epoch"


def test_a_published_site_in_dublin_core_in_three_languages(client, make_site):
    site = make_site("published")
    record = oai(
        client, verb="GetRecord", identifier=identifier("site", site.id), metadataPrefix="oai_dc"
    )
    dc = record.find(".//{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")
    titles = {node.get(XML_LANG): node.text for node in dc.findall(f"{DC}title")}
    assert titles == {
        "az": "Yuxarı Gövhər Ağa məscidi",
        "en": "Upper Govhar Agha Mosque",
        "ru": "Мечеть Юхары Гевхар-ага",
    }
    subjects = {(node.get(XML_LANG), node.text) for node in dc.findall(f"{DC}subject")}
    assert ("en", "Mosque") in subjects
    assert ("ru", "Мечеть") in subjects
    coverage = [node.text for node in dc.findall(f"{DC}coverage")]
    assert "Shusha" in coverage
    assert "Şuşa" in coverage
    assert "39.75800, 46.75100" in coverage
    assert dc.findtext(f"{DC}date") == "1768/1769"
    assert [node.text for node in dc.findall(f"{DC}identifier")] == [
        f"http://localhost/sites/{site.slug}",
        f"http://localhost/iiif/3/sites/{site.slug}/manifest",
    ]
    assert dc.findtext(f"{DC}rights") == "https://creativecommons.org/publicdomain/zero/1.0/"
    specs = {node.text for node in record.iter(f"{OAI}setSpec")}
    assert specs == {"kind:site", "category:monument", "type:mosque", "district:shusha"}


def test_a_sensitive_location_leaves_no_coordinates_nor_settlement(client, make_site):
    site = make_site("published", location_sensitive=True, settlement="Daşaltı")
    record = oai(
        client, verb="GetRecord", identifier=identifier("site", site.id), metadataPrefix="oai_dc"
    )
    coverage = [node.text for node in record.iter(f"{DC}coverage")]
    assert "Daşaltı" not in coverage
    assert not any("46.75" in text for text in coverage)
    assert "Shusha" in coverage


def test_nothing_unpublished_is_harvested(client, make_site, make_record, editor):
    draft = make_site("draft", name_en="Secret draft", slug="secret-draft")
    in_review = make_site("in_review", name_en="Waiting for review", slug="waiting")
    public = make_site("published", name_en="Public mosque", slug="public-mosque")
    make_record(public, title="Unpublished work on a public site")
    make_record(draft, title="Work on a draft site")
    body = client.get("/oai", query_string={"verb": "ListRecords", "metadataPrefix": "oai_dc"}).text
    assert "Public mosque" in body
    for secret in ("Secret draft", "Waiting for review", "Unpublished work", "Work on a draft"):
        assert secret not in body
    for site in (draft, in_review):
        assert (
            error_code(
                client,
                verb="GetRecord",
                identifier=identifier("site", site.id),
                metadataPrefix="oai_dc",
            )
            == "idDoesNotExist"
        )


def test_a_withdrawn_site_and_its_work_answer_as_deleted_for_ever(
    client, make_site, make_record, editor
):
    site = make_site("published")
    record = publish_record(make_record(site), editor)
    withdraw(site, editor)
    for kind, entity_id in (("site", site.id), ("record", record.id)):
        root = oai(
            client,
            verb="GetRecord",
            identifier=identifier(kind, entity_id),
            metadataPrefix="oai_dc",
        )
        header = root.find(f".//{OAI}header")
        assert header.get("status") == "deleted"
        assert root.find(f".//{OAI}metadata") is None
    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert {h.get("status") for h in listed.iter(f"{OAI}header")} == {"deleted"}


def test_datestamps_move_only_when_the_public_sees_a_change(client, make_site, editor):
    site = make_site("published")
    first = db.session.scalar(
        db.select(HarvestRecord).filter_by(entity_type="site", entity_id=site.id)
    )
    stamp, row_id = first.datestamp, first.id
    site = sites.update_site(
        site.id, {"internal_note": "Staff only."}, actor=editor, version=site.version
    )
    again = db.session.scalar(
        db.select(HarvestRecord).filter_by(entity_type="site", entity_id=site.id)
    )
    assert (again.id, again.datestamp) == (row_id, stamp), "a staff note says nothing to harvesters"

    make_site("draft", slug="another-draft")  # a draft's life leaves no trace either
    assert db.session.scalar(db.select(db.func.count()).select_from(HarvestRecord)) == 1

    sites.update_site(site.id, {"name_en": "Renamed mosque"}, actor=editor, version=site.version)
    changed = db.session.scalar(
        db.select(HarvestRecord).filter_by(entity_type="site", entity_id=site.id)
    )
    assert changed.id > row_id
    assert changed.datestamp >= stamp


def test_from_and_until_at_the_granularity_of_a_second_or_a_day(client, make_site):
    make_site("published")
    today = datetime.now(UTC).date()
    assert identifiers(
        oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=today.isoformat())
    )
    assert identifiers(
        oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": today.isoformat()})
    )
    past = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (
        error_code(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=past)
        == "noRecordsMatch"
    )
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert (
        error_code(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": tomorrow})
        == "noRecordsMatch"
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListThings"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01T00:00:00"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-01",
                "until": "2026-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-02-01",
                "until": "2026-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "district:atlantis"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:localhost:site/999",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:site/1"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "site/1'; --"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "oai:localhost:photo/1"}, "idDoesNotExist"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc"}, "noRecordsMatch"),
    ],
)
def test_every_error_code_where_the_protocol_names_it(client, args, code):
    assert error_code(client, **args) == code


def test_the_request_is_not_echoed_with_a_bad_argument(client):
    root = oai(client, verb="Identify", extra="<script>")
    assert root.find(f"{OAI}request").attrib == {}


def test_a_token_is_for_the_verb_that_gave_it(client, make_site, app):
    app.config["OAI_PAGE_SIZE"] = 1
    make_site("published", slug="one")
    make_site("published", slug="two", name_az="İkinci", name_en="Second", name_ru="Второй")
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.findtext(f".//{OAI}resumptionToken")
    assert token
    assert error_code(client, verb="ListRecords", resumptionToken=token) == "badResumptionToken"
    last = oai(client, verb="ListIdentifiers", resumptionToken=token)
    final = last.find(f".//{OAI}resumptionToken")
    assert final.text is None
    assert final.get("completeListSize") == "2"
    assert final.get("cursor") == "1"


def test_a_list_ending_on_a_full_page_sends_no_empty_page(client, make_site, app):
    app.config["OAI_PAGE_SIZE"] = 2
    for n in range(2):
        make_site(
            "published",
            slug=f"site-{n}",
            name_en=f"Site {n}",
            name_az=f"Abidə {n}",
            name_ru=f"Памятник {n}",
        )
    only = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(identifiers(only)) == 2
    assert only.find(f".//{OAI}resumptionToken") is None


def test_sets_select_by_kind_and_district(client, make_site, make_record, editor):
    shusha = make_site("published", slug="in-shusha")
    make_site("published", slug="in-aghdam", district="aghdam", name_en="Aghdam mosque")
    record = publish_record(make_record(shusha), editor)
    listed = oai(client, verb="ListSets").findall(f".//{OAI}setSpec")
    assert {"kind", "kind:site", "district", "district:shusha", "type:mosque"} <= {
        n.text for n in listed
    }
    in_shusha = identifiers(
        oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="district:shusha")
    )
    assert in_shusha == [identifier("site", shusha.id), identifier("record", record.id)]
    work = identifiers(
        oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:record")
    )
    assert work == [identifier("record", record.id)]


def test_text_xml_cannot_carry_is_left_out(client, make_site, editor):
    site = make_site("published")
    sites.update_site(
        site.id,
        {"description_en": "Rebuilt in 1990 \ufffe."},
        actor=editor,
        version=site.version,
    )
    root = oai(
        client, verb="GetRecord", identifier=identifier("site", site.id), metadataPrefix="oai_dc"
    )
    descriptions = [n.text for n in root.iter(f"{DC}description") if n.get(XML_LANG) == "en"]
    assert "Rebuilt in 1990 ." in descriptions


def test_post_is_answered_as_get(client, make_site):
    make_site("published")
    response = client.post("/oai", data={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(response.data)
    SCHEMA.assertValid(root)
    assert len(identifiers(root)) == 1


def test_a_harvester_takes_everything_once_while_the_archive_changes(
    live_server, app, make_site, make_record, editor
):
    """Sickle, a harvester this project did not write, follows the resumption tokens to the
    end while sites are published and withdrawn under it: it ends with every published
    record, every withdrawn one as deleted, and no live record twice."""
    app.config.update(OAI_PAGE_SIZE=4, OAI_REPOSITORY_ID="localhost")
    published = [
        make_site(
            "published",
            slug=f"site-{n}",
            name_en=f"Site {n}",
            name_az=f"Abidə {n}",
            name_ru=f"Памятник {n}",
        )
        for n in range(9)
    ]
    record = publish_record(make_record(published[0]), editor)
    make_site("draft", slug="never-public", name_en="Never public")

    harvester = Sickle(f"{live_server}/oai", max_retries=0)
    seen: list[tuple[str, bool]] = []
    added = withdrawn = None
    for n, item in enumerate(harvester.ListRecords(metadataPrefix="oai_dc")):
        seen.append((item.header.identifier, item.header.deleted))
        if n == 5:  # mid-harvest: one more published, one already harvested withdrawn
            added = make_site(
                "published", slug="late", name_en="Published late", name_az="Gec", name_ru="Поздно"
            )
            withdrawn = withdraw(published[1], editor)

    final = dict(seen)
    live = {identifier("site", site.id) for site in published if site.id != withdrawn.id}
    live |= {identifier("site", added.id), identifier("record", record.id)}
    assert {key for key, deleted in final.items() if not deleted} == live
    assert final[identifier("site", withdrawn.id)] is True
    live_headers = [key for key, deleted in seen if not deleted]
    assert len(live_headers) == len(set(live_headers)), "no live record twice"
    assert all("never-public" not in key for key, _ in seen)
