"""The first public pages: the list of published sites, each site's page, /health."""

from __future__ import annotations

import shutil

import pytest

from heritage.services import sites


def test_sites_lists_published_sites_with_links(client, make_site):
    published = make_site("published", name_az="Şuşa qalası", name_en=None)
    make_site("draft", name_az="Gizli qaralama", name_en="Hidden draft")
    make_site("in_review", name_az="Yoxlamada olan", name_en="Under review")
    make_site("withdrawn", name_az="Geri çəkilmiş", name_en="Withdrawn one")

    response = client.get("/sites")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Şuşa qalası" in html
    assert f'href="/sites/{published.slug}"' in html
    for hidden in ("Gizli qaralama", "Yoxlamada olan", "Geri çəkilmiş"):
        assert hidden not in html
    assert "1 published site" in html


def test_site_page_shows_its_name(client, make_site):
    site = make_site(
        "published",
        name_az="Ağdam Cümə məscidi",
        name_en="Aghdam Juma Mosque",
        name_ru="Агдамская Джума-мечеть",
    )

    response = client.get(f"/sites/{site.slug}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h1><span lang="en" itemprop="name">Aghdam Juma Mosque</span></h1>' in html
    assert '<li lang="az">Ağdam Cümə məscidi' in html
    assert '<li lang="ru">Агдамская Джума-мечеть' in html


@pytest.mark.parametrize("status", ["draft", "in_review", "withdrawn before publication"])
def test_unpublished_site_answers_like_one_that_never_existed(client, make_site, editor, status):
    initial = "draft" if status.startswith("withdrawn") else status
    site = make_site(initial, internal_note="Staff only: looters reported nearby.")
    if status.startswith("withdrawn"):
        sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Catalogued twice.")

    hidden = client.get(f"/sites/{site.slug}")
    missing = client.get("/sites/no-such-site")

    assert hidden.status_code == missing.status_code == 404
    # The same page, but for the address itself (in the page's language links).
    assert hidden.get_data(as_text=True).replace(site.slug, "SLUG") == missing.get_data(
        as_text=True
    ).replace("no-such-site", "SLUG")


def test_a_site_withdrawn_after_publication_keeps_its_url_and_says_why(client, make_site, editor):
    site = make_site("published", name_az="Köhnə körpü", name_en=None, internal_note="Staff only.")
    sites.withdraw_site(
        site.id, actor=editor, version=site.version, reason="Merged into another record."
    )

    response = client.get(f"/sites/{site.slug}")

    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "Köhnə körpü" in html
    assert "Merged into another record." in html
    assert "Staff only" not in html


def test_site_page_never_shows_internal_notes(client, make_site):
    site = make_site("published", internal_note="Staff only: looters reported nearby.")

    assert "looters" not in client.get(f"/sites/{site.slug}").get_data(as_text=True)


def test_sites_paginates(app, client, make_site, editor):
    app.config["PAGE_SIZE"] = 2
    for n in range(3):
        make_site("published", name_az=f"Abidə {n}", name_en=None, slug=f"abide-{n}")

    first = client.get("/sites").get_data(as_text=True)
    second = client.get("/sites?page=2").get_data(as_text=True)

    assert "Abidə 0" in first
    assert "Abidə 1" in first
    assert "Abidə 2" not in first
    assert "Abidə 2" in second
    assert 'rel="next"' in first


@pytest.mark.parametrize(
    ("query", "status"), [("?page=abc", 200), ("?page=-5", 200), ("?page=999999999999", 404)]
)
def test_odd_page_numbers_never_fail(client, make_site, query, status):
    make_site("published")
    assert client.get(f"/sites{query}").status_code == status


def test_health_reports_database_and_media(client):
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "media": "ok",
        "redis": "not configured",
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_health_is_503_when_media_is_missing(app, client):
    shutil.rmtree(app.config["MEDIA_ROOT"])

    response = client.get("/health")

    assert response.status_code == 503
    assert response.json["media"] == "missing"
    assert response.json["database"] == "ok"


def test_health_is_503_when_the_database_is_unusable(tmp_path):
    from tests.conftest import make_app

    app = make_app(tmp_path, "sqlite:////nonexistent-dir/heritage.db")

    response = app.test_client().get("/health")

    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_unknown_url_is_a_plain_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_withdrawn_site_disappears_from_the_list(client, make_site, editor):
    site = make_site("published")
    assert site.slug in client.get("/sites").get_data(as_text=True)

    sites.withdraw_site(site.id, actor=editor, version=site.version, reason="Duplicate.")

    assert site.slug not in client.get("/sites").get_data(as_text=True)


def test_every_page_names_an_icon_that_is_served(client):
    page = client.get("/").get_data(as_text=True)

    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200
        assert icon.mimetype == "image/svg+xml"
        assert b"<svg" in icon.get_data()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_a_site_description_is_shown_as_the_markdown_it_is_written_in(client, make_site):
    site = make_site(
        "published",
        description_en="Built of **local limestone**.\n\nRestored in 2023. <script>x()</script>",
    )

    html = client.get(f"/sites/{site.slug}?lang=en").get_data(as_text=True)

    assert "<strong>local limestone</strong>" in html
    assert "<p>Restored in 2023." in html
    assert "<script>x()" not in html


def test_robots_txt_points_crawlers_to_the_sitemap_and_away_from_staff_pages(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "Disallow: /staff/" in lines
    assert "Disallow: /search" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
