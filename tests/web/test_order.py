"""Lists in the reader's order: each language's collation, the sort control, and periods
of origin named as people name them (never the "15000th century BCE")."""

from __future__ import annotations

import re

import pytest

from heritage.services import sites

# Hand-checked against the Azerbaijani alphabet: a b c ç d e ə f g ğ h x ı i j k q l m n o ö
# p r s ş t u ü v y z.
AZERBAIJANI = [
    "Ağdam məscidi",
    "Cəmi hamamı",
    "Çay körpüsü",
    "Eyvazlı türbəsi",
    "Əsgəran qalası",
    "Gəncə qapısı",
    "Ğaraçı",
    "Həsənriz",
    "Xocalı",
    "Ilıq su",
    "İsa bulağı",
    "Kəlbəcər",
    "Qubadlı",
    "Laçın",
    "Ordubad",
    "Ölməz",
    "Sərab",
    "Şuşa",
    "Ulu",
    "Ümid",
    "Zəngilan qalası",
]
# The Russian alphabet: … е ё ж з … ф х ц ч ш щ ъ ы ь э ю я.
RUSSIAN = ["Агдам", "Евлах", "Ёлочная роща", "Жёлтый мост", "Зангелан", "Физули", "Ходжалы",
           "Шуша", "Эчмиадзин", "Ярдымлы"]  # fmt: skip
# English: letter case and diacritics do not change the order of letters.
ENGLISH = ["agdam", "Baku", "Nakhchivan", "Öküz Bridge", "Pir", "Zangilan"]


def listed(html: str, lang: str) -> list[str]:
    return re.findall(rf'<a href="/sites/[^"]+"><span lang="{lang}">([^<]+)</span></a>', html)


def only_name(lang: str, name: str) -> dict:
    return {f"name_{code}": name if code == lang else None for code in ("az", "en", "ru")}


@pytest.mark.parametrize(("lang", "names"), [("az", AZERBAIJANI), ("ru", RUSSIAN), ("en", ENGLISH)])
def test_sites_are_listed_in_the_order_of_the_pages_language(client, make_site, lang, names):
    for name in reversed(names):
        make_site("published", slug=f"site-{len(name)}-{abs(hash(name)) % 10**6}",
                  **only_name(lang, name))  # fmt: skip

    html = client.get(f"/sites?lang={lang}").get_data(as_text=True)

    assert listed(html, lang) == names
    map_list = client.get(f"/map?lang={lang}").get_data(as_text=True)
    assert re.findall(r'<li><a href="/sites/[^"]+">([^<]+)</a>', map_list) == names


def test_a_name_shown_in_another_language_sorts_by_that_name(client, make_site):
    make_site("published", name_az="Şuşa qalası", name_en=None, name_ru=None, slug="fortress")
    make_site("published", name_az="Zəngilan", name_en="Zangilan", name_ru=None, slug="zangilan")
    make_site("published", name_az="Ağdam", name_en="Aghdam", name_ru=None, slug="aghdam")

    html = client.get("/sites?lang=en").get_data(as_text=True)

    assert re.findall(r'<a href="/sites/([^"]+)">', html)[:3] == ["aghdam", "fortress", "zangilan"]


def test_sites_sort_by_name_date_of_origin_or_recently_published(client, make_site):
    make_site("published", name_az="Bəy evi", year_from=1768, slug="house")
    make_site("published", name_az="Ağ daş", year_from=-2500, slug="stone")
    make_site("published", name_az="Cümə məscidi", year_from=None, slug="mosque")
    make_site("published", name_az="Dəyirman", year_from=1200, slug="mill")

    def order(query: str) -> list[str]:
        html = client.get(f"/sites?lang=az{query}").get_data(as_text=True)
        return re.findall(r'<a href="/sites/([^"]+)"><span', html)

    assert order("") == ["stone", "house", "mosque", "mill"]
    assert order("&sort=date") == ["stone", "mill", "house", "mosque"]
    assert order("&sort=recent") == ["mill", "mosque", "stone", "house"]
    assert order("&sort=nonsense") == order("")
    html = client.get("/sites?lang=az&sort=recent&district=shusha").get_data(as_text=True)
    assert '<option value="recent" selected>' in html
    assert "sort=recent" in re.search(r'href="([^"]*category=monument[^"]*)"', html).group(1)


