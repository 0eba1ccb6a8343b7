"""Saved filters of an account, kept per record type (parties, opportunities, kases)."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.sql import insert_id
from pillbox.store.tables.goals import saved_filters


def _of(account_id: int, entity: str) -> sa.ColumnElement[bool]:
    return sa.and_(saved_filters.c.account_id == account_id, saved_filters.c.entity == entity)


def load(conn: sa.Connection, account_id: int, entity: str, ids: list[int]) -> dict[int, Any]:
    """The account's saved filters of `entity` among these ids, by id."""
    query = sa.select(saved_filters).where(_of(account_id, entity), saved_filters.c.id.in_(ids))
    return {row.id: row for row in conn.execute(query)}


def find(conn: sa.Connection, account_id: int, entity: str, filter_id: int) -> Any:
    return load(conn, account_id, entity, [filter_id]).get(filter_id)


def page_ids(
    conn: sa.Connection, account_id: int, entity: str, offset: int, limit: int
) -> list[int]:
    query = sa.select(saved_filters.c.id).where(_of(account_id, entity))
    return list(conn.scalars(query.order_by(saved_filters.c.id).limit(limit).offset(offset)))


def create(conn: sa.Connection, account_id: int, entity: str, values: dict[str, Any]) -> int:
    now = timestamps.now()
    row = dict(account_id=account_id, entity=entity, created_at=now, updated_at=now, **values)
    return insert_id(conn, saved_filters.insert().values(**row))


def update(conn: sa.Connection, filter_id: int, values: dict[str, Any]) -> None:
    conn.execute(
        saved_filters.update()
        .where(saved_filters.c.id == filter_id)
        .values(updated_at=timestamps.now(), **values)
    )


def delete(conn: sa.Connection, filter_id: int) -> None:
    conn.execute(saved_filters.delete().where(saved_filters.c.id == filter_id))
