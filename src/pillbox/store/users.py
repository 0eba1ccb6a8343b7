"""Users of an account as the API shows them: preferences and their own person record."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, update_rows
from pillbox.store.sql_terms import ids_param
from pillbox.store.tables.accounts import users
from pillbox.store.tables.parties import parties

_COLUMNS = (
    users,
    parties.c.first_name.label("party_first_name"),
    parties.c.last_name.label("party_last_name"),
)
_FROM = users.outerjoin(parties, parties.c.id == users.c.party_id)
_LIVE = users.c.deleted.is_(False)
SCOPED = Scoped(users, _LIVE)
page_ids = SCOPED.page_ids


# On the store's fast path (store/sql.Query): a task list embeds its owners. Its flags come as
# the driver gives them (0 or 1 on SQLite), so readers take them through bool().
_LOAD = Query(
    sa.select(*_COLUMNS)
    .select_from(_FROM)
    .where(users.c.account_id == sa.bindparam("account_id"), ids_param(users.c.id), _LIVE)
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}


def user_with_username(conn: sa.Connection, account_id: int, username: str) -> int | None:
    query = sa.select(users.c.id).where(
        users.c.account_id == account_id, sa.func.lower(users.c.username) == username.lower()
    )
    return conn.scalar(query)


def update_user(conn: sa.Connection, user_id: int, values: dict[str, Any]) -> None:
    conn.execute(
        users.update().where(users.c.id == user_id).values(updated_at=timestamps.now(), **values)
    )


def follow_person_name(conn: sa.Connection, account_id: int, party_id: int, name: str) -> None:
    """A user's name is their person record's: keeps it so when that record is renamed."""
    update_rows(conn, users, {"account_id": account_id, "party_id": party_id}, {"name": name})


def timezones(conn: sa.Connection, account_id: int, user_ids: set[int]) -> dict[int, str]:
    """The time zone of each of these users, deleted ones included (their tasks keep times)."""
    if not user_ids:
        return {}
    query = sa.select(users.c.id, users.c.timezone).where(
        users.c.account_id == account_id, users.c.id.in_(user_ids)
    )
    return {row.id: row.timezone for row in conn.execute(query)}
