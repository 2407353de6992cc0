"""A cemetery's page maps its published gravestones (never those of a sensitive cemetery),
and a site's page charts its condition over time from its published surveys."""

from __future__ import annotations

import html as markup
import json
import re


def map_points(page: str) -> list[dict] | None:
    found = re.search(r'data-gravestone-map data-points="([^"]*)"', page)
    return None if found is None else json.loads(markup.unescape(found.group(1)))


def test_a_cemeterys_page_maps_its_published_gravestones(client, make_site, make_gravestone):
    cemetery = make_site(
        "published", category="cemetery", site_type="cemetery", slug="aghdam-cemetery"
    )
    mapped = make_gravestone(cemetery, "published", number="1", latitude=39.9901, longitude=46.93)
    make_gravestone(cemetery, "published", number="2")  # no coordinates: listed, not mapped
    make_gravestone(cemetery, "draft", number="3", latitude=39.9911, longitude=46.9312)

    page = client.get(f"/sites/{cemetery.slug}?lang=en").get_data(as_text=True)

    points = map_points(page)
    assert [(p["latitude"], p["longitude"], p["url"]) for p in points] == [
        (39.9901, 46.93, f"/gravestones/{mapped.id}")
    ]
    assert points[0]["name"].startswith("Gravestone 1 · Kərbəlayı Əli Məmmədoğlu")
    assert "leaflet.js" in page
    assert "39.99110" not in page  # the draft's place is nowhere


def test_a_sensitive_cemetery_has_no_map_of_its_gravestones(client, make_site, make_gravestone):
    cemetery = make_site(
        "published",
        category="cemetery",
        site_type="cemetery",
        slug="hidden-cemetery",
        location_sensitive=True,
        latitude=39.95,
        longitude=46.95,
    )
    make_gravestone(cemetery, "published", latitude=39.9901, longitude=46.9301)

    page = client.get("/sites/hidden-cemetery?lang=en").get_data(as_text=True)

    assert map_points(page) is None
    assert "39.99" not in page
    assert "leaflet.js" not in page


def test_the_condition_chart_follows_the_published_surveys(client, make_site, make_survey):
    site = make_site("published", slug="charted")
    make_survey(site, "published", survey_date="2021-04-10", overall_condition="ruined")
    make_survey(site, "published", survey_date="2024-09-01", overall_condition="poor")
    make_survey(site, "draft", survey_date="2023-01-01", overall_condition="good")

    page = client.get("/sites/charted?lang=en").get_data(as_text=True)

    chart = page[page.index('<figure class="condition-chart">') : page.index("</figure>")]
    assert 'role="img"' in chart
    assert "Condition by survey date, from 2021-04-10 to 2024-09-01" in chart
    dots = re.findall(r"<circle cx=\"([\d.]+)\" cy=\"([\d.]+)\"[^>]*><title>([^<]*)</title>", chart)
    assert [title for _x, _y, title in dots] == ["2021-04-10: Ruined", "2024-09-01: Poor"]
    (x1, y1, _t1), (x2, y2, _t2) = dots
    assert float(x1) < float(x2)  # later to the right
    assert float(y2) < float(y1)  # poor is better than ruined: higher up
    for level in ("Good", "Fair", "Poor", "Critical", "Ruined", "Destroyed"):
        assert f">{level}</text>" in chart
    assert "2023-01-01" not in page


def test_one_survey_makes_no_chart(client, make_site, make_survey):
    site = make_site("published", slug="once")
    make_survey(site, "published")
    page = client.get("/sites/once?lang=en").get_data(as_text=True)
    assert "Condition over time" in page
    assert "condition-chart" not in page
