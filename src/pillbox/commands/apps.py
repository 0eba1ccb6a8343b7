"""`pillbox apps`: the OAuth 2.0 apps (clients) of an account."""

from typing import Annotated

import typer

from pillbox.commands.accounts import account_id
from pillbox.commands.common import checked_name
from pillbox.commands.console import fail
from pillbox.commands.database import database
from pillbox.domain import oauth
from pillbox.store import oauth as oauth_store

apps_app = typer.Typer(help="OAuth 2.0 apps (clients) of an account.", no_args_is_help=True)


@apps_app.command("create")
def apps_create(
    account: Annotated[str, typer.Option(help="Account name.")],
    name: Annotated[str, typer.Option(help="The app's name, shown on the consent page.")],
    redirect_uri: Annotated[
        list[str], typer.Option(help="Where users return to; repeat for several.")
    ],
) -> None:
    """Register an app; prints its client id and secret (the secret only this once)."""
    checked_name(name, "--name")
    with database().begin() as conn:
        try:
            client_id, secret = oauth.register_app(
                conn, account_id(conn, account), name, redirect_uri
            )
        except oauth.InvalidRedirectUri as error:
            fail(str(error))
    typer.echo(f"client_id: {client_id}\nclient_secret: {secret}")


@apps_app.command("list")
def apps_list(account: Annotated[str, typer.Option(help="Account name.")]) -> None:
    """List an account's apps: client id, name, redirect URIs, created, revoked."""
    with database().begin() as conn:
        rows = oauth_store.list_apps(conn, account_id(conn, account))
    for row in rows:
        revoked = f"revoked {row.revoked_at}" if row.revoked_at else "live"
        typer.echo(f"{row.client_id}\t{row.name}\t{row.redirect_uris}\t{row.created_at}\t{revoked}")


@apps_app.command("revoke")
def apps_revoke(client_id: str) -> None:
    """Revoke an app: its tokens stop working and it can get no new ones."""
    with database().begin() as conn:
        if not oauth_store.revoke_app(conn, client_id):
            fail("No such live app.")
    typer.echo("App revoked.", err=True)
