"""The review rules as staff and the public meet them: a restorer's edit of a published record
waits (form, page, review queue, API 202), the public page keeps the published text, and an
editor publishes or sends back the change; a colleague's draft has no submit button."""

from __future__ import annotations

from heritage.extensions import db
from heritage.models import RestorationRecord
from heritage.services import restorations, tokens
from tests.conftest import form_token, record_data


def _published_record(make_site, make_record, editor, **fields):
    site = make_site("published")
    record = make_record(site, **fields)
    record = restorations.submit_record(record.id, actor=editor, version=record.version)
    return site, restorations.publish_record(record.id, actor=editor, version=record.version)


def test_a_restorers_edit_waits_and_the_public_page_keeps_the_published_text(
    app, client, sign_in, make_site, make_record, editor, restorer
):
    site, record = _published_record(make_site, make_record, editor, organisation="Original team")
    sign_in(restorer)
    edit_url = f"/staff/records/{record.id}/edit"
    form_page = client.get(edit_url).get_data(as_text=True)
    form = {
        **record_data(organisation="Field team B"),
        "version": str(record.version),
        "csrf_token": form_token(client, edit_url),
    }

    response = client.post(edit_url, data=form, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "your change will wait for an editor" in form_page
    assert "waits for an editor" in html
    assert "A change awaits review" in html
    assert "Field team B" in html
    assert db.session.get(RestorationRecord, record.id).organisation == "Original team"
    public = app.test_client().get(f"/sites/{site.slug}").get_data(as_text=True)
    assert "Original team" in public
    assert "Field team B" not in public
    again = client.get(edit_url).get_data(as_text=True)
    assert 'value="Field team B"' in again  # the next edit continues the proposal


def test_an_editor_reviews_the_change_from_the_queue(
    app, client, sign_in, make_site, make_record, editor, restorer
):
    site, record = _published_record(make_site, make_record, editor, organisation="Original team")
    record = restorations.update_record(
        record.id, {"organisation": "Field team B"}, actor=restorer, version=record.version
    )
    sign_in(editor)

    queue = client.get("/staff/review").get_data(as_text=True)
    page = client.get(f"/staff/records/{record.id}").get_data(as_text=True)
    response = client.post(
        f"/staff/records/{record.id}/workflow/publish",
        data={"version": str(record.version), "csrf_token": form_token(client, "/staff/review")},
        follow_redirects=True,
    )

    assert "What changes against the published version" in queue
    assert "Original team" in queue
    assert "Field team B" in queue
    assert f"/staff/records/{record.id}" in queue
    assert "Publish the change" in page
    assert "Send the change back" in page
    assert response.status_code == 200
    assert "A change awaits review" not in response.get_data(as_text=True)
    assert "Field team B" in app.test_client().get(f"/sites/{site.slug}").get_data(as_text=True)


def test_a_colleagues_draft_offers_no_submit_and_refuses_one(
    client, sign_in, make_site, make_record, make_user
):
    author, colleague = make_user("restorer"), make_user("restorer")
    record = make_record(make_site(), actor=author)
    sign_in(colleague)

    page = client.get(f"/staff/records/{record.id}").get_data(as_text=True)
    response = client.post(
        f"/staff/records/{record.id}/workflow/submit",
        data={"version": "1", "csrf_token": form_token(client, f"/staff/records/{record.id}")},
    )

    assert "Submit for review" not in page
    assert response.status_code == 403
    assert "Only the person who created this restoration record" in response.get_data(as_text=True)
    assert db.session.get(RestorationRecord, record.id).status == "draft"


def test_the_api_answers_202_with_the_pending_change(
    client, make_site, make_record, editor, restorer
):
    _site, record = _published_record(make_site, make_record, editor, team="Original team")
    secret = tokens.create_token(restorer.id, {"name": "tablet"}, actor=None).secret
    headers = {
        "Authorization": f"Bearer {secret}",
        "If-Match": f'"record-{record.id}-v{record.version}"',
    }

    response = client.patch(f"/api/v1/records/{record.id}", json={"team": "B"}, headers=headers)
    again = client.patch(f"/api/v1/records/{record.id}", json={"team": "C"}, headers=headers)

    assert response.status_code == 202
    assert response.json["team"] == "Original team"
    assert response.json["pending_change"]["values"] == {"team": "B"}
    assert response.json["pending_change"]["proposed_by_id"] == restorer.id
    assert response.headers["ETag"] == f'"record-{record.id}-v{record.version + 1}"'
    assert again.status_code == 412  # the same version cannot be saved from twice
    public = client.get(f"/api/v1/records/{record.id}").json
    assert public["team"] == "Original team"
    assert "pending_change" not in public
