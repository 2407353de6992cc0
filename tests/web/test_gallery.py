"""The public gallery: browsing, site pages, the map, sharing, caching, and what never leaks."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from heritage.extensions import db
from heritage.models import User
from heritage.services import restorations, sites
from tests.conftest import make_app, record_data

SECRET_NOTE = "Staff only: guard visits on Tuesdays."
SEARCH_BACKEND_STATEMENTS = ("search_entries", "search_words", "search_state", "set_config")


@contextmanager
def count_queries(app):
    """Count the SQL statements run while the block runs."""
    with app.app_context():
        engine = db.engine
    statements = []

    def remember(conn, cursor, statement, *args):
        # The PostgreSQL search backend's own statements are the search engine's work
        # (measured by benchmarks/search.py), as Whoosh's reads of its files are.
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")) and not any(
            table in statement for table in SEARCH_BACKEND_STATEMENTS
        ):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def test_browse_filters_are_links_with_counts(client, make_site):
    make_site("published", name_en="Mosque A", district="shusha", year_from=1768, year_to=1769)
    make_site("published", name_en="Mosque B", district="aghdam", year_from=1868, year_to=1870)
    make_site(
        "published",
        name_en="Bridge C",
        category="monument",
        site_type="bridge",
        district="jabrayil",
        year_from=1100,
        year_to=1200,
    )
    make_site("draft", name_en="Draft D", district="shusha")
    make_site(
        "published",
        name_en="Undated E",
        district="lachin",
        site_type="cave",
        year_from=None,
        year_to=None,
    )

    html = client.get("/sites").get_data(as_text=True)
    assert "4 published sites" in html
    assert 'href="/sites?district=shusha"' in html
    assert re.search(r'district=shusha">Shusha</a> <span class="count">1</span>', html)
    assert re.search(r'site_type=mosque">Mosque</a> <span class="count">2</span>', html)
    assert re.search(r'century=18">18th century</a> <span class="count">1</span>', html)

    narrowed = client.get("/sites?site_type=mosque&century=19").get_data(as_text=True)
    assert "1 published site" in narrowed
    assert "Mosque B" in narrowed
    assert "Mosque A" not in narrowed
    assert "Draft D" not in narrowed


@pytest.mark.parametrize(
    "query", ["?district=atlantis", "?century=abc", "?century=0", "?category=<script>", "?page=-1"]
)
def test_odd_filters_are_ignored_not_errors(client, make_site, query):
    make_site("published")
    response = client.get(f"/sites{query}")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


def test_bce_centuries(client, make_site):
    make_site(
        "published",
        name_en="Kurgan",
        category="cemetery",
        site_type="necropolis",
        year_from=-750,
        year_to=-600,
    )

    html = client.get("/sites?century=-8").get_data(as_text=True)

    assert "Kurgan" in html
    assert "8th century BCE" in html


def test_every_century_offered_as_a_filter_filters(client, make_site):
    make_site("published", name_en="Azykh Cave", year_from=-1_500_000, year_to=-10_000)
    make_site("published", name_en="Later mosque", year_from=1768, year_to=1768)

    listing = client.get("/sites?lang=en").get_data(as_text=True)
    narrowed = client.get("/sites?century=-101&lang=en").get_data(as_text=True)

    assert 'href="/sites?century=-101' in listing  # the Palaeolithic
    assert "Azykh Cave" in narrowed
    assert "Later mosque" not in narrowed


def test_site_page_shows_work_timeline_map_and_neighbours(client, make_site, make_record, editor):
    site = make_site("published", latitude=39.758, longitude=46.751)
    neighbour = make_site("published", name_en="Neighbour", latitude=39.76, longitude=46.76)
    make_site("published", name_en="Far away", latitude=40.3, longitude=46.0)
    secret = make_site(
        "published",
        name_en="Hidden cave",
        latitude=39.757,
        longitude=46.752,
        location_sensitive=True,
    )
    record = make_record(site, title="Roof repaired", description="Lime **mortar** used.")
    restorations.submit_record(record.id, actor=editor, version=1)
    restorations.publish_record(record.id, actor=editor, version=2)
    make_record(site, title="Unpublished plan")

    html = client.get(f"/sites/{site.slug}").get_data(as_text=True)

    assert "Roof repaired" in html
    assert "<strong>mortar</strong>" in html
    assert "Unpublished plan" not in html
    assert 'data-site-map data-latitude="39.758"' in html
    assert f'href="/sites/{neighbour.slug}"' in html
    assert "Far away" not in html
    assert f'href="/sites/{secret.slug}"' not in html


def test_sensitive_locations_never_leave_the_archive(client, make_site):
    site = make_site(
        "published", name_en="Looted necropolis", latitude=39.9123, longitude=46.8123,
        location_sensitive=True, category="cemetery", site_type="necropolis",
    )  # fmt: skip

    page = client.get(f"/sites/{site.slug}").get_data(as_text=True)
    geojson = client.get("/map/sites.geojson").get_data(as_text=True)
    map_page = client.get("/map").get_data(as_text=True)

    for body in (page, geojson, map_page):
        assert "39.91" not in body
        assert "46.81" not in body
    assert "not published, to protect it" in page
    assert site.slug not in geojson


def test_no_public_page_shows_internal_notes_or_staff_emails(
    client, make_site, make_record, editor
):
    site = make_site("published", internal_note=SECRET_NOTE)
    record = make_record(site, internal_note=SECRET_NOTE)
    restorations.submit_record(record.id, actor=editor, version=1)
    restorations.publish_record(record.id, actor=editor, version=2)

    for url in ("/", "/sites", f"/sites/{site.slug}", "/map", "/map/sites.geojson", "/sitemap.xml"):
        body = client.get(url).get_data(as_text=True)
        assert SECRET_NOTE not in body, url
        assert editor.email not in body, url


def test_missing_translation_falls_back_and_says_so(client, make_site):
    site = make_site("published", description_en=None, description_az="Daş divarlı məscid.")

    html = client.get(f"/sites/{site.slug}?lang=en").get_data(as_text=True)

    assert '<div lang="az"><p>Daş divarlı məscid.</p>' in html
    assert "shown in Azerbaijani: not yet translated" in html


def test_a_name_only_in_azerbaijani_is_marked_as_not_yet_translated(client, make_site):
    site = make_site("published", name_az="Qala divarları", name_en=None, name_ru=None)

    html = client.get(f"/sites/{site.slug}?lang=ru").get_data(as_text=True)

    heading = html[html.index("<h1>") : html.index("</h1>")]
    assert 'lang="az"' in heading
    assert "Qala divarları" in heading
    assert "перевода пока нет" in heading


def test_language_links_and_sharing_metadata(client, make_site):
    site = make_site("published")

    html = client.get(f"/sites/{site.slug}?lang=ru").get_data(as_text=True)

    assert '<html lang="ru">' in html
    for code in ("az", "en", "ru"):
        assert f'hreflang="{code}" href="http://localhost/sites/{site.slug}?lang={code}"' in html
    assert '<meta property="og:title" content="Мечеть Юхары Гевхар-ага">' in html
    assert f'<link rel="canonical" href="http://localhost/sites/{site.slug}">' in html
    data = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>")[0])
    assert data["@type"] == "LandmarksOrHistoricalBuildings"
    assert data["geo"]["latitude"] == 39.758
    assert "Cite as" not in html  # the interface is Russian
    assert f"http://localhost/sites/{site.slug}" in html.split('class="citation"')[1]


def test_map_page_lists_every_mappable_site_and_serves_geojson(client, make_site):
    shown = make_site("published", name_en="On the map")
    make_site("published", name_en="No coordinates", latitude=None, longitude=None)
    make_site("draft", name_en="Draft on the map")

    html = client.get("/map").get_data(as_text=True)
    geojson = client.get("/map/sites.geojson")

    assert "On the map" in html
    assert "No coordinates" not in html
    assert "Draft on the map" not in html
    assert geojson.mimetype == "application/geo+json"
    [feature] = geojson.json["features"]
    assert feature["properties"]["slug"] == shown.slug
    assert feature["geometry"]["coordinates"] == [46.751, 39.758]
    assert "leaflet.markercluster.js" in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()


def test_the_map_list_comes_in_pages(app, client, make_site):
    app.config["MAP_LIST_SIZE"] = 1
    make_site("published", name_en="Alpha Bridge", slug="alpha-bridge")
    make_site("published", name_en="Beta Bridge", slug="beta-bridge")

    first = client.get("/map").get_data(as_text=True)
    second = client.get("/map?page=2").get_data(as_text=True)

    assert 'href="/sites/alpha-bridge"' in first
    assert "beta-bridge" not in first
    assert 'href="/map?page=2"' in first
    assert 'href="/sites/beta-bridge"' in second
    assert "alpha-bridge" not in second
    # Every place is on the map itself, whatever the list's page.
    assert len(client.get("/map/sites.geojson").json["features"]) == 2


def test_sitemap_lists_published_pages_with_language_alternates(client, make_site):
    published = make_site("published")
    draft = make_site("draft", slug="a-draft")

    xml = client.get("/sitemap.xml")

    assert xml.mimetype == "application/xml"
    body = xml.get_data(as_text=True)
    assert f"<loc>http://localhost/sites/{published.slug}</loc>" in body
    assert f"/sites/{draft.slug}" not in body
    assert 'hreflang="ru"' in body


def test_home_page_shows_counts_featured_and_recent_work(client, make_site, make_record, editor):
    site = make_site("published", name_en="Featured mosque")
    record = make_record(site, title="Minaret survey")
    restorations.submit_record(record.id, actor=editor, version=1)
    restorations.publish_record(record.id, actor=editor, version=2)

    html = client.get("/").get_data(as_text=True)

    assert "1 published site" in html
    assert "1 restoration record" in html
    assert "Featured mosque" in html
    assert "Minaret survey" in html


# --- Caching -----------------------------------------------------------------------------------


def test_public_pages_are_cacheable_and_revalidate_cheaply(app, client, make_site, editor):
    site = make_site("published")
    url = f"/sites/{site.slug}"

    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"]
    assert "max-age=60" in first.headers["Cache-Control"]

    with count_queries(app) as statements:
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert statements == []  # the archive's revision is known without asking

    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304

    sites.update_site(site.id, {"condition": "good"}, actor=editor, version=site.version)
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize(
    "headers",
    [{"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, {"If-None-Match": "*"}],
    ids=["a date", "any etag"],
)
def test_a_condition_never_turns_a_missing_or_withdrawn_page_into_304(client, make_site, headers):
    withdrawn = make_site("withdrawn")
    published = make_site("published", name_az="Başqa abidə")

    assert client.get("/sites/no-such-site", headers=headers).status_code == 404
    assert client.get(f"/sites/{withdrawn.slug}", headers=headers).status_code == 410
    assert client.get("/photos/12345", headers=headers).status_code == 404
    assert client.get(f"/sites/{published.slug}", headers=headers).status_code == 304


def test_a_page_another_visitor_has_seen_costs_no_query(app, client, make_site, editor):
    site = make_site("published")
    url = f"/sites/{site.slug}"
    first = client.get(url)

    with count_queries(app) as statements:
        second = app.test_client().get(url)  # another visitor, nothing in their cache

    assert statements == []
    assert second.status_code == 200
    assert second.data == first.data
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["ETag"] == first.headers["ETag"]

    sites.update_site(site.id, {"name_en": "Renamed Mosque"}, actor=editor, version=site.version)
    assert "Renamed Mosque" in client.get(url).get_data(as_text=True)


def test_the_page_cache_answers_only_what_is_the_same_for_everyone(app, client, make_site):
    site = make_site("published")
    url = f"/sites/{site.slug}"
    first = client.get(url)
    etag = first.headers["ETag"]

    with count_queries(app) as statements:
        repeat = client.get(url, headers={"If-None-Match": etag})
        head = client.head(url)
    assert statements == []
    assert repeat.status_code == 304
    assert repeat.headers["ETag"] == etag
    assert "public" in repeat.headers["Cache-Control"]
    assert head.status_code == 200
    assert head.data == b""

    # Asked of another host: its own page (with its own absolute links).
    other = client.get(url, base_url="http://archive.example.org")
    assert other.headers["ETag"] != etag
    assert "http://archive.example.org/sites/" in other.get_data(as_text=True)
    # Choosing a language sets a cookie: that answer is the visitor's own.
    chosen = client.get(f"{url}?lang=ru")
    assert "lang=ru" in chosen.headers["Set-Cookie"]
    assert "private" in chosen.headers["Cache-Control"]
    # The remembered language picks the Russian page, from the cache or not.
    client.set_cookie("lang", "ru")
    assert client.get(url).headers["ETag"] != etag
    # The sign-in page holds a form token of the visitor's own: never shared.
    for _ in range(2):
        assert "session=" in app.test_client().get("/login").headers["Set-Cookie"]
    for response in (first, repeat, head, other, chosen):
        assert "X-Heritage-Shareable" not in response.headers


def test_a_change_made_elsewhere_shows_once_the_revision_is_due(
    app, client, make_site, database_url, tmp_path
):
    site = make_site("published")
    url = f"/sites/{site.slug}"
    before = client.get(url).headers["ETag"]
    # Another host on the same database: its own instance folder, so no change stamp here.
    elsewhere = make_app(tmp_path / "elsewhere", database_url)
    with elsewhere.app_context():
        editor = db.session.scalar(select(User).where(User.role == "editor"))
        sites.update_site(
            site.id, {"name_en": "Changed Elsewhere"}, actor=editor, version=site.version
        )
        db.session.remove()
        db.engine.dispose()

    assert client.get(url).headers["ETag"] == before  # within PUBLIC_REVISION_TTL
    app.config["PUBLIC_REVISION_TTL"] = 0
    after = client.get(url)
    assert after.headers["ETag"] != before
    assert "Changed Elsewhere" in after.get_data(as_text=True)


def test_a_page_carrying_a_message_for_one_visitor_is_never_shared(app, client, make_site):
    site = make_site("published")
    url = f"/sites/{site.slug}"
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Only for this visitor.")]

    own = client.get(url)

    assert "Only for this visitor." in own.get_data(as_text=True)
    assert "Only for this visitor." not in app.test_client().get(url).get_data(as_text=True)


def test_each_language_has_its_own_validator(client, make_site):
    site = make_site("published")
    english = client.get(f"/sites/{site.slug}")
    russian = client.get(f"/sites/{site.slug}", headers={"Accept-Language": "ru"})
    assert english.headers["ETag"] != russian.headers["ETag"]
    assert "Accept-Language" in english.headers["Vary"]


def test_signed_in_staff_get_private_pages(client, make_site, editor, sign_in):
    site = make_site("published")
    sign_in(editor)

    response = client.get(f"/sites/{site.slug}")

    assert "private" in response.headers["Cache-Control"]
    assert "ETag" not in response.headers


def test_choosing_a_language_is_never_shared_by_a_proxy(client, make_site):
    response = client.get("/?lang=ru")
    assert "lang=ru" in response.headers["Set-Cookie"]
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/sites", "/map", "/map/sites.geojson", "/sitemap.xml"])
def test_query_count_does_not_grow_with_the_items_on_a_page(app, client, make_site, url):
    def queries() -> int:
        with count_queries(app) as statements:
            assert client.get(url, headers={"Cache-Control": "no-cache"}).status_code == 200
        return len(statements)

    for n in range(2):
        make_site("published", name_en=f"Site {n}", longitude=46.7 + n / 100)
    few = queries()
    for n in range(2, 12):
        make_site("published", name_en=f"Site {n}", longitude=46.7 + n / 100)

    assert queries() == few


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/", "5 published sites"),
        ("/sites", "Page 1 of 3"),
        ("/sites?sort=recent&page=2", "Page 2 of 3"),
    ],
)
def test_the_home_and_browse_pages_count_nothing_per_request(app, client, make_site, url, shown):
    """Their totals and filter counts are kept with each change (services/counts.py), so a
    request reads them instead of counting a table that grows with the archive."""
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_site("published", name_en=f"Site {n}", district=("shusha", "lachin")[n % 2])

    with count_queries(app) as statements:
        response = client.get(url, headers={"Cache-Control": "no-cache"})

    assert response.status_code == 200
    assert [statement for statement in statements if "count(" in statement.lower()] == []
    assert shown in response.get_data(as_text=True)


def test_site_page_query_count_does_not_grow_with_its_records(
    app, client, make_site, make_record, editor
):
    site = make_site("published")

    def publish_records(n):
        for i in range(n):
            record = make_record(site, title=f"Work {i} {n}")
            restorations.submit_record(record.id, actor=editor, version=1)
            restorations.publish_record(record.id, actor=editor, version=2)

    def queries():
        with count_queries(app) as statements:
            client.get(f"/sites/{site.slug}")
        return len(statements)

    publish_records(1)
    few = queries()
    publish_records(8)
    assert queries() == few


def test_every_public_url_is_404_for_unpublished_sites(client, make_site, editor):
    for status in ("draft", "in_review"):
        site = make_site(status, name_en=f"Hidden {status}")
        assert client.get(f"/sites/{site.slug}").status_code == 404
        for url in ("/", "/sites", "/map", "/map/sites.geojson", "/sitemap.xml"):
            assert site.slug not in client.get(url).get_data(as_text=True), url
    record_site = make_site("draft")
    record = restorations.create_record(
        record_site.id, record_data(title="Secret work"), actor=editor
    )
    restorations.submit_record(record.id, actor=editor, version=1)
    restorations.publish_record(
        record.id, actor=editor, version=2
    )  # published work on a draft site
    assert "Secret work" not in client.get("/").get_data(as_text=True)
