"""The public pages: published data only, through the public gate."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from heritage.services import public

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """The front page."""
    page = public.list_published_sites(per_page=12)
    return render_template("public/index.html", page=page)


@bp.get("/sites")
def list_sites():
    """Browse the published sites."""
    page_number = request.args.get("page", 1, type=int)
    page = public.list_published_sites(page=page_number, per_page=current_app.config["PAGE_SIZE"])
    return render_template("public/sites.html", page=page)


@bp.get("/sites/<slug>")
def show_site(slug: str):
    """One published site."""
    return render_template("public/site.html", site=public.get_published_site(slug))
