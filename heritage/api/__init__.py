"""The JSON API under /api/v1 (flask-smorest), with its OpenAPI document at
/api/v1/openapi.json and interactive docs at /api/v1/docs. Endpoints parse, call a service
and serialise, like the HTML views."""

from __future__ import annotations

from http import HTTPStatus

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from heritage.api import (
    collection,
    gravestones,
    imports,
    photos,
    records,
    search,
    sites,
    surveys,
    users,
    vocabularies,
)
from heritage.api.errors import ProblemSchema
from heritage.problems import PROBLEM_JSON

BLUEPRINTS = (
    sites.blp,
    records.blp,
    photos.blp,
    collection.blp,
    gravestones.blp,
    surveys.blp,
    imports.blp,
    search.blp,
    vocabularies.blp,
    users.blp,
)


class HeritageApi(Api):
    """flask-smorest with errors documented as application/problem+json, and the OpenAPI
    document built when it is first read rather than when each app starts.

    Building it costs most of an app's start-up (every worker, every test), and nothing but
    /api/v1/openapi.json, the docs page and `heritage openapi` reads it.
    """

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple] = []
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        """The APISpec, with the views of every blueprint registered so far documented."""
        while self._undocumented:
            blueprint, name = self._undocumented.pop(0)
            blueprint.register_views_in_doc(self, self._app, self._spec, name=name, parameters=None)
            self._spec.tag({"name": name, "description": blueprint.description})
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def register_blueprint(self, blp, **options):
        """Route the blueprint now; document it when the document is read.

        What flask-smorest's own register_blueprint does (0.47, as setup.cfg pins), less
        the documentation; a KeyError here means a new flask-smorest changed its registry.
        """
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name))

    def _register_error_handlers(self):
        """None app-wide: each API blueprint answers its own errors (errors.guard), and the
        site's handlers (heritage.web.errors) answer problem+json for unmatched /api/ paths."""

    def _register_responses(self):
        for status in HTTPStatus:
            response = {"description": status.phrase}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                content_type = PROBLEM_JSON
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as problem+json.", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


SPEC = {
    "info": {
        "description": "The heritage archive's JSON API. Anonymous callers read what is "
        "published; staff authenticate with `Authorization: Bearer <token>` or their "
        "session (with the X-CSRFToken header for writes). Changes need the ETag read in "
        "If-Match. Errors are application/problem+json."
    },
    "components": {
        "securitySchemes": {
            "bearerToken": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
        }
    },
    "security": [{}, {"bearerToken": []}, {"session": []}],
}


def init_app(app: Flask) -> None:
    """Bind the API to the app and register its blueprints."""
    api = HeritageApi(app, spec_kwargs=SPEC)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)


__all__ = ["init_app"]
