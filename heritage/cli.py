"""The `heritage` command: a Flask CLI group with the archive's operations."""

from __future__ import annotations

import copy
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, run_command, shell_command, with_appcontext
from marshmallow import ValidationError
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from heritage import __version__
from heritage.config import ConfigError
from heritage.schemas.user import PASSWORD_MAX, PASSWORD_MIN
from heritage.services.errors import Busy
from heritage.vocab import ROLES

# Commands that extensions add but the archive does not document: Flask-Limiter's counts
# live in each server process's memory, out of reach of a command.
UNLISTED = {"limiter"}


def main() -> None:
    """Entry point of the `heritage` console script."""
    command_group().main(prog_name="heritage")


def command_group() -> FlaskGroup:
    """The `heritage` command and its subcommands."""
    return ArchiveCommands(
        create_app=_create_app,
        help="heritage: the cultural heritage archive of Karabakh and East Zangezur.",
        # The archive's settings come from HERITAGE_* variables, not a .env file.
        load_dotenv=False,
        add_default_commands=False,
        add_version_option=False,
    )


def _create_app() -> Flask:
    """The app, saying where its instance folder is when it was just made (an installed
    package puts it under the environment's var/, which nobody would guess)."""
    from heritage import create_app

    app = create_app()
    if app.extensions["heritage.instance_created"]:
        click.echo(
            f"Created the instance folder {app.instance_path} (database, secret key, search "
            "index); set HERITAGE_INSTANCE_PATH to use another.",
            err=True,
        )
    return app


def _run_command() -> click.Command:
    """Flask's `run`, its help naming the default address."""
    command = copy.copy(run_command)
    command.params = [copy.copy(param) for param in run_command.params]
    for param in command.params:
        if param.name in ("host", "port"):
            param.show_default = True
    command.help = (
        "Serve the archive with Flask's development server, for one person trying it out "
        "(see the README's Production section for a real deployment)."
    )
    return command


class CommandFailed(click.ClickException):
    """The command could not do its work at all (exit status 2, apart from the 1 with which
    `fixity` says it found a problem)."""

    exit_code = 2


class ArchiveCommands(FlaskGroup):
    """Flask's command group with only the archive's own options and commands; failures a
    person can fix end with a message saying how, not a traceback."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Flask's --app and --env-file: the app is the archive's, and the settings come
        # from HERITAGE_* variables (python-dotenv is not installed).
        self.params = [param for param in self.params if param.name not in ("app", "env_file")]
        self.params.append(
            click.Option(
                ["--version"],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_print_version,
                help="Show heritage's version and exit.",
            )
        )
        for command in (_run_command(), shell_command, routes_command):
            self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in super().list_commands(ctx) if name not in UNLISTED]

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as error:  # ProgrammingError: PostgreSQL
            raise CommandFailed(_database_problem(error)) from None
        except ConfigError as error:
            raise CommandFailed(str(error)) from None
        except Busy as error:
            raise CommandFailed(error.message) from None
        except ArgumentError as error:
            message = f"HERITAGE_DATABASE_URL is not a usable database URL: {error}"
            raise CommandFailed(message) from None
        except OSError as error:
            where = f": {error.filename}" if error.filename else ""
            raise CommandFailed(f"{error.strerror or error}{where}") from None


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"heritage {__version__}")
        ctx.exit()


def _database_problem(error: OperationalError | ProgrammingError) -> str:
    text = str(error.orig)
    if "no such table" in text or "does not exist" in text:
        return "The database holds no archive yet: run `heritage init-db` first."
    if "locked" in text:
        return "The database is busy with another process; try again in a moment."
    return f"The database cannot be used: {text}"


def register_commands(app: Flask) -> None:
    from heritage.cli_exchange import EXCHANGE_COMMANDS
    from heritage.cli_media import MEDIA_COMMANDS
    from heritage.cli_search import reindex

    commands = (init_db, demo, create_user, create_token, reindex)
    for command in (*commands, *MEDIA_COMMANDS, *EXCHANGE_COMMANDS):
        app.cli.add_command(command)


def upgrade_database() -> None:
    """Bring the database schema to the newest migration."""
    from flask_migrate import upgrade

    upgrade()


def schema_revision() -> str | None:
    """The migration the database is at; None for a database without the archive."""
    from alembic.migration import MigrationContext

    from heritage.extensions import db

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def prepare_archive() -> str:
    """Everything a new or upgraded archive needs: the schema, the media folder and a
    complete search index. Says in one line what became of the database."""
    from heritage.extensions import db
    from heritage.services import indexing

    before = schema_revision()
    upgrade_database()
    after = schema_revision()
    os.makedirs(current_app.config["MEDIA_ROOT"], exist_ok=True)
    indexing.complete_index()
    url = db.engine.url
    where = url.database if url.get_backend_name() == "sqlite" else url.render_as_string()
    if before is None:
        return f"Created the archive database at {where}, at the current schema."
    if before != after:
        return f"Upgraded the database at {where} to the current schema."
    return f"The database at {where} is at the current schema."


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database to the current schema; make the media folder and
    the search index if they are missing."""
    click.echo(prepare_archive())


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Fill the archive with the demo sites and restoration records (safe to run again)."""
    from heritage.demo import load_demo

    click.echo(prepare_archive())
    with click.progressbar(length=1, label="Loading demo archive") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        report = load_demo(progress=progress)
    click.echo(
        f"Demo archive: {report.sites_created} sites, {report.records_created} restoration "
        f"records and {report.photos_created} photos added; {report.sites_existing} sites, "
        f"{report.records_existing} records and {report.photos_existing} photos were already "
        f"there. Collection objects: {report.objects_created} added, "
        f"{report.objects_existing} already there. Gravestones: {report.gravestones_created} "
        f"added, {report.gravestones_existing} already there. Condition surveys: "
        f"{report.surveys_created} added, {report.surveys_existing} already there."
    )


@click.command(
    "create-user",
    help=(
        "Create a staff account. Prompts for the password, or reads it from piped stdin. "
        f"The password: {PASSWORD_MIN} to {PASSWORD_MAX} characters of any kind, with no "
        "rules about digits or symbols: a passphrase of a few words is best."
    ),
)
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice(ROLES.codes), help="What the account may do."
)
@click.option("--name", default="", help="The person's name, as shown in history.")
@with_appcontext
def create_user(email: str, role: str, name: str) -> None:
    from heritage.services.users import create_user as create

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create(
            {"email": email, "role": role, "name": name, "password": password}, actor=None
        )
    except ValidationError as error:
        for field, messages in error.normalized_messages().items():
            click.echo(f"{field}: {' '.join(messages)}", err=True)
        sys.exit(1)
    click.echo(f"Created {user.role} account {user.email}.")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="command line", help="What the token is for, to tell it apart.")
@click.option("--read-only", is_flag=True, help="The token may read, never write.")
@with_appcontext
def create_token(email: str, name: str, read_only: bool) -> None:
    """Issue an API token for a staff account and print it (this once; only its hash is kept)."""
    from heritage.services import tokens
    from heritage.services.users import find_user

    user = find_user(email)
    if user is None:
        click.echo(f"No account with the address {email}.", err=True)
        sys.exit(1)
    try:
        issued = tokens.create_token(user.id, {"name": name, "read_only": read_only}, actor=None)
    except ValidationError as error:
        for field, messages in error.normalized_messages().items():
            click.echo(f"{field}: {' '.join(messages)}", err=True)
        sys.exit(1)
    kind = "read-only token" if read_only else "token"
    click.echo(f"API {kind} for {user.email} ({user.role}), shown only this once:", err=True)
    click.echo(issued.secret)
