"""Input no form or address can hold gets a clear 4xx, never a 500: numbers beyond any row
id or page, and NUL characters (which PostgreSQL refuses outright)."""

from __future__ import annotations

import pytest

from tests.conftest import form_token

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/photos/{HUGE}",
        "/photos/9223372036854775808",
        f"/sites?page={HUGE}",
        "/sites?page=1000000000000000000",
        f"/map?page={HUGE}",
        "/sites?page=2",  # past the last page of an empty archive
    ],
)
def test_numbers_beyond_any_row_or_page_are_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/staff/sites/{HUGE}",
        f"/staff/records/{HUGE}",
        f"/staff/photos/{HUGE}",
        f"/staff/sites/?page={HUGE}",
    ],
)
def test_staff_addresses_beyond_any_row_are_not_found(client, sign_in, editor, path):
    sign_in(editor)

    assert client.get(path).status_code == 404


def test_a_form_version_beyond_any_row_is_a_conflict_not_an_error(
    client, sign_in, editor, make_site
):
    site = make_site()
    sign_in(editor)
    token = form_token(client, f"/staff/sites/{site.id}/edit")

    response = client.post(
        f"/staff/sites/{site.id}/edit",
        data={"version": HUGE, "name_az": "Yeni ad", "csrf_token": token},
    )

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/sites?district=a%00b", None),
        ("get", "/api/v1/sites?slug=a%00b", None),
        ("post", "/login", {"email": "a\x00b@example.org", "password": "x", "csrf_token": "x"}),
    ],
)
def test_a_nul_character_is_refused_with_400(client, method, path, data):
    response = getattr(client, method)(path, data=data)

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "NUL" in text
