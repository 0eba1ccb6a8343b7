"""Task categories of an account."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, insert_id
from pillbox.store.tables.task_categories import task_categories

SCOPED = Scoped(task_categories)
page_ids = SCOPED.page_ids


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = sa.select(task_categories).where(
        task_categories.c.account_id == account_id, task_categories.c.id.in_(ids)
    )
    return {row.id: row for row in conn.execute(query)}


_LISTED = Query(
    sa.select(task_categories)
    .where(task_categories.c.account_id == sa.bindparam("account_id"))
    .order_by(task_categories.c.id)
    .limit(sa.bindparam("limit"))
)


def listed(conn: sa.Connection, account_id: int, limit: int) -> list[Any]:
    """The account's first `limit` categories, oldest first, in one precompiled statement (a
    form's choices, on pages that must stay fast)."""
    return _LISTED.rows(conn, account_id=account_id, limit=limit)


def find(
    conn: sa.Connection, account_id: int, category_id: int | None, name: str | None
) -> int | None:
    """The account's task category with this id, or else named so (any case, oldest first)."""
    query = sa.select(task_categories.c.id).where(task_categories.c.account_id == account_id)
    if category_id is not None:
        query = query.where(task_categories.c.id == category_id)
    elif name is not None and name.strip():
        query = query.where(sa.func.lower(task_categories.c.name) == name.strip().lower())
    else:
        return None
    return conn.scalar(query.order_by(task_categories.c.id).limit(1))


def create(conn: sa.Connection, account_id: int, name: str, colour: str | None) -> int:
    now = timestamps.now()
    values = dict(account_id=account_id, name=name, colour=colour, created_at=now, updated_at=now)
    return insert_id(conn, task_categories.insert().values(**values))


def update(conn: sa.Connection, account_id: int, category_id: int, values: dict[str, Any]) -> None:
    SCOPED.update(conn, account_id, category_id, {**values, "updated_at": timestamps.now()})


def delete(conn: sa.Connection, account_id: int, category_id: int) -> None:
    SCOPED.delete(conn, account_id, category_id)
