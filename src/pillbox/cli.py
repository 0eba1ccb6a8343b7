"""The `pillbox` command: serve, migrate, and manage accounts, users, tokens and OAuth apps.

Every ordinary mistake is one line on stderr and exit status 2 (commands/console.py).
"""

import secrets
from typing import Annotated

import typer

from pillbox import __version__
from pillbox.commands import accounts as listing
from pillbox.commands import archives, capsule_import, seed
from pillbox.commands import users as user_commands
from pillbox.commands.accounts import account_id, user_id
from pillbox.commands.apps import apps_app
from pillbox.commands.common import checked_name, new_token
from pillbox.commands.console import OneLineErrors, fail, settings
from pillbox.commands.database import database
from pillbox.commands.database import upgrade as upgrade_database
from pillbox.commands.exports import export_app
from pillbox.commands.imports import import_app
from pillbox.commands.parties import parties_app
from pillbox.domain.accounts import create_account
from pillbox.domain.passwords import PasswordTooShort, set_password
from pillbox.domain.users import check_new_user, create_user, delete_user
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import accounts as store

app = typer.Typer(
    help="Pillbox: a self-hosted CRM server that speaks the Capsule CRM API.",
    no_args_is_help=True,
    cls=OneLineErrors,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
accounts_app = typer.Typer(help="Accounts (Capsule sites).", no_args_is_help=True)
users_app = typer.Typer(help="Users of an account.", no_args_is_help=True)
tokens_app = typer.Typer(help="Personal access tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(accounts_app, name="accounts")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(apps_app, name="apps")
accounts_app.command("list")(listing.accounts_list)
users_app.command("list")(listing.users_list)
tokens_app.command("list")(listing.tokens_list)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.command("backup")(archives.backup)
import_app.command("capsule")(capsule_import.import_capsule)
users_app.command("email")(user_commands.set_email)
app.add_typer(parties_app, name="parties")
app.command("seed")(seed.seed_command)


def _show_version(shown: bool) -> None:
    if shown:
        typer.echo(f"pillbox {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Pillbox: a self-hosted CRM server that speaks the Capsule CRM API."""


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    sandbox: Annotated[
        bool, typer.Option(help="Serve the sandbox admin API under /_pillbox/.")
    ] = False,
) -> None:
    """Serve the API."""
    import os

    import uvicorn

    if sandbox or settings().sandbox:
        if workers != 1:
            fail(
                "A sandbox keeps its clock, journal and fault rules in memory: "
                "serve it with one worker."
            )
        os.environ["PILLBOX_SANDBOX"] = "true"  # read by the server process's Settings()

    database()  # reachable and migrated, or one line saying what to do
    uvicorn.run(
        "pillbox.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # one line per request comes from Pillbox itself (api/operations.py)
        log_level="info",
        proxy_headers=True,
        forwarded_allow_ips=settings().forwarded_allow_ips,
        http="pillbox.api.http_protocol:BoundedHttpProtocol",
    )


@app.command()
def worker(
    poll: Annotated[
        float,
        typer.Option(
            min=0.01, max=3600, help="Seconds between looks for new jobs and REST hook deliveries."
        ),
    ] = 0.5,
) -> None:
    """Run the job worker on its own (serve with PILLBOX_RUN_WORKER=false)."""
    import signal

    from pillbox.deliveries import post, post_anywhere
    from pillbox.worker import Worker

    engine = database()
    from pillbox import logs
    from pillbox.store.files import open_store

    configured = settings()
    logs.configure(configured.log_format)
    runner = Worker(
        engine,
        poll_seconds=poll,
        files=open_store(configured.attachments_url, configured.attachments_dir),
        hook_timeout=configured.hook_timeout_seconds,
        send=post_anywhere if configured.hooks_reach_private else post,
    )
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    typer.echo("Worker running; Ctrl-C to stop.", err=True)
    try:
        runner.run_forever()
    except KeyboardInterrupt:
        runner.stop()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration, and say which."""
    applied = upgrade_database()
    for migration in applied:
        typer.echo(f"Applied {migration}", err=True)
    typer.echo(
        f"Applied {len(applied)} migrations." if applied else "The database was up to date.",
        err=True,
    )


@accounts_app.command("create")
def accounts_create(name: str) -> None:
    """Create an account."""
    checked_name(name, "The account name")
    with database().begin() as conn:
        try:
            create_account(conn, name)
        except ValidationFailed:
            fail(f"An account named {name!r} exists already.")
    typer.echo(f"Created account {name!r}.", err=True)


@users_app.command("create")
def users_create(
    account: Annotated[str, typer.Option(help="Account name.")],
    email: Annotated[str, typer.Option(help="Email address (unique in the account).")],
    name: Annotated[str, typer.Option(help="Full name.")],
    admin: Annotated[bool, typer.Option(help="Make the user an administrator.")] = False,
    username: Annotated[str | None, typer.Option(help="Default: the email's local part.")] = None,
) -> None:
    """Create a user in an account, with the person record every user has."""
    checked_name(name, "--name")
    username = username if username is not None else email.split("@")[0]
    with database().begin() as conn:
        found = account_id(conn, account)
        try:
            check_new_user(conn, found, email, username)
        except ValidationFailed as refused:
            fail(f"Cannot add the user to {account!r}: {refused.errors[0].message}.")
        create_user(conn, found, email=email, name=name, username=username, admin=admin)
    typer.echo(f"Created user {email!r} in {account!r}.", err=True)


@users_app.command("delete")
def users_delete(
    account: Annotated[str, typer.Option(help="Account name.")],
    email: Annotated[str, typer.Option(help="The user's email address.")],
) -> None:
    """Delete a user: their tokens stop working; their records keep them as owner."""
    with database().begin() as conn:
        try:
            delete_user(conn, account_id(conn, account), user_id(conn, account, email))
        except NotFound:
            fail(f"User {email!r} is deleted already.")
        except ValidationFailed:
            fail(f"{email!r} is the last administrator of {account!r}.")
    typer.echo(f"Deleted user {email!r} from {account!r}.", err=True)


@users_app.command("password")
def users_password(
    account: Annotated[str, typer.Option(help="Account name.")],
    email: Annotated[str, typer.Option(help="The user's email address.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            confirmation_prompt=True,
            hide_input=True,
            help="The new password (asked for when not given).",
        ),
    ],
) -> None:
    """Set the password a user signs in with, to the web interface and to authorise OAuth apps."""
    with database().begin() as conn:
        try:
            set_password(conn, user_id(conn, account, email), password)
        except PasswordTooShort as error:
            fail(str(error))
    typer.echo(f"Password set for {email!r}.", err=True)


@tokens_app.command("create")
def tokens_create(
    account: Annotated[str, typer.Option(help="Account name.")],
    user: Annotated[str, typer.Option(help="The user's email address.")],
    scope: Annotated[str, typer.Option(help="read or write.")] = "write",
) -> None:
    """Create a personal access token; prints only the token."""
    if scope not in ("read", "write"):
        fail("--scope must be read or write.")
    with database().begin() as conn:
        token = new_token()
        store.create_token(conn, user_id(conn, account, user), token, scope)
    typer.echo(token)


@tokens_app.command("revoke")
def tokens_revoke(token: str) -> None:
    """Revoke a token."""
    with database().begin() as conn:
        if not store.revoke_token(conn, token):
            fail("No such live token.")
    typer.echo("Token revoked.", err=True)


@app.command()
def demo(
    account: Annotated[str, typer.Option(help="Account name.")] = "demo",
    email: Annotated[str, typer.Option(help="Admin user's email.")] = "admin@demo.example",
    url: Annotated[str, typer.Option(help="Where the server will be, for the sign-in line.")] = (
        "http://127.0.0.1:8000/"
    ),
) -> None:
    """Create the demo account and admin user if missing, print a new write token, and give the
    admin a new password for the web interface (on stderr, with where to sign in)."""
    checked_name(account, "--account")
    password = secrets.token_urlsafe(12)
    with database().begin() as conn:
        found = store.account_id_by_name(conn, account) or store.create_account(conn, account)
        admin_id = store.user_id_by_email(conn, found, email)
        if admin_id is None:
            try:
                check_new_user(conn, found, email, "admin")
            except ValidationFailed as refused:
                fail(f"Cannot add the demo administrator: {refused.errors[0].message}.")
            admin_id = create_user(
                conn, found, email=email, name="Demo Admin", username="admin", admin=True
            )
        token = new_token()
        store.create_token(conn, admin_id, token, "write")
        set_password(conn, admin_id, password)
    typer.echo(token)
    typer.echo(f"Web interface: open {url} and sign in as {email}, password {password}", err=True)


def main() -> None:
    app()
