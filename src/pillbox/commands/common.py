"""What the transfer commands share: the engine, the acting user, and refusing in one line."""

from typing import NoReturn

import sqlalchemy as sa
import typer
from sqlalchemy.engine import make_url

from pillbox.settings import Settings
from pillbox.store import accounts as account_store
from pillbox.store import migrate
from pillbox.store.accounts import Principal
from pillbox.store.engine import create_engine

CANNOT_RUN = 2


def refuse(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(CANNOT_RUN)


def engine(url: str | None = None) -> sa.Engine:
    """The engine of `url`, or of the configured database; refuses one not migrated."""
    url = url or Settings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        from pathlib import Path

        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    found = create_engine(url)
    if not migrate.is_up_to_date(found):
        refuse("The database is not at the latest schema version. Run `pillbox db upgrade` first.")
    return found


def administrator(conn: sa.Connection, account: str) -> Principal:
    """The account's first administrator, as whom a command writes."""
    account_id = account_store.account_id_by_name(conn, account)
    if account_id is None:
        refuse(f"No account named {account!r}.")
    admins = [user for user in account_store.live_users(conn, account_id) if user[3]]
    if not admins:
        refuse(f"Account {account!r} has no administrator to act as.")
    return Principal(admins[0][0], account_id, "read write", True)
