"""The activity types an account added (the built-in ones are constants in the domain)."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.scoped import Scoped
from pillbox.store.sql import insert_id
from pillbox.store.tables.activity_types import activity_types


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = sa.select(activity_types).where(
        activity_types.c.account_id == account_id, activity_types.c.id.in_(ids)
    )
    return {row.id: row for row in conn.execute(query)}


def page_ids(conn: sa.Connection, account_id: int, offset: int, limit: int) -> list[int]:
    query = (
        sa.select(activity_types.c.id)
        .where(activity_types.c.account_id == account_id)
        .order_by(activity_types.c.id)
        .limit(limit)
        .offset(offset)
    )
    return list(conn.scalars(query))


def create(conn: sa.Connection, account_id: int, name: str, icon_id: str, updates: bool) -> int:
    now = timestamps.now()
    values = dict(
        account_id=account_id,
        name=name,
        icon_id=icon_id,
        update_last_contacted=updates,
        created_at=now,
        updated_at=now,
    )
    return insert_id(conn, activity_types.insert().values(**values))


SCOPED = Scoped(activity_types)


def update(conn: sa.Connection, account_id: int, type_id: int, values: dict[str, Any]) -> None:
    SCOPED.update(conn, account_id, type_id, {**values, "updated_at": timestamps.now()})


def delete(conn: sa.Connection, account_id: int, type_id: int) -> None:
    SCOPED.delete(conn, account_id, type_id)
