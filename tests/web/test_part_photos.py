"""What a site holds, pictured and surveyed: photos of a collection object, a gravestone or a
condition survey (uploaded from its staff page, shown on its public page once both are
published, behind the same gate, derivatives and IIIF as any photo); surveys of one object
or gravestone; and the restoration work a survey prompted, linked both ways."""

from __future__ import annotations

import io

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from heritage.extensions import db
from heritage.models import Photo, Site
from heritage.services import photos, restorations, surveys
from tests.conftest import form_token, record_data, survey_data
from tests.media.files import jpeg


@pytest.fixture
def museum(make_site):
    return make_site("published", category="museum", site_type="museum", slug="museum")


@pytest.fixture
def cemetery(make_site):
    return make_site("published", category="cemetery", site_type="cemetery", slug="cemetery")


def public_urls(photo) -> list[str]:
    return [
        f"/photos/{photo.id}",
        f"/media/{photo.sha256}/{photo.derivative_key}/thumb.webp",
        f"/iiif/3/{photo.iiif_identifier}/info.json",
    ]


def status_of(client, url: str) -> int:
    """The status of a GET, its file body closed."""
    response = client.get(url)
    response.close()
    return response.status_code


def test_a_photo_uploaded_from_an_objects_staff_page_shows_on_its_public_page(
    client, museum, make_object, make_user, sign_in, editor
):
    obj = make_object(museum, "published")
    sign_in(make_user("restorer"))
    page = client.get(f"/staff/objects/{obj.id}").get_data(as_text=True)
    assert f'name="object_id" value="{obj.id}"' in page
    response = client.post(
        f"/staff/sites/{museum.id}/photos",
        data={
            "csrf_token": form_token(client, f"/staff/objects/{obj.id}"),
            "object_id": str(obj.id),
            "stage": "general",
            "file": (io.BytesIO(jpeg(seed=7, width=640, height=480)), "carpet.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    db.session.rollback()
    photo = db.session.scalar(select(Photo))
    assert photo.object_id == obj.id
    assert f"/staff/photos/{photo.id}" in client.get(f"/staff/objects/{obj.id}").get_data(
        as_text=True
    )
    assert "Photo of the object" in client.get(f"/staff/photos/{photo.id}").get_data(as_text=True)

    # A draft photo is nobody's to see; published, it is on the object's page, not the site's.
    client.post("/logout", data={"csrf_token": form_token(client, "/staff/")})
    assert all(status_of(client, url) == 404 for url in public_urls(photo))
    photos.update_photo(
        photo.id, {"caption_en": "The carpet", "alt_en": "A red carpet"}, actor=editor, version=1
    )
    photos.submit_photo(photo.id, actor=editor, version=2)
    photo = photos.publish_photo(photo.id, actor=editor, version=3)
    assert all(status_of(client, url) == 200 for url in public_urls(photo))
    object_page = client.get(f"/objects/{obj.id}?lang=en").get_data(as_text=True)
    assert f'href="/photos/{photo.id}"' in object_page
    assert 'alt="A red carpet"' in object_page
    assert f'href="/photos/{photo.id}"' not in client.get("/sites/museum").get_data(as_text=True)
    assert f'href="/objects/{obj.id}"' in client.get(f"/photos/{photo.id}").get_data(as_text=True)


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_a_photo_of_an_unpublished_gravestone_reaches_nothing_public(
    client, cemetery, make_gravestone, make_photo, status
):
    stone = make_gravestone(cemetery, status)
    photo = make_photo(cemetery, gravestone_id=stone.id)
    assert photo.status == "published"
    for url in public_urls(photo):
        assert status_of(client, url) == 404, url
    for url in ("/sites/cemetery", "/sitemap.xml", "/iiif/3/sites/cemetery/manifest"):
        assert photo.sha256 not in client.get(url).get_data(as_text=True), url


def test_a_published_gravestones_photos_and_surveys_are_on_its_page(
    client, cemetery, make_gravestone, make_photo, make_survey
):
    stone = make_gravestone(cemetery, "published")
    photo = make_photo(cemetery, gravestone_id=stone.id, alt_en="The ram-shaped stone")
    survey = make_survey(
        cemetery,
        "published",
        gravestone_id=stone.id,
        overall_condition="ruined",
        findings_en="Qzvx the horns are broken off",
    )
    survey_photo = make_photo(cemetery, survey_id=survey.id, alt_en="Broken horns")
    page = client.get(f"/gravestones/{stone.id}?lang=en").get_data(as_text=True)
    assert 'alt="The ram-shaped stone"' in page
    timeline = page[page.index("Condition over time") :]
    assert "Qzvx the horns are broken off" in timeline
    assert f'href="/photos/{survey_photo.id}"' in timeline
    # A survey of one gravestone is not the cemetery's: its condition and timeline stay.
    db.session.rollback()
    assert db.session.get(Site, cemetery.id).condition == "poor"
    assert "Qzvx" not in client.get("/sites/cemetery?lang=en").get_data(as_text=True)
    assert f'href="/photos/{photo.id}"' not in client.get("/sites/cemetery").get_data(as_text=True)


def test_a_survey_of_a_draft_object_is_not_public(client, museum, make_object, make_survey):
    obj = make_object(museum, "draft")
    make_survey(museum, "published", object_id=obj.id, findings_en="Qzvx moth damage")
    assert client.get("/api/v1/surveys").get_json()["total"] == 0
    assert "Qzvx" not in client.get("/sites/museum?lang=en").get_data(as_text=True)


def test_parts_of_another_site_or_two_at_once_are_refused(
    client, museum, make_site, make_object, make_gravestone, make_photo, editor
):
    other = make_site("published", category="cemetery", site_type="cemetery", slug="other")
    stone = make_gravestone(other)
    obj = make_object(museum)
    with pytest.raises(ValidationError) as refused:
        make_photo(museum, gravestone_id=stone.id)
    assert refused.value.messages == {
        "gravestone_id": ["This gravestone belongs to another cemetery."]
    }
    with pytest.raises(ValidationError) as refused:
        make_photo(museum, object_id=obj.id, survey_id=999)
    assert set(refused.value.messages) == {"object_id", "survey_id"}
    with pytest.raises(ValidationError) as refused:
        surveys.create_survey(museum.id, survey_data(gravestone_id=stone.id), actor=editor)
    assert "gravestone_id" in refused.value.messages
    db.session.rollback()
    assert db.session.scalar(select(Photo)) is None


def test_work_prompted_by_a_survey_is_linked_both_ways(
    client, museum, make_site, make_survey, editor
):
    survey = make_survey(museum, "published", survey_date="2022-03-01")
    record = restorations.create_record(
        museum.id, record_data(title="Emergency roof cover", survey_id=survey.id), actor=editor
    )
    restorations.submit_record(record.id, actor=editor, version=1)
    restorations.publish_record(record.id, actor=editor, version=2)
    page = client.get("/sites/museum?lang=en").get_data(as_text=True)
    work = page[page.index(f'id="work-{record.id}"') :]
    assert f'href="#survey-{survey.id}"' in work[: work.index("</li>")]
    entry = page[page.index(f'id="survey-{survey.id}"') :]
    assert f'href="#work-{record.id}"' in entry[: entry.index("</ol>")]
    staff = client.get(f"/api/v1/records/{record.id}").get_json()
    assert "survey_id" not in staff  # the public answer does not name a survey
    # A survey of another site is refused with the field named.
    elsewhere = make_survey(make_site("published", slug="elsewhere"))
    with pytest.raises(ValidationError) as refused:
        restorations.create_record(museum.id, record_data(survey_id=elsewhere.id), actor=editor)
    assert refused.value.messages == {
        "survey_id": ["This condition survey belongs to another site."]
    }


def test_staff_pages_of_gravestones_and_surveys_take_photos(
    client, cemetery, make_gravestone, make_survey, make_user, sign_in
):
    stone = make_gravestone(cemetery)
    survey = make_survey(cemetery)
    sign_in(make_user("restorer"))
    assert f'name="gravestone_id" value="{stone.id}"' in client.get(
        f"/staff/gravestones/{stone.id}"
    ).get_data(as_text=True)
    assert f'name="survey_id" value="{survey.id}"' in client.get(
        f"/staff/surveys/{survey.id}"
    ).get_data(as_text=True)
    sign_in(make_user("researcher"))
    assert 'name="survey_id"' not in client.get(f"/staff/surveys/{survey.id}").get_data(
        as_text=True
    )