def test_search_can_show_the_recently_published_first(client, make_site, editor):
    first = make_site("published", name_en="Stone bridge one", slug="one")
    make_site("published", name_en="Stone bridge two", slug="two")
    sites.update_site(
        first.id, {"name_en": "Stone bridge one, renamed"}, actor=editor, version=first.version
    )  # fmt: skip  (a change is not a publication)

    html = client.get("/search?q=bridge&sort=recent&lang=en").get_data(as_text=True)

    assert re.findall(r'class="result-title" href="/sites/([^"]+)"', html) == ["two", "one"]
    assert '<option value="recent" selected>' in html


@pytest.mark.parametrize(
    ("lang", "palaeolithic", "millennium"),
    [
        ("en", "Palaeolithic (before 10,000 BCE)", "3rd millennium BCE"),
        ("ru", "Палеолит (до 10 000 до н. э.)", "III тысячелетие до н. э."),
        ("az", "Paleolit (e.ə. 10 000-dən əvvəl)", "e.ə. III minillik"),
    ],
)
def test_prehistoric_periods_are_named_as_millennia_or_the_stone_age(
    client, make_site, lang, palaeolithic, millennium
):
    make_site("published", name_en="Azykh Cave", year_from=-1_500_000, year_to=-10_000,
              slug="azykh", site_type="cave")  # fmt: skip
    make_site("published", name_en="Uzerliktepe", year_from=-2500, year_to=-1800, slug="tepe",
              site_type="archaeological_site")  # fmt: skip

    html = client.get(f"/sites?lang={lang}").get_data(as_text=True)
    found = client.get(f"/search?century=-101&lang={lang}").get_data(as_text=True)

    assert "15000" not in html
    assert palaeolithic in html
    assert millennium in html
    cave = client.get("/sites?century=-101").get_data(as_text=True)
    assert re.findall(r'<a href="/sites/([^"]+)"><span', cave) == ["azykh"]
    mound = client.get("/sites?century=-30").get_data(as_text=True)
    assert re.findall(r'<a href="/sites/([^"]+)"><span', mound) == ["tepe"]
    assert palaeolithic in found
    assert "/sites/azykh" in found
    assert "/sites/tepe" not in found


# --- the period as written, in the page's language -----------------------------------------


def test_the_period_is_shown_in_the_pages_language_or_marked(client, make_site):
    both = make_site("published", name_en="Mosque", slug="mosque", period_az="XVIII əsr",
                     period_en="18th century", period_ru="XVIII век")  # fmt: skip
    english = make_site("published", name_en="Bridge", slug="bridge", period_az=None,
                        period_en="Late Middle Ages", period_ru=None)  # fmt: skip

    for lang, text in (("az", "XVIII əsr"), ("ru", "XVIII век"), ("en", "18th century")):
        page = client.get(f"/sites/{both.slug}?lang={lang}").get_data(as_text=True)
        assert f'<span lang="{lang}">{text}</span>' in page
        cards = client.get(f"/sites?lang={lang}").get_data(as_text=True)
        assert f'<span lang="{lang}">{text}</span>' in cards
    page = client.get(f"/sites/{english.slug}?lang=ru").get_data(as_text=True)
    assert '<span lang="en">Late Middle Ages</span> <small class="fallback">' in page
    api = client.get(f"/api/v1/sites/{both.id}").get_json()
    assert api["periods"] == {"az": "XVIII əsr", "en": "18th century", "ru": "XVIII век"}


def test_every_period_of_the_demo_is_written_in_each_language():
    from heritage.demo import demo_data

    entries = [entry for entry in demo_data()["sites"] if entry.get("period_en")]
    assert len(entries) > 30
    for entry in entries:
        assert entry["period_az"], entry["slug"]
        assert entry["period_ru"], entry["slug"]
        if not entry["period_en"][:1].isdigit():
            # Words are translated, not copied: the English text is not on az or ru pages.
            assert entry["period_en"] not in (entry["period_az"], entry["period_ru"])
