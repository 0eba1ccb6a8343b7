"""What the commands share: the engine, the acting user, refusing in one line, a checked name
and a new token."""

import secrets
from typing import NoReturn

import sqlalchemy as sa

from pillbox.commands.console import fail
from pillbox.commands.database import database
from pillbox.store import accounts as account_store
from pillbox.store.accounts import Principal


def refuse(message: str) -> NoReturn:
    fail(message)


def engine() -> sa.Engine:
    """The configured database, reachable and migrated; anything else is one line."""
    return database()


def administrator(conn: sa.Connection, account: str) -> Principal:
    """The account's first administrator, as whom a command writes."""
    account_id = account_store.account_id_by_name(conn, account)
    if account_id is None:
        refuse(f"No account named {account!r}.")
    admins = [user for user in account_store.live_users(conn, account_id) if user[3]]
    if not admins:
        refuse(f"Account {account!r} has no administrator to act as.")
    return Principal(admins[0][0], account_id, "read write", True)


def new_token() -> str:
    """A new secret token: hex, so that it never starts with "-" and reads as an option."""
    return secrets.token_hex(32)


def checked_name(value: str, option: str, longest: int = 200) -> str:
    """A name as given, which must hold more than spaces and fit its column."""
    if not value.strip():
        fail(f"{option} must not be empty.")
    if len(value) > longest:
        fail(f"{option} must be at most {longest} characters long.")
    return value
