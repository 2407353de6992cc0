"""A change retires only the cached public pages that show it: each kind of change shows at
once on every page that shows it, and a page that does not show it keeps its ETag and
Last-Modified and stays in the page cache (answered without a query)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from heritage.models import Site, User
from heritage.services import collection, gravestones, photos, restorations, sites, surveys
from tests.conftest import gravestone_data, object_data, record_data, site_data
from tests.media.files import jpeg
from tests.web.test_gallery import count_queries
from tests.web.test_survey_pages import survey_data


@dataclass
class World:
    editor: User
    here: Site  # the site changed; published first, so not among what the home shows
    near: Site  # its neighbour, whose page shows it among the sites nearby
    far: Site  # another district: nothing of `here` is on its page
    cemetery: Site


def publish(change: Callable, entity, editor: User):
    """Submit and publish `entity` with the kind's status step `change`."""
    for step in ("submit", "publish"):
        entity = change(entity.id, step, actor=editor, version=entity.version)
    return entity


@pytest.fixture
def world(make_site, editor) -> World:
    here = make_site("published", name_en="Here Mosque", slug="here")
    near = make_site("published", name_en="Near Bridge", slug="near", latitude=39.77)
    far = make_site(
        "published",
        name_en="Far Fortress",
        slug="far",
        district="lachin",
        latitude=39.3,
        longitude=46.0,
    )
    cemetery = make_site(
        "published",
        name_en="Old Cemetery",
        slug="old-cemetery",
        category="cemetery",
        site_type="necropolis",
        latitude=40.2,
        longitude=46.0,
    )
    # Enough later sites that `here` is not among the recently published the home shows.
    for n in range(6):
        make_site("published", name_en=f"Later {n}", latitude=41.0, longitude=45.0 + n)
    return World(editor, here, near, far, cemetery)


def upload(site, editor, **fields):
    data = {"stage": "general", "caption_en": "Minaret", "alt_en": "A stone minaret", **fields}
    data.setdefault("licence", "CC-BY-4.0")
    data.setdefault("photographer", "A. Photographer")
    return photos.upload_photo(site.id, io.BytesIO(jpeg(seed=3)), "a.jpg", data, actor=editor).photo


def edit_here(w: World) -> None:
    sites.update_site(
        w.here.id, {"name_en": "Renamed Here"}, actor=w.editor, version=w.here.version
    )


def publish_draft_site(w: World) -> None:
    draft = sites.create_site(
        site_data(slug="brand-new", name_en="Brand New Bridge"), actor=w.editor
    )
    draft = sites.submit_site(draft.id, actor=w.editor, version=draft.version)
    sites.publish_site(draft.id, actor=w.editor, version=draft.version)


def withdraw_here(w: World) -> None:
    sites.withdraw_site(w.here.id, actor=w.editor, version=w.here.version, reason="Review.")


def publish_record(w: World) -> None:
    record = restorations.create_record(
        w.here.id, record_data(title="Dome Repair Published"), actor=w.editor
    )
    restorations.submit_record(record.id, actor=w.editor, version=1)
    restorations.publish_record(record.id, actor=w.editor, version=2)


def publish_photo(w: World) -> None:
    photo = upload(w.here, w.editor, caption_en="Freshly Published Minaret")
    publish(photos.change_photo_status, photo, w.editor)


def publish_object(w: World) -> None:
    obj = collection.create_object(
        w.here.id, object_data(title_en="Published Carpet"), actor=w.editor
    )
    publish(collection.change_object_status, obj, w.editor)


def publish_gravestone(w: World) -> None:
    stone = gravestones.create_gravestone(
        w.cemetery.id, gravestone_data(number="99"), actor=w.editor
    )
    publish(gravestones.change_gravestone_status, stone, w.editor)


def publish_survey(w: World) -> None:
    survey = surveys.create_survey(
        w.here.id, survey_data(findings_en="The Published Finding"), actor=w.editor
    )
    publish(surveys.change_survey_status, survey, w.editor)


