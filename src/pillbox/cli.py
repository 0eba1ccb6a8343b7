"""The `pillbox` command: serve, migrate, and manage accounts, users, tokens and OAuth apps."""

import secrets
from datetime import UTC, date, datetime
from typing import Annotated

import sqlalchemy as sa
import typer
from sqlalchemy.engine import make_url

from pillbox.domain import oauth
from pillbox.domain.accounts import create_account
from pillbox.domain.passwords import PasswordTooShort, set_password
from pillbox.domain.users import create_user, delete_user
from pillbox.errors import NotFound, ValidationFailed
from pillbox.settings import Settings
from pillbox.store import accounts as store
from pillbox.store import migrate
from pillbox.store import oauth as oauth_store
from pillbox.store.engine import create_engine

app = typer.Typer(
    help="Pillbox: a self-hosted CRM server that speaks the Capsule CRM API.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
accounts_app = typer.Typer(help="Accounts (Capsule sites).", no_args_is_help=True)
users_app = typer.Typer(help="Users of an account.", no_args_is_help=True)
tokens_app = typer.Typer(help="Personal access tokens.", no_args_is_help=True)
apps_app = typer.Typer(help="OAuth 2.0 apps (clients) of an account.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(accounts_app, name="accounts")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(apps_app, name="apps")


def _engine() -> sa.Engine:
    settings = Settings()
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        from pathlib import Path

        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(settings.database_url)


def new_token() -> str:
    """A new secret token: hex, so that it never starts with "-" and reads as an option."""
    return secrets.token_hex(32)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    sandbox: Annotated[
        bool, typer.Option(help="Serve the sandbox admin API under /_pillbox/.")
    ] = False,
) -> None:
    """Serve the API."""
    import os

    import uvicorn

    if sandbox or Settings().sandbox:
        if workers != 1:
            _fail(
                "A sandbox keeps its clock, journal and fault rules in memory: "
                "serve it with one worker."
            )
        os.environ["PILLBOX_SANDBOX"] = "true"  # read by the server process's Settings()

    if not migrate.is_up_to_date(_engine()):
        _fail("The database is not at the latest schema version. Run `pillbox db upgrade` first.")
    uvicorn.run(
        "pillbox.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="info",
    )


@app.command()
def worker(
    poll: Annotated[
        float, typer.Option(help="Seconds between looks for new jobs and REST hook deliveries.")
    ] = 0.5,
) -> None:
    """Run the job worker on its own (serve with PILLBOX_RUN_WORKER=false)."""
    import logging
    import signal

    from pillbox.worker import Worker

    engine = _engine()
    if not migrate.is_up_to_date(engine):
        _fail("The database is not at the latest schema version. Run `pillbox db upgrade` first.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from pillbox.store.files import LocalFiles

    settings = Settings()
    runner = Worker(
        engine,
        poll_seconds=poll,
        files=LocalFiles(settings.attachments_dir),
        hook_timeout=settings.hook_timeout_seconds,
    )
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    typer.echo("Worker running; Ctrl-C to stop.", err=True)
    try:
        runner.run_forever()
    except KeyboardInterrupt:
        runner.stop()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    migrate.upgrade(_engine())
    typer.echo("Database is up to date.", err=True)


@accounts_app.command("create")
def accounts_create(name: str) -> None:
    """Create an account."""
    engine = _engine()
    with engine.begin() as conn:
        try:
            create_account(conn, name)
        except ValidationFailed:
            _fail(f"An account named {name!r} exists already.")
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
    engine = _engine()
    with engine.begin() as conn:
        account_id = store.account_id_by_name(conn, account)
        if account_id is None:
            _fail(f"No account named {account!r}.")
        assert account_id is not None
        try:
            create_user(
                conn,
                account_id,
                email=email,
                name=name,
                username=username or email.split("@")[0],
                admin=admin,
            )
        except ValidationFailed:
            _fail(f"A user with email {email!r} exists already in {account!r}.")
    typer.echo(f"Created user {email!r} in {account!r}.", err=True)


@users_app.command("delete")
def users_delete(
    account: Annotated[str, typer.Option(help="Account name.")],
    email: Annotated[str, typer.Option(help="The user's email address.")],
) -> None:
    """Delete a user: their tokens stop working; their records keep them as owner."""
    engine = _engine()
    with engine.begin() as conn:
        account_id = store.account_id_by_name(conn, account)
        user_id = store.user_id_by_email(conn, account_id, email) if account_id else None
        if account_id is None or user_id is None:
            _fail(f"No user {email!r} in account {account!r}.")
        assert account_id is not None and user_id is not None
        try:
            delete_user(conn, account_id, user_id)
        except NotFound:
            _fail(f"User {email!r} is deleted already.")
        except ValidationFailed:
            _fail(f"{email!r} is the last administrator of {account!r}.")
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
    """Set the password a user signs in with to authorise OAuth apps."""
    with _engine().begin() as conn:
        account_id = store.account_id_by_name(conn, account)
        user_id = store.user_id_by_email(conn, account_id, email) if account_id else None
        if user_id is None:
            _fail(f"No user {email!r} in account {account!r}.")
        assert user_id is not None
        try:
            set_password(conn, user_id, password)
        except PasswordTooShort as error:
            _fail(str(error))
    typer.echo(f"Password set for {email!r}.", err=True)


@tokens_app.command("create")
def tokens_create(
    account: Annotated[str, typer.Option(help="Account name.")],
    user: Annotated[str, typer.Option(help="The user's email address.")],
    scope: Annotated[str, typer.Option(help="read or write.")] = "write",
) -> None:
    """Create a personal access token; prints only the token."""
    if scope not in ("read", "write"):
        _fail("--scope must be read or write.")
    engine = _engine()
    with engine.begin() as conn:
        account_id = store.account_id_by_name(conn, account)
        user_id = store.user_id_by_email(conn, account_id, user) if account_id else None
        if user_id is None:
            _fail(f"No user {user!r} in account {account!r}.")
        assert user_id is not None
        token = new_token()
        store.create_token(conn, user_id, token, scope)
    typer.echo(token)


@tokens_app.command("revoke")
def tokens_revoke(token: str) -> None:
    """Revoke a token."""
    with _engine().begin() as conn:
        if not store.revoke_token(conn, token):
            _fail("No such live token.")
    typer.echo("Token revoked.", err=True)


@apps_app.command("create")
def apps_create(
    account: Annotated[str, typer.Option(help="Account name.")],
    name: Annotated[str, typer.Option(help="The app's name, shown on the consent page.")],
    redirect_uri: Annotated[
        list[str], typer.Option(help="Where users return to; repeat for several.")
    ],
) -> None:
    """Register an app; prints its client id and secret (the secret only this once)."""
    with _engine().begin() as conn:
        account_id = store.account_id_by_name(conn, account)
        if account_id is None:
            _fail(f"No account named {account!r}.")
        assert account_id is not None
        try:
            client_id, secret = oauth.register_app(conn, account_id, name, redirect_uri)
        except oauth.InvalidRedirectUri as error:
            _fail(str(error))
    typer.echo(f"client_id: {client_id}\nclient_secret: {secret}")


@apps_app.command("list")
def apps_list(account: Annotated[str, typer.Option(help="Account name.")]) -> None:
    """List an account's apps: client id, name, redirect URIs, created, revoked."""
    with _engine().begin() as conn:
        account_id = store.account_id_by_name(conn, account)
        if account_id is None:
            _fail(f"No account named {account!r}.")
        rows = oauth_store.list_apps(conn, account_id) if account_id else []
    for row in rows:
        revoked = f"revoked {row.revoked_at}" if row.revoked_at else "live"
        typer.echo(f"{row.client_id}\t{row.name}\t{row.redirect_uris}\t{row.created_at}\t{revoked}")


@apps_app.command("revoke")
def apps_revoke(client_id: str) -> None:
    """Revoke an app: its tokens stop working and it can get no new ones."""
    with _engine().begin() as conn:
        if not oauth_store.revoke_app(conn, client_id):
            _fail("No such live app.")
    typer.echo("App revoked.", err=True)


@app.command()
def demo(
    account: Annotated[str, typer.Option(help="Account name.")] = "demo",
    email: Annotated[str, typer.Option(help="Admin user's email.")] = "admin@demo.example",
) -> None:
    """Create the demo account and admin user if missing, and print a new write token."""
    engine = _engine()
    with engine.begin() as conn:
        account_id = store.account_id_by_name(conn, account) or store.create_account(conn, account)
        user_id = store.user_id_by_email(conn, account_id, email) or create_user(
            conn, account_id, email=email, name="Demo Admin", username="admin", admin=True
        )
        token = new_token()
        store.create_token(conn, user_id, token, "write")
    typer.echo(token)


@app.command("seed")
def seed_command(
    parties: Annotated[
        int, typer.Option(min=1, max=10_000_000, help="People and organisations to create.")
    ] = 1_000,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 1,
    profile: Annotated[str, typer.Option(help="The kind of account: smallbiz.")] = "smallbiz",
    account: Annotated[
        str | None,
        typer.Option(help="Seed this account (created if missing); default: a new account."),
    ] = None,
    base_date: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD the data is dated around (default: today, UTC)."),
    ] = None,
) -> None:
    """Fill an account with synthetic data; prints a write token of its administrator."""
    import sys
    import time

    from pillbox.seed import SeedRefused, seed_account
    from pillbox.store.engine import WRITE

    base = _seed_base_date(profile, account, base_date)
    engine = _engine()
    if not migrate.is_up_to_date(engine):
        _fail("The database is not at the latest schema version. Run `pillbox db upgrade` first.")
    started = time.monotonic()
    bar = typer.progressbar(length=parties, label="Seeding parties", file=sys.stderr)
    with bar, engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        try:
            seeded = seed_account(
                conn,
                profile=profile,
                parties=parties,
                seed=seed,
                base_date=base,
                account_name=account,
                progress=bar.update,
            )
        except SeedRefused as refusal:
            _fail(str(refusal))
        token = new_token()
        store.create_token(conn, seeded.admin_id, token, "write")
    rows = seeded.rows
    typer.echo(
        f"Seeded {rows['parties']:,} parties, {rows['opportunities']:,} opportunities, "
        f"{rows['kases']:,} projects, {rows['entries']:,} entries and {rows['tasks']:,} tasks "
        f"into account {seeded.account_name!r} in {time.monotonic() - started:.1f} s. "
        "A write token of its administrator:",
        err=True,
    )
    typer.echo(token)


def _seed_base_date(profile: str, account: str | None, base_date: str | None) -> date:
    """Checks the options of `pillbox seed`; returns the base date (today when not given)."""
    from pillbox.seed import PROFILES

    if profile not in PROFILES:
        raise typer.BadParameter(
            f"the profiles are: {', '.join(PROFILES)}", param_hint="'--profile'"
        )
    if account is not None and not 0 < len(account.strip()) == len(account) <= 200:
        message = "must be a name of 1 to 200 characters, without spaces around it"
        raise typer.BadParameter(message, param_hint="'--account'")
    try:
        return date.fromisoformat(base_date) if base_date else datetime.now(UTC).date()
    except ValueError:
        message = "must be a date written YYYY-MM-DD"
        raise typer.BadParameter(message, param_hint="'--base-date'") from None


def main() -> None:
    app()
