"""The query language: words, phrases, operators, fields, prefixes, typos, facets, order."""

from __future__ import annotations

import time

import pytest

from heritage.schemas.site import EARLIEST_YEAR
from heritage.search.query import InvalidQuery, parse
from tests.search.conftest import ids

HOSTILE = [
    "NOT OR x",
    "OR",
    "AND AND",
    "x AND",
    '"unbalanced',
    '"',
    "(Şuşa OR",
    "((((((((((x))))))))))",
    "x)",
    "()",
    "year:1800..1700",
    "year:abc..def",
    "year:..",
    "century:XYZ",
    "district:nowhere",
    "*",
    "*a*",
    "?",
    "a*",
    "qal*a",
    "\x00",
    "Şuşa\x00qalası",
    "x" * 10_000,
    "Şuşa " * 400,
    " ".join(f"w{n}" for n in range(100)),
    "name:",
    "-",
    "NOT",
    "\u202e\u200bŞuşa",
    "%00 ' OR 1=1 --",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_get_results_or_a_clear_message(find, make_site, text):
    make_site("published", name_az="Şuşa qalası")
    started = time.perf_counter()

    page = find(text)

    assert time.perf_counter() - started < 5
    assert not page.unavailable
    if page.error:
        assert len(page.error) < 300
    else:
        assert page.total >= 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NOT OR x", "NOT needs a word"),
        ("*a*", "wildcard"),
        ("*", "wildcard"),
        ("year:1800..1700", "first year"),
        ("x" * 600, "too long"),
        ("district:nowhere", "district"),
        ("\u200b", "no words"),  # a zero-width space, pasted by itself
        ("\ufeff\x00\x7f", "no words"),
    ],
)
def test_the_message_says_what_is_wrong(text, message):
    with pytest.raises(InvalidQuery, match=message):
        parse(text)


def test_words_phrases_and_operators(find, make_site):
    gevhar = make_site("published", name_az="Gövhər Ağa məscidi", name_en="", name_ru="")
    bridge = make_site(
        "published", name_az="Xudafərin körpüsü", name_en="", name_ru="", site_type="bridge"
    )
    church = make_site(
        "published", name_az="Ağoğlan monastırı", name_en="", name_ru="", site_type="church"
    )

    assert ids(find("Gövhər Ağa")) == [gevhar.id]
    assert ids(find('"Gövhər Ağa"')) == [gevhar.id]
    assert ids(find('"Ağa Gövhər"')) == []
    assert set(ids(find("bridge OR church"))) == {bridge.id, church.id}
    assert set(ids(find("monument NOT bridge"))) == {gevhar.id, church.id}
    assert set(ids(find("monument -church"))) == {gevhar.id, bridge.id}
    assert set(ids(find("(bridge OR church) NOT körpü"))) == {church.id}


def test_phrases_do_not_match_across_left_out_stop_words(find, make_site):
    make_site("published", name_en="Mausoleum of Mir Ali", name_az="", name_ru="")

    assert find('"Mausoleum of Mir Ali"').total == 1
    assert find('"Mausoleum Mir Ali"').total == 0
    assert find("Mausoleum Mir Ali").total == 1


def test_prefixes_are_not_stemmed(find, make_site):
    site = make_site("published", name_az="Qusar məscidi", name_en="", name_ru="")

    assert ids(find("qus*")) == [site.id]
    assert ids(find("Qusa*")) == [site.id]
    assert ids(find("qux*")) == []


def test_one_typo_in_a_long_word_still_finds_it_ranked_below_exact_matches(find, make_site):
    exact = make_site("published", name_az="Kəlbəcər", name_en="", name_ru="", slug="exact")
    other = make_site("published", name_az="Kəlbəcar", name_en="", name_ru="", slug="other")

    found = ids(find("Kəlbəcər"))
    assert found[0] == exact.id
    assert ids(find("Kəlbəcqr")) == [exact.id] or exact.id in ids(find("Kəlbəcqr"))
    assert other.id in found


def test_the_spelling_as_typed_ranks_above_a_folded_or_transliterated_one(find, make_site):
    transliterated = make_site("published", name_en="Shusha House", name_az="", name_ru="")
    folded = make_site("published", name_az="Susa evi", name_en="", name_ru="")
    exact = make_site("published", name_az="Şuşa evi", name_en="", name_ru="")

    assert ids(find("Şuşa"))[:3] == [exact.id, folded.id, transliterated.id]


