"""`pillbox users email`: a user's sign-in address changed by an administrator of the server
(users imported from Capsule come with a placeholder address, as Capsule's API shows none)."""

from typing import Annotated

import typer

from pillbox.settings import Settings
from pillbox.store import accounts as account_store
from pillbox.store import users as user_store
from pillbox.store.engine import create_engine


def set_email(
    account: Annotated[str, typer.Option(help="Account name.")],
    email: Annotated[str, typer.Option(help="The user's email address now.")],
    new_email: Annotated[str, typer.Option(help="The address they sign in with from now on.")],
) -> None:
    """Change the email address a user signs in with."""
    new_email = new_email.strip()
    if not 3 <= len(new_email) <= 320 or "@" not in new_email[1:-1]:
        _fail(f"{new_email!r} is not an email address.")
    with create_engine(Settings().database_url).begin() as conn:
        account_id = account_store.account_id_by_name(conn, account)
        user_id = account_store.user_id_by_email(conn, account_id, email) if account_id else None
        if account_id is None or user_id is None:
            _fail(f"No user {email!r} in account {account!r}.")
        assert account_id is not None and user_id is not None
        if account_store.user_id_by_email(conn, account_id, new_email) is not None:
            _fail(f"A user with email {new_email!r} exists already in {account!r}.")
        user_store.update_user(conn, user_id, {"email": new_email})
    typer.echo(f"{email!r} signs in as {new_email!r} from now on.", err=True)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)
