"""Person titles of an account (Mr, Dr, …), which a person's `title` must be one of."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.scoped import Scoped
from pillbox.store.sql import insert_id
from pillbox.store.tables.accounts import titles
from pillbox.store.tables.parties import parties

SCOPED = Scoped(titles)
page_ids = SCOPED.page_ids


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = sa.select(titles).where(titles.c.account_id == account_id, titles.c.id.in_(ids))
    return {row.id: row for row in conn.execute(query)}


def find_title(conn: sa.Connection, account_id: int, title: str) -> Any:
    """The account's title matching `title` whatever its case, or None."""
    query = sa.select(titles).where(
        titles.c.account_id == account_id, titles.c.title_key == title.strip().lower()
    )
    return conn.execute(query).first()


def count(conn: sa.Connection, account_id: int) -> int:
    query = sa.select(sa.func.count()).where(titles.c.account_id == account_id)
    return int(conn.scalar(query) or 0)


def create_title(conn: sa.Connection, account_id: int, title: str) -> int:
    values = dict(
        account_id=account_id, title=title, title_key=title.lower(), created_at=timestamps.now()
    )
    return insert_id(conn, titles.insert().values(**values))


def in_use(conn: sa.Connection, account_id: int, title: str) -> bool:
    query = (
        sa.select(parties.c.id)
        .where(parties.c.account_id == account_id, sa.func.lower(parties.c.title) == title.lower())
        .limit(1)
    )
    return conn.scalar(query) is not None


def delete_title(conn: sa.Connection, account_id: int, title_id: int) -> None:
    SCOPED.delete(conn, account_id, title_id)
