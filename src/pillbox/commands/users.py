"""`pillbox users email`: a user's sign-in address changed by an administrator of the server
(users imported from Capsule come with a placeholder address, as Capsule's API shows none)."""

from typing import Annotated

import typer

from pillbox.commands.accounts import account_id, user_id
from pillbox.commands.console import fail
from pillbox.commands.database import database
from pillbox.store import accounts as account_store
from pillbox.store import users as user_store


def set_email(
    account: Annotated[str, typer.Option(help="Account name.")],
    email: Annotated[str, typer.Option(help="The user's email address now.")],
    new_email: Annotated[str, typer.Option(help="The address they sign in with from now on.")],
) -> None:
    """Change the email address a user signs in with."""
    with database().begin() as conn:
        found = user_id(conn, account, email)
        new_email = new_email.strip()
        if not 3 <= len(new_email) <= 320 or "@" not in new_email[1:-1] or " " in new_email:
            fail(f"{new_email!r} is not an email address.")
        taken = account_store.user_id_by_email(conn, account_id(conn, account), new_email)
        if taken is not None:
            fail(f"A user with email {new_email!r} exists already in {account!r}.")
        user_store.update_user(conn, found, {"email": new_email})
    typer.echo(f"{email!r} signs in as {new_email!r} from now on.", err=True)
