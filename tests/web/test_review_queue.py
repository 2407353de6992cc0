"""The review queue as editors meet it: every kind submitted, each with a look at it and what
it changes; publish and send back from the queue and stay in it; the send-back comment where
its author and the colleague who last edited it see it, until they submit again."""

from __future__ import annotations

import re

from heritage.services import photos, restorations
from tests.conftest import form_token
from tests.web.test_gallery import count_queries


def _one_of_each(
    editor, make_site, make_record, make_photo, make_object, make_gravestone, make_survey
):
    """A record of every kind in review, and a published site with a change proposed."""
    museum = make_site("published", name_en="Aghdam museum")
    make_site("in_review", name_en="Waiting mosque")
    record = make_record(museum, organisation="Waiting team", title="Roof repair")
    restorations.submit_record(record.id, actor=editor, version=record.version)
    photo = make_photo(museum, status="draft", caption_en="Portal before repair")
    photos.submit_photo(photo.id, actor=editor, version=photo.version)
    make_object(museum, "in_review", title_en="Waiting carpet")
    cemetery = make_site("published", category="cemetery", site_type="cemetery")
    make_gravestone(cemetery, "in_review", number="41")
    make_survey(museum, "in_review", assessor="A. Assessor")
    return museum, photo


def test_the_queue_lists_every_kind_with_a_preview_and_what_changes(
    client, sign_in, editor, restorer, make_site, make_record, make_photo, make_object,
    make_gravestone, make_survey,
):  # fmt: skip
    museum, photo = _one_of_each(
        editor, make_site, make_record, make_photo, make_object, make_gravestone, make_survey
    )
    done = make_record(museum, organisation="Original team", title="Wall survey")
    done = restorations.submit_record(done.id, actor=editor, version=done.version)
    done = restorations.publish_record(done.id, actor=editor, version=done.version)
    restorations.update_record(
        done.id, {"organisation": "Field team B"}, actor=restorer, version=done.version
    )
    sign_in(editor)

    html = client.get("/staff/review?lang=en").get_data(as_text=True)
    board = client.get("/staff/?lang=en").get_data(as_text=True)

    for label in (
        "Site: <a",
        "Work: <a",
        "Photo: <a",
        "Collection object: <a",
        "Gravestone: <a",
        "Condition survey: <a",
    ):
        assert label in html
        assert label in board.split('id="review"')[1]
    for shown in ("Waiting mosque", "Roof repair", "Waiting carpet", "№ 41", "A. Assessor"):
        assert shown in html
    assert re.search(rf'<img src="[^"]*/media/{photo.sha256}/[^"]*thumb[^"]*"', html)
    assert "Portal before repair" in html
    assert html.count("New: never published") == 6
    diff = html.split("What changes against the published version")[1].split("</table>")[0]
    assert "Original team" in diff
    assert "Field team B" in diff
    assert html.count('name="return_to" value="review"') == 14


def test_publishing_and_sending_back_from_the_queue_stays_in_it(client, sign_in, editor, make_site):
    first = make_site("in_review", name_en="First mosque")
    second = make_site("in_review", name_en="Second mosque")
    sign_in(editor)
    token = form_token(client, "/staff/review")

    published = client.post(
        f"/staff/sites/{first.id}/workflow/publish",
        data={"version": first.version, "csrf_token": token, "return_to": "review"},
    )
    sent = client.post(
        f"/staff/sites/{second.id}/workflow/send_back?lang=en",
        data={"version": second.version, "csrf_token": token, "return_to": "review",
              "note": "Add the inventory photo."},
    )  # fmt: skip

    assert published.headers["Location"].endswith("/staff/review")
    assert sent.headers["Location"].endswith("/staff/review")
    page = client.get("/staff/review?lang=en").get_data(as_text=True)
    assert "Published: First mosque." in page
    assert "Sent back: Second mosque." in page
    assert "Nothing is waiting for review." in page
    elsewhere = client.post(
        f"/staff/sites/{first.id}/workflow/withdraw",
        data={"version": 3, "csrf_token": token, "return_to": "https://evil.example",
              "note": "Duplicate.", "confirm": "yes"},
    )  # fmt: skip
    assert elsewhere.headers["Location"].endswith(f"/staff/sites/{first.id}")


def test_the_send_back_comment_reaches_the_author_and_the_last_editor_until_they_submit(
    client, sign_in, make_user, make_site, make_record
):
    author, colleague, editor = make_user("restorer"), make_user("restorer"), make_user("editor")
    record = make_record(make_site("published"), actor=author, title="Shared roof repair")
    record = restorations.update_record(
        record.id, {"team": "Two masons"}, actor=colleague, version=record.version
    )
    record = restorations.submit_record(record.id, actor=author, version=record.version)
    record = restorations.change_record_status(
        record.id, "send_back", actor=editor, version=record.version, note="Name the architect."
    )

    for person in (author, colleague):
        sign_in(person)
        board = client.get("/staff/?lang=en").get_data(as_text=True)
        page = client.get(f"/staff/records/{record.id}?lang=en").get_data(as_text=True)
        assert "Sent back to you" in board
        assert "Name the architect." in board.split('id="sent-back"')[1].split("</section>")[0]
        assert "Shared roof repair" in board.split('id="my-drafts"')[1].split("</section>")[0]
        assert "Sent back for changes" in page
        assert "Name the architect." in page
        assert f"{editor.display_name} sent this back" in page
    sign_in(editor)
    assert "Sent back to you" not in client.get("/staff/?lang=en").get_data(as_text=True)

    restorations.submit_record(record.id, actor=author, version=record.version)

    sign_in(colleague)
    board = client.get("/staff/?lang=en").get_data(as_text=True)
    page = client.get(f"/staff/records/{record.id}?lang=en").get_data(as_text=True)
    assert "Sent back to you" not in board
    assert "Name the architect." not in page


def test_withdraw_asks_for_a_confirmation_on_the_page(client, sign_in, editor, make_site):
    site = make_site("published")
    sign_in(editor)
    page = client.get(f"/staff/sites/{site.id}?lang=en").get_data(as_text=True)
    form = page.split('workflow/withdraw"')[1].split("</form>")[0]
    assert re.search(
        r'<input type="checkbox" id="confirm-[^"]+" name="confirm" value="yes" required>', form
    )
    assert "Yes, withdraw it" in form


def test_the_queue_and_the_dashboard_cost_the_same_queries_however_many_wait(
    app, client, sign_in, editor, make_site, make_record, make_photo, make_object,
    make_gravestone, make_survey,
):  # fmt: skip
    def queries(url):
        client.get(url)  # warm: the first request loads what every request then reuses
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    _one_of_each(
        editor, make_site, make_record, make_photo, make_object, make_gravestone, make_survey
    )
    sign_in(editor)
    few = {url: queries(url) for url in ("/staff/review", "/staff/")}
    _one_of_each(
        editor, make_site, make_record, make_photo, make_object, make_gravestone, make_survey
    )
    _one_of_each(
        editor, make_site, make_record, make_photo, make_object, make_gravestone, make_survey
    )
    many = {url: queries(url) for url in ("/staff/review", "/staff/")}
    assert many == few
