"""Public validators move only when public content does: staff work on drafts, reviews,
proposals and internal notes leaves the ETag and Last-Modified of public pages (and the
revision the page cache keys on), and the public API's answers and ETags, as they were;
publishing, editing what is published and withdrawing move them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from heritage.models import RestorationRecord, Site, User
from heritage.services import restorations, sites


@dataclass
class Archive:
    editor: User
    restorer: User
    published: Site
    draft: Site
    record: RestorationRecord  # a draft record of the published site
    live_record: RestorationRecord  # a published one


def version(site: Site, actor: User) -> int:
    return sites.get_site(site.id, actor=actor).version


def edit(site: Site, actor: User, **fields) -> None:
    sites.update_site(site.id, fields, actor=actor, version=version(site, actor))


def step(name: str, site: Site, actor: User, **note) -> None:
    getattr(sites, f"{name}_site")(site.id, actor=actor, version=version(site, actor), **note)


def record_step(name: str, record: RestorationRecord, actor: User, **note) -> None:
    current = restorations.get_record(record.id, actor=actor).version
    getattr(restorations, f"{name}_record")(record.id, actor=actor, version=current, **note)


def propose(archive: Archive) -> None:
    """A restorer's change to a published record, which waits for review."""
    record = archive.live_record
    current = restorations.get_record(record.id, actor=archive.restorer).version
    changes = {"title": "A restorer's proposal"}
    restorations.update_record(record.id, changes, actor=archive.restorer, version=current)


# Each case: what is done before the first look (may be nothing), then the change itself.
STAFF_ONLY = {
    "draft edited": (None, lambda a: edit(a.draft, a.editor, name_en="Renamed draft")),
    "draft submitted": (None, lambda a: step("submit", a.draft, a.editor)),
    "draft sent back": (
        lambda a: step("submit", a.draft, a.editor),
        lambda a: step("send_back", a.draft, a.editor, comment="Needs sources."),
    ),
    "draft withdrawn": (None, lambda a: step("withdraw", a.draft, a.editor, reason="Duplicate.")),
    "draft record edited": (
        None,
        lambda a: restorations.update_record(
            a.record.id, {"title": "Retitled"}, actor=a.editor, version=a.record.version
        ),
    ),
    "change proposed to a published record": (None, propose),
    "proposal sent back": (
        propose,
        lambda a: record_step("send_back", a.live_record, a.editor, comment="Not yet."),
    ),
    "internal note of a published site": (
        None,
        lambda a: edit(a.published, a.editor, internal_note="Ask the district office."),
    ),
}
# Each case also names the page that shows the change: /sites lists sites; a restoration
# record shows on its site's page.
PUBLIC = {
    "draft published": (
        lambda a: step("submit", a.draft, a.editor),
        lambda a: step("publish", a.draft, a.editor),
        "/sites",
    ),
    "published site edited": (
        None,
        lambda a: edit(a.published, a.editor, name_en="Renamed published"),
        "/sites",
    ),
    "proposal published": (
        propose,
        lambda a: record_step("publish", a.live_record, a.editor),
        "site page",
    ),
    "published site withdrawn": (
        None,
        lambda a: step("withdraw", a.published, a.editor, reason="Ownership under review."),
        "/sites",
    ),
}


@pytest.fixture
def archive(make_site, make_record, editor, restorer) -> Archive:
    published = make_site("published", name_en="Published mosque")
    draft = make_site("draft", name_en="Draft mosque", name_az="Qaralama", name_ru="Черновик")
    live = make_record(published, title="Roof repair")
    for name in ("submit", "publish"):
        record_step(name, live, editor)
    return Archive(editor, restorer, published, draft, make_record(published), live)


@dataclass(frozen=True)
class Seen:
    """What an anonymous visitor gets: each public page's validators (ETag, Last-Modified),
    and the public API's answers (status, ETag, body) for the site list, the published site
    and its published record."""

    pages: dict[str, tuple[str | None, str | None]]
    api: dict[str, tuple[int, str | None, object]]


def pages(archive) -> dict[str, str]:
    return {"/sites": "/sites", "site page": f"/sites/{archive.published.slug}"}


def api_paths(archive: Archive) -> list[str]:
    return [
        "/api/v1/sites",
        f"/api/v1/sites/{archive.published.id}",
        f"/api/v1/records/{archive.live_record.id}",
    ]


def seen(app, archive: Archive) -> Seen:
    client = app.test_client()
    validators = {}
    for name, url in pages(archive).items():
        # A withdrawn site's page is gone (410), without validators.
        response = client.get(url)
        validators[name] = response.headers.get("ETag"), response.headers.get("Last-Modified")
    api = {}
    for path in api_paths(archive):
        answer = client.get(path)
        api[path] = answer.status_code, answer.headers.get("ETag"), answer.get_json()
    return Seen(validators, api)


def seen_around(app, archive, prepare, change) -> tuple[Seen, Seen]:
    """What the public sees before and after the change (after its preparation)."""
    if prepare:
        prepare(archive)
    before = seen(app, archive)
    change(archive)
    return before, seen(app, archive)


@pytest.mark.parametrize("case", STAFF_ONLY, ids=list(STAFF_ONLY))
def test_staff_work_the_public_cannot_see_leaves_public_validators_alone(app, archive, case):
    before, after = seen_around(app, archive, *STAFF_ONLY[case])

    assert after.pages == before.pages
    assert after.api == before.api
    client = app.test_client()
    for name, url in pages(archive).items():
        again = client.get(url, headers={"If-None-Match": before.pages[name][0]})
        assert again.status_code == 304, url
    for path, (_, etag, _) in before.api.items():
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304, path


@pytest.mark.parametrize("case", PUBLIC, ids=list(PUBLIC))
def test_a_change_the_public_sees_moves_public_validators(app, archive, case):
    prepare, change, page = PUBLIC[case]
    before, after = seen_around(app, archive, prepare, change)

    assert after.pages[page][0] != before.pages[page][0]
    url = pages(archive)[page]
    again = app.test_client().get(url, headers={"If-None-Match": before.pages[page][0]})
    assert again.status_code == 200
    # The API answer that shows the change is a new representation with a new ETag.
    moved = [path for path in before.api if after.api[path] != before.api[path]]
    assert moved
    for path in moved:
        assert after.api[path][1] != before.api[path][1], path
