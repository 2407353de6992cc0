"""The OpenAPI document and the interactive docs served by the app itself."""

from __future__ import annotations

import re


def test_the_document_lists_every_endpoint_with_problem_json_errors(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/sites",
        "/api/v1/sites/{site_id}/withdraw",
        "/api/v1/records/{record_id}/history",
        "/api/v1/photos/{photo_id}/original",
        "/api/v1/search",
        "/api/v1/vocabularies/{name}",
        "/api/v1/users/{user_id}",
    ):
        assert path in paths, path
    patch = paths["/api/v1/sites/{site_id}"]["patch"]
    assert any(p["name"] == "If-Match" and p["required"] for p in patch["parameters"])
    assert "application/problem+json" in patch["responses"]["412"]["content"]
    assert "bearerToken" in spec["components"]["securitySchemes"]


def test_the_docs_page_is_served_from_the_app_without_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    assert all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        served = client.get(asset)
        assert served.status_code == 200, asset
        served.close()
