"""heritage: a cultural heritage digital archive."""

from __future__ import annotations

import os

from flask import Flask

__version__ = "0.1.0"


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI. Nothing else."""
    overrides = dict(overrides or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or os.environ.get("HERITAGE_INSTANCE_PATH")
    from heritage.paths import shipped

    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(shipped("templates")),
    )

    from heritage.config import configure

    configure(app, overrides, instance_given=instance_path is not None)
    from heritage.web import converters

    converters.install(app.url_map)
    _init_extensions(app)
    _register_blueprints(app)

    from heritage.cli import register_commands

    register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from heritage import bodies, i18n, json_input
    from heritage.db import install_sqlite_safety
    from heritage.extensions import babel, csrf, db, limiter, login_manager, migrate
    from heritage.paths import shipped
    from heritage.web import caching, inputs, security

    bodies.init_app(app)  # first: its limit must hold before any hook reads a body
    json_input.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(shipped("migrations")))
    with app.app_context():
        install_sqlite_safety(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "basic"
    inputs.init_app(app)  # before CSRF's check, which reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app, babel)
    # The page cache sits inside the proxy fix, so it sees the host the visitor asked.
    caching.init_app(app)
    security.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from heritage import vocab
    from heritage.web import (
        api_docs,
        auth,
        catalogue,
        cemetery,
        collection,
        errors,
        filters,
        gravestones,
        health,
        iiif,
        imports,
        items,
        oai,
        objects,
        public,
        search,
        staff,
        surveys,
        tokens,
        users,
        worklog,
    )

    app.jinja_env.globals["vocab"] = vocab
    for blueprint in (
        public.bp,
        iiif.bp,
        oai.bp,
        health.bp,
        auth.bp,
        staff.bp,
        catalogue.bp,
        worklog.bp,
        imports.bp,
        objects.bp,
        collection.bp,
        gravestones.bp,
        cemetery.bp,
        surveys.bp,
        users.bp,
        tokens.bp,
        api_docs.bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(search.bp)
    _register_photos(app)
    errors.register(app)
    filters.register(app)
    items.register(app)


def _register_photos(app: Flask) -> None:
    """Photo pages and derivatives, and the JSON API."""
    from heritage import api
    from heritage.web import photos

    app.register_blueprint(photos.bp)
    api.init_app(app)
