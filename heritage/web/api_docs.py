"""Interactive API documentation at /api/v1/docs: swagger-ui, served from the app itself."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.get("/api/v1/docs")
def show_docs():
    """Swagger UI over /api/v1/openapi.json (no CDN, no inline script)."""
    return render_template("api/docs.html")
