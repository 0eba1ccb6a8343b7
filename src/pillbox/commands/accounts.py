"""The accounts, users and tokens commands that only read: `accounts list`, `users list` and
`tokens list`, and finding the account and user a command names (one line when there is none).

Tokens are stored as SHA-256 hashes, so a token is never shown: `tokens list` shows the first
characters kept for telling tokens apart (tokens made before they were kept show `-`), its
scope, when it was made and when it was last used (to about a minute: api/token_uses.py).
"""

from typing import Annotated

import sqlalchemy as sa
import typer

from pillbox.commands.console import fail
from pillbox.commands.database import database
from pillbox.store import accounts as store

AccountOption = Annotated[str, typer.Option(help="Account name.")]
UserOption = Annotated[str, typer.Option(help="The user's email address.")]


def account_id(conn: sa.Connection, name: str) -> int:
    found = store.account_id_by_name(conn, name)
    if found is None:
        fail(f"No account named {name!r}.")
    return found


def user_id(conn: sa.Connection, account: str, email: str) -> int:
    found = store.user_id_by_email(conn, account_id(conn, account), email)
    if found is None:
        fail(f"No user {email!r} in account {account!r}.")
    return found


def accounts_list() -> None:
    """List the accounts: id, name, created, live users."""
    with database().connect() as conn:
        rows = store.list_accounts(conn)
    for row in rows:
        users = f"{row.users} user" + ("" if row.users == 1 else "s")
        typer.echo(f"{row.id}\t{row.name}\t{row.created_at}\t{users}")


def users_list(account: AccountOption) -> None:
    """List an account's users: email, name, username, administrator or not."""
    with database().connect() as conn:
        found = account_id(conn, account)
        rows = store.list_users(conn, found)
    for row in rows:
        role = "admin" if row.is_admin else "user"
        typer.echo(f"{row.email}\t{row.name}\t{row.username}\t{role}")


def tokens_list(account: AccountOption, user: UserOption) -> None:
    """List a user's live personal tokens: prefix, scope, created, last used; never the token."""
    with database().connect() as conn:
        rows = store.live_personal_tokens(conn, user_id(conn, account, user))
    for row in rows:
        prefix = f"{row.prefix}…" if row.prefix else "-"
        typer.echo(f"{prefix}\t{row.scope}\t{row.created_at}\t{row.last_used_at or 'never used'}")
