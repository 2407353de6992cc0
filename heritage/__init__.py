"""heritage: a cultural heritage digital archive."""

from __future__ import annotations

import os

from flask import Flask

__version__ = "0.1.0"


def create_app(overrides: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI. Nothing else."""
    overrides = dict(overrides or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or os.environ.get("HERITAGE_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)

    from heritage.config import configure

    configure(app, overrides)

    from heritage.db import install_sqlite_safety
    from heritage.extensions import db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "migrations"))
    with app.app_context():
        install_sqlite_safety(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from heritage import vocab
    from heritage.web import errors, health, public

    app.jinja_env.globals["vocab"] = vocab

    app.register_blueprint(public.bp)
    app.register_blueprint(health.bp)
    errors.register(app)

    from heritage.cli import register_commands

    register_commands(app)
    return app
