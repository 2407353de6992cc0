"""The `heritage` command: a Flask CLI group with the archive's operations."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from marshmallow import ValidationError
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from heritage.config import ConfigError
from heritage.services.errors import Busy
from heritage.vocab import ROLES


def main() -> None:
    """Entry point of the `heritage` console script."""
    command_group().main(prog_name="heritage")


def command_group() -> FlaskGroup:
    """The `heritage` command and its subcommands."""
    from heritage import create_app

    return ArchiveCommands(
        create_app=create_app,
        help="heritage: the cultural heritage archive of Karabakh and East Zangezur.",
        # The archive's settings come from HERITAGE_* variables, not a .env file.
        load_dotenv=False,
    )


class CommandFailed(click.ClickException):
    """The command could not do its work at all (exit status 2, apart from the 1 with which
    `fixity` says it found a problem)."""

    exit_code = 2


class ArchiveCommands(FlaskGroup):
    """Failures a person can fix end with a message saying how, not a traceback."""

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


def _database_problem(error: OperationalError | ProgrammingError) -> str:
    text = str(error.orig)
    if "no such table" in text or "does not exist" in text:
        return "The database holds no archive yet: run `heritage init-db` first."
    if "locked" in text:
        return "The database is busy with another process; try again in a moment."
    return f"The database cannot be used: {text}"


def register_commands(app: Flask) -> None:
    from heritage.cli_media import MEDIA_COMMANDS
    from heritage.cli_search import reindex

    for command in (init_db, demo, create_user, create_token, reindex, *MEDIA_COMMANDS):
        app.cli.add_command(command)


def upgrade_database() -> None:
    """Bring the database schema to the newest migration."""
    from flask_migrate import upgrade

    upgrade()


def prepare_archive() -> None:
    """Everything a new or upgraded archive needs: the schema and the media folder."""
    upgrade_database()
    os.makedirs(current_app.config["MEDIA_ROOT"], exist_ok=True)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database to the current schema, and the media folder."""
    prepare_archive()
    click.echo("Database is at the current schema.")


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Fill the archive with the demo sites and restoration records (safe to run again)."""
    from heritage.demo import load_demo

    prepare_archive()
    with click.progressbar(length=1, label="Loading demo archive") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        report = load_demo(progress=progress)
    click.echo(
        f"Demo archive: {report.sites_created} sites, {report.records_created} restoration "
        f"records and {report.photos_created} photos added; {report.sites_existing} sites, "
        f"{report.records_existing} records and {report.photos_existing} photos were already "
        "there."
    )


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice(ROLES.codes), help="What the account may do."
)
@click.option("--name", default="", help="The person's name, as shown in history.")
@with_appcontext
def create_user(email: str, role: str, name: str) -> None:
    """Create a staff account. Prompts for the password, or reads it from piped stdin."""
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
