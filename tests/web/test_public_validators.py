"""Public validators move only when public content does: staff work on drafts, reviews,
proposals and internal notes leaves the ETag and Last-Modified of public pages (and the
revision the page cache keys on) as they were; publishing, editing what is published and
withdrawing move them."""

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
PUBLIC = {
    "draft published": (
        lambda a: step("submit", a.draft, a.editor),
        lambda a: step("publish", a.draft, a.editor),
    ),
    "published site edited": (
        None,
        lambda a: edit(a.published, a.editor, name_en="Renamed published"),
    ),
    "proposal published": (
        propose,
        lambda a: record_step("publish", a.live_record, a.editor),
    ),
    "published site withdrawn": (
        None,
        lambda a: step("withdraw", a.published, a.editor, reason="Ownership under review."),
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


def validators(app) -> tuple[str, str]:
    """ETag and Last-Modified of /sites, as an anonymous visitor gets them."""
    response = app.test_client().get("/sites")
    assert response.status_code == 200
    return response.headers["ETag"], response.headers["Last-Modified"]


def validators_around(app, archive, case) -> tuple[tuple[str, str], tuple[str, str]]:
    """The validators of /sites before and after the case's change (after its preparation)."""
    prepare, change = case
    if prepare:
        prepare(archive)
    before = validators(app)
    change(archive)
    return before, validators(app)


@pytest.mark.parametrize("case", STAFF_ONLY, ids=list(STAFF_ONLY))
def test_staff_work_the_public_cannot_see_leaves_public_validators_alone(app, archive, case):
    before, after = validators_around(app, archive, STAFF_ONLY[case])

    assert after == before
    again = app.test_client().get("/sites", headers={"If-None-Match": before[0]})
    assert again.status_code == 304


@pytest.mark.parametrize("case", PUBLIC, ids=list(PUBLIC))
def test_a_change_the_public_sees_moves_public_validators(app, archive, case):
    before, after = validators_around(app, archive, PUBLIC[case])

    assert after[0] != before[0]
    again = app.test_client().get("/sites", headers={"If-None-Match": before[0]})
    assert again.status_code == 200
