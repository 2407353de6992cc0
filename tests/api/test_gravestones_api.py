"""Gravestones through the API: only a cemetery or necropolis holds them, and a bad one is
refused with the field that is wrong."""

from __future__ import annotations

import pytest

from tests.conftest import gravestone_data


def test_a_gravestone_belongs_to_a_cemetery(client, make_site, editor, token_for):
    museum = make_site("published", category="museum", site_type="museum", slug="a-museum")
    response = client.post(
        f"/api/v1/sites/{museum.id}/gravestones", json=gravestone_data(), headers=token_for(editor)
    )
    assert response.status_code == 422
    assert "site_id" in response.json["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"marker_type": "pyramid"}, "marker_type"),
        ({"calendar": "julian"}, "calendar"),
        ({"persons": [{"death_year": 1300}]}, "persons"),
        ({"persons": [{"name_read": "A", "birth_year": 1300, "death_year": 1200}]}, "persons"),
        ({"persons": [{"name_read": "A", "death_year": 0}]}, "persons"),
        # A year that is not a number, in a Hijri stone: refused, not a 500 (marshmallow 4.0).
        ({"calendar": "hijri", "persons": [{"name_read": "A", "birth_year": "x"}]}, "persons"),
        ({"inscription_language": None}, "inscription_language"),
        ({"latitude": 39.7}, "latitude"),
    ],
)
def test_bad_gravestones_are_refused(client, make_site, editor, token_for, change, field):
    site = make_site("published", category="cemetery", site_type="cemetery")
    response = client.post(
        f"/api/v1/sites/{site.id}/gravestones",
        json=gravestone_data(**change),
        headers=token_for(editor),
    )
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert client.get("/api/v1/gravestones", headers=token_for(editor)).json["total"] == 0