# Each kind of change: the change, then (URL, what that page shows at once) for each page
# that shows it, then the pages that do not show it.
CASES = {
    "site edited": (
        edit_here,
        [
            ("/sites/here", "Renamed Here"),
            ("/sites", "Renamed Here"),
            ("/sites/near", "Renamed Here"),
        ],
        ["/sites/far", "/", "/sites/old-cemetery"],
    ),
    "site published": (
        publish_draft_site,
        [("/sites", "Brand New Bridge"), ("/", "Brand New Bridge"), ("/sitemap.xml", "brand-new")],
        ["/sites/far", "/sites/old-cemetery"],
    ),
    "site withdrawn": (
        withdraw_here,
        [("/sites/near", None), ("/sites", None), ("/", None)],
        ["/sites/far", "/sites/old-cemetery"],
    ),
    "restoration record published": (
        publish_record,
        [("/sites/here", "Dome Repair Published"), ("/", "Dome Repair Published")],
        ["/sites/far", "/sites", "/sites/near"],
    ),
    "photo published": (
        publish_photo,
        [("/sites/here", "Freshly Published Minaret"), ("/sites", 'class="card-image"')],
        ["/sites/far", "/"],
    ),
    "collection object published": (
        publish_object,
        [("/sites/here/collection", "Published Carpet"), ("/missing", "Published Carpet")],
        ["/sites/far", "/sites", "/"],
    ),
    "gravestone published": (
        publish_gravestone,
        [("/sites/old-cemetery/gravestones", "Kərbəlayı")],
        ["/sites/far", "/sites/here", "/sites", "/"],
    ),
    "condition survey published": (
        publish_survey,
        [("/sites/here", "The Published Finding")],
        ["/sites/far", "/"],
    ),
}


def rendered(statements: list[str]) -> list[str]:
    """The statements that went beyond learning which scopes changed (one after a commit)."""
    return [statement for statement in statements if "FROM public_revisions" not in statement]


def look(app, url: str):
    """An anonymous visitor's first look at a page (no cookies of its own)."""
    return app.test_client().get(url, headers={"Accept-Language": "en"})


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_change_retires_the_pages_that_show_it_and_no_other(app, world, case):
    change, showing, others = CASES[case]
    seen = {url: look(app, url) for url, _text in showing}
    kept = {url: look(app, url) for url in others}
    for response in (*seen.values(), *kept.values()):
        assert response.status_code == 200

    change(world)

    for url, text in showing:
        now = look(app, url)
        assert now.headers.get("ETag") != seen[url].headers["ETag"], url
        if text is not None:
            assert text in now.get_data(as_text=True), url
        else:
            assert "Here Mosque" not in now.get_data(as_text=True), url
    for url in others:
        with count_queries(app) as statements:
            again = look(app, url)
        assert rendered(statements) == [], f"{url} was rendered again"
        assert again.headers["ETag"] == kept[url].headers["ETag"], url
        assert again.headers["Last-Modified"] == kept[url].headers["Last-Modified"], url
        revalidated = app.test_client().get(
            url, headers={"Accept-Language": "en", "If-None-Match": kept[url].headers["ETag"]}
        )
        assert revalidated.status_code == 304, url


def test_a_photo_edit_shows_on_its_page_and_its_site_only(app, world):
    photo = publish(photos.change_photo_status, upload(world.far, world.editor), world.editor)
    url = f"/photos/{photo.id}"
    before = look(app, url)
    other = look(app, "/sites/here")

    photos.update_photo(
        photo.id, {"caption_en": "Recaptioned Tower"}, actor=world.editor, version=photo.version
    )

    assert "Recaptioned Tower" in look(app, url).get_data(as_text=True)
    assert "Recaptioned Tower" in look(app, "/sites/far").get_data(as_text=True)
    assert look(app, url).headers["ETag"] != before.headers["ETag"]
    assert look(app, "/sites/here").headers["ETag"] == other.headers["ETag"]


def test_a_withdrawn_site_is_gone_at_once_from_its_own_page(app, world):
    assert look(app, "/sites/here").status_code == 200
    withdraw_here(world)
    assert look(app, "/sites/here").status_code == 410


def test_staff_work_on_a_draft_retires_nothing(app, world):
    record = restorations.create_record(world.here.id, record_data(), actor=world.editor)
    before = {url: look(app, url).headers["ETag"] for url in ("/", "/sites", "/sites/here")}

    restorations.submit_record(record.id, actor=world.editor, version=1)

    for url, etag in before.items():
        with count_queries(app) as statements:
            assert look(app, url).headers["ETag"] == etag
        assert rendered(statements) == []
