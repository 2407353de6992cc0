"""The staff catalogue and its exports as researchers and editors use them: words found
through the search service, filters, order, short pages that keep the choices, exports whose
file names say what and when, with labels beside the codes and public addresses."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from tests.web.test_gallery import count_queries


def _names(html: str) -> list[str]:
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<a href="/staff/sites/\d+">([^<]+)</a>', table)


def test_the_catalogue_finds_by_words_and_filters_by_status_district_type_and_condition(
    client, sign_in, editor, make_site
):
    make_site(
        "published", name_en="Shusha fortress", name_az="Şuşa qalası", name_ru="Шушинская крепость",
        site_type="fortress", condition="good",
    )  # fmt: skip
    make_site("draft", name_en="Shusha mosque", description_en="A carved minbar survives.")
    make_site(
        "published", name_en="Aghdam mosque", name_az="Ağdam Cümə məscidi", name_ru="Мечеть",
        district="aghdam", condition="ruined",
    )  # fmt: skip
    sign_in(editor)

    def names(query: str) -> list[str]:
        return sorted(_names(client.get(f"/staff/sites/?lang=en&{query}").get_data(as_text=True)))

    assert names("q=minbar") == ["Shusha mosque"]
    assert names("q=mosque") == ["Aghdam mosque", "Shusha mosque"]
    assert names("q=mosque&status=published") == ["Aghdam mosque"]
    assert names("district=shusha") == ["Shusha fortress", "Shusha mosque"]
    assert names("site_type=fortress") == ["Shusha fortress"]
    assert names("condition=ruined") == ["Aghdam mosque"]
    assert names("district=nowhere") == ["Aghdam mosque", "Shusha fortress", "Shusha mosque"]
    bad = client.get("/staff/sites/?lang=en&q=NOT+OR+x")
    assert bad.status_code == 200
    assert 'class="field-error"' in bad.get_data(as_text=True)


def test_the_catalogue_sorts_and_its_pages_keep_the_choices(
    app, client, sign_in, editor, make_site
):
    for n in range(23):
        make_site(name_en=f"Site {chr(ord('A') + n)}", condition="poor")
    sign_in(editor)

    first = client.get("/staff/sites/?lang=en&sort=name&condition=poor").get_data(as_text=True)
    assert _names(first)[:3] == ["Site A", "Site B", "Site C"]
    assert len(_names(first)) == app.config["CATALOGUE_PAGE_SIZE"] == 20
    following = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "sort=name" in following
    assert "condition=poor" in following
    assert _names(client.get(following).get_data(as_text=True)) == ["Site U", "Site V", "Site W"]
    changed = client.get("/staff/sites/?lang=en").get_data(as_text=True)
    assert _names(changed)[0] == "Site W"  # the latest changed first


def test_staff_search_is_in_the_menu_and_linked_from_the_catalogue(client, sign_in, editor):
    sign_in(editor)
    html = client.get("/staff/sites/?lang=en").get_data(as_text=True)
    menu = html.split('class="staff-nav"')[1].split("</nav>")[0]
    assert 'href="/staff/search"' in menu
    assert 'href="/staff/search">Search everything' in html.split("<main")[1]


def test_exports_carry_labels_public_addresses_and_a_name_saying_what_and_when(
    client, sign_in, make_user, make_site
):
    published = make_site("published", name_en="Shusha fortress", site_type="fortress")
    make_site("draft", name_en="Shusha mosque")
    sign_in(make_user("researcher"))

    catalogue = client.get("/staff/sites/?lang=ru&district=shusha").get_data(as_text=True)
    link = re.search(r'href="(/staff/search/export\.csv\?[^"]+)"', catalogue).group(1)
    assert catalogue.index("export.csv") < catalogue.index("<table")
    response = client.get(link.replace("&amp;", "&"))

    disposition = response.headers["Content-Disposition"]
    assert f'filename="heritage-sites-shusha-{date.today().isoformat()}.csv"' in disposition
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_name = {row["name_en"]: row for row in rows}
    assert set(by_name) == {"Shusha fortress", "Shusha mosque"}
    fortress = by_name["Shusha fortress"]
    assert (fortress["district"], fortress["district_label"]) == ("shusha", "Шуша")
    assert (fortress["site_type"], fortress["site_type_label"]) == ("fortress", "Крепость")
    assert fortress["status_label"] == "Опубликовано"
    assert fortress["public_url"] == f"http://localhost/sites/{published.slug}"
    assert by_name["Shusha mosque"]["public_url"] == ""
    search = client.get("/staff/search?q=Shusha&lang=en").get_data(as_text=True)
    results = search.split('class="results"')[1]
    assert results.index("export.csv") < results.index("search-results")


def test_the_catalogue_costs_the_same_queries_however_many_sites(
    app, client, sign_in, editor, make_site
):
    def queries() -> int:
        client.get("/staff/sites/?sort=name")
        with count_queries(app) as statements:
            assert client.get("/staff/sites/?sort=name&condition=poor").status_code == 200
        return len(statements)

    make_site(condition="poor")
    sign_in(editor)
    few = queries()
    for _ in range(25):
        make_site(condition="poor")
    assert queries() == few


def test_history_tables_stack_on_a_phone_with_labelled_cells(
    app, client, sign_in, editor, make_site
):
    from heritage.services import sites

    site = make_site()
    sites.update_site(site.id, {"settlement": "Daşaltı"}, actor=editor, version=1)
    sign_in(editor)
    html = client.get(f"/staff/sites/{site.id}/history?lang=en").get_data(as_text=True)
    assert '<td data-label="Before"><del>Şuşa</del></td>' in html
    assert '<td data-label="After"><ins>Daşaltı</ins></td>' in html
    css = (Path(app.static_folder) / "heritage.css").read_text(encoding="utf-8")
    assert "overflow-wrap: anywhere" not in css.split("table.list th")[1].split("}")[0]
