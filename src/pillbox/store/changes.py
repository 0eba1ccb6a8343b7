"""Change history rows: written many at a time in one statement, read a page at a time."""

from typing import Any

import sqlalchemy as sa

from pillbox.store.sql import Query, add_rows
from pillbox.store.sql_terms import ids_param
from pillbox.store.tables.accounts import users
from pillbox.store.tables.changes import record_changes

COLUMNS = (
    "account_id",
    "entity",
    "record_id",
    "at",
    "user_id",
    "via",
    "field",
    "old_value",
    "new_value",
)


def add(conn: sa.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Writes change rows (tuples in the order of COLUMNS) in one multi-row INSERT."""
    if rows:
        add_rows(conn, record_changes, COLUMNS, rows)


_PAGE = Query(
    sa.select(record_changes.c.id)
    .where(
        record_changes.c.account_id == sa.bindparam("account_id"),
        record_changes.c.entity == sa.bindparam("entity"),
        record_changes.c.record_id == sa.bindparam("record_id"),
    )
    .order_by(record_changes.c.id.desc())
    .limit(sa.bindparam("limit"))
    .offset(sa.bindparam("offset"))
)


def page_ids(
    conn: sa.Connection, account_id: int, entity: str, record_id: int, offset: int, limit: int
) -> list[int]:
    """One page of the record's changes, newest first."""
    return _PAGE.scalars(
        conn,
        account_id=account_id,
        entity=entity,
        record_id=record_id,
        offset=offset,
        limit=limit,
    )


def has_history(conn: sa.Connection, account_id: int, entity: str, record_id: int) -> bool:
    return bool(page_ids(conn, account_id, entity, record_id, 0, 1))


_LOAD = Query(
    sa.select(record_changes, users.c.name.label("user_name"))
    .outerjoin(users, users.c.id == record_changes.c.user_id)
    .where(
        record_changes.c.account_id == sa.bindparam("account_id"),
        ids_param(record_changes.c.id),
    )
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    """The account's change rows of `ids`, with the name of the user who made each."""
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}