def test_field_filters(find, make_site, make_record):
    old = make_site(
        "published", name_az="Köhnə hamam", site_type="bathhouse", year_from=1450, year_to=1460
    )
    new = make_site(
        "published", name_az="Yeni hamam", site_type="bathhouse", year_from=1890, year_to=1895
    )
    make_site("published", name_az="Başqa hamam", district="aghdam", site_type="bathhouse")

    assert set(ids(find("hamam district:Şuşa"))) == {old.id, new.id}
    assert set(ids(find("hamam district:Шуша"))) == {old.id, new.id}
    assert ids(find("type:bathhouse century:15")) == [old.id]
    assert ids(find("type:hamam century:XIX")) == [new.id]
    assert ids(find("year:1400..1500")) == [old.id]
    assert ids(find("year:1800..")) == [new.id]
    assert ids(find("name:Köhnə")) == [old.id]


def test_records_and_photos_are_found_with_their_facets(
    find, make_site, make_record, make_photo, publish_photo, editor
):
    from heritage.services import restorations

    site = make_site("published", name_az="Əsgəran qalası", site_type="fortress")
    record = make_record(site, title="Bürclərin konservasiyası", work_type="conservation")
    restorations.publish_record(record.id, actor=editor, version=record.version)
    photo = publish_photo(make_photo(site, caption_en="The north tower at dawn."))

    assert ids(find("Bürclərin"), "record") == [record.id]
    assert ids(find("tower dawn"), "photo") == [photo.id]
    page = find("Əsgəran")
    assert {item.kind for item in page.items} == {"site", "record", "photo"}
    assert ids(find("Əsgəran", work_type=["conservation"]), "record") == [record.id]
    assert ids(find("Əsgəran", kind=["photo"]), "photo") == [photo.id]


def test_facet_counts(find, make_site, make_record, editor):
    from heritage.services import restorations

    a = make_site("published", name_az="Zəylik bir", district="shusha", condition="poor")
    make_site("published", name_az="Zəylik iki", district="shusha", condition="good")
    make_site("published", name_az="Zəylik üç", district="lachin", site_type="church")
    make_site("draft", name_az="Zəylik gizli", district="lachin")
    record = make_record(a, work_type="survey")
    restorations.publish_record(record.id, actor=editor, version=record.version)

    facets = {
        name: {value.code: value.count for value in values}
        for name, values in find("Zəylik").facets.items()
    }

    assert facets["kind"] == {"site": 3, "record": 1}
    assert facets["district"] == {"shusha": 3, "lachin": 1}
    assert facets["site_type"] == {"mosque": 3, "church": 1}
    assert facets["condition"] == {"poor": 3, "good": 1}
    assert facets["work_type"] == {"survey": 1}
    assert facets["century"] == {"18": 4}
    assert "status" not in facets

    staff = find("Zəylik", actor=editor, staff=True)
    status = {value.code: value.count for value in staff.facets["status"]}
    assert status == {"published": 4, "draft": 1}
    narrowed = find("Zəylik", district=["lachin"])
    assert narrowed.total == 1
    assert [v.code for v in narrowed.facets["district"] if v.selected] == ["lachin"]


def test_sorting_and_pages(app, find, make_site):
    app.config["SEARCH_PAGE_SIZE"] = 2
    for name, year in (("Cənub hamamı", 1700), ("Ayaq hamamı", 1500), ("Bəy hamamı", 1900),
                       ("Daş hamamı", EARLIEST_YEAR)):  # fmt: skip
        make_site(
            "published",
            name_az=name,
            name_en="",
            name_ru="",
            site_type="bathhouse",
            year_from=year,
            year_to=year,
        )

    by_name = [item.entity.name_az for item in find("hamam", sort="name").items]
    assert by_name == ["Ayaq hamamı", "Bəy hamamı"]
    second = find("hamam", sort="name", page=2)
    assert [item.entity.name_az for item in second.items] == ["Cənub hamamı", "Daş hamamı"]
    assert second.pages == 2
    oldest = [item.entity.year_from for item in find("hamam", sort="date").items]
    newest = [item.entity.year_from for item in find("hamam", sort="-date").items]
    assert oldest == [EARLIEST_YEAR, 1500]
    assert newest == [1900, 1700]


def test_did_you_mean_when_nothing_matches(find, make_site):
    make_site("published", name_az="Xudafərin körpüsü", name_en="", name_ru="")

    page = find("Xuzavərin körpüsü")

    assert page.total == 0
    assert page.suggestion == "xudafərin körpüsü"
    assert find(page.suggestion).total == 1
