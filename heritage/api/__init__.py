"""The JSON API under /api/v1 (flask-smorest), with its OpenAPI document at
/api/v1/openapi.json. Endpoints parse, call a service and serialise, like the HTML views."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from heritage.api import photos

api = Api()

BLUEPRINTS = (photos.blp,)


def init_app(app: Flask) -> None:
    """Bind the API to the app and register its blueprints.

    flask-smorest installs an app-wide JSON handler for HTTP errors; the HTML pages keep
    theirs because heritage.web.errors registers after this, and each API blueprint has its
    own problem+json handlers (errors.guard), which Flask prefers for requests routed to it.
    """
    api.init_app(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
