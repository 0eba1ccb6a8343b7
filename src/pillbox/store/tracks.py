"""Track queries: loading, the tracks of one record, and writes."""

from typing import Any

import sqlalchemy as sa

from pillbox.store.scoped import Scoped
from pillbox.store.sql import insert_row
from pillbox.store.tables.tasks import tasks, tracks


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = sa.select(tracks).where(tracks.c.account_id == account_id, tracks.c.id.in_(ids))
    return {row.id: row for row in conn.execute(query)}


def record_track_ids(
    conn: sa.Connection, account_id: int, column: str, record_id: int, offset: int, limit: int
) -> list[int]:
    """The tracks on one record (`column`: "party_id"), oldest first."""
    query = (
        sa.select(tracks.c.id)
        .where(tracks.c.account_id == account_id, tracks.c[column] == record_id)
        .order_by(tracks.c.id)
        .limit(limit)
        .offset(offset)
    )
    return list(conn.scalars(query))


def insert(conn: sa.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, tracks, values)


SCOPED = Scoped(tracks)


def update(conn: sa.Connection, account_id: int, track_id: int, values: dict[str, Any]) -> None:
    SCOPED.update(conn, account_id, track_id, values)


def delete(conn: sa.Connection, account_id: int, track_id: int) -> None:
    """Deletes the track and its tasks not yet done; done ones stay on their record."""
    conn.execute(
        tasks.delete().where(
            tasks.c.account_id == account_id,
            tasks.c.track_id == track_id,
            tasks.c.status != "COMPLETED",
        )
    )
    SCOPED.delete(conn, account_id, track_id)
