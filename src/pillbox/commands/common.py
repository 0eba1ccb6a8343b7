"""What the transfer commands share: the engine, the acting user, and refusing in one line."""

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
