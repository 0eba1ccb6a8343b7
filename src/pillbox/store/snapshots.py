"""Sandbox snapshots: an account's rows (store/account_data.py) kept as JSON under a name."""

from typing import Any

import orjson
import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.account_data import Rows
from pillbox.store.tables.sandbox import sandbox_snapshots as snapshots


def save(conn: sa.Connection, account_id: int, name: str, rows: Rows) -> dict[str, Any]:
    """Saves `rows` as snapshot `name`, replacing one of that name; returns its summary."""
    count = sum(len(table_rows) for table_rows in rows.values())
    data = orjson.dumps(rows).decode()
    conn.execute(
        snapshots.delete().where(snapshots.c.account_id == account_id, snapshots.c.name == name)
    )
    values = dict(
        account_id=account_id, name=name, data=data, rows=count, created_at=timestamps.now()
    )
    conn.execute(snapshots.insert().values(values))
    return {"name": name, "rows": count, "createdAt": values["created_at"]}


def load(conn: sa.Connection, account_id: int, name: str) -> Rows | None:
    query = sa.select(snapshots.c.data).where(
        snapshots.c.account_id == account_id, snapshots.c.name == name
    )
    data = conn.scalar(query)
    return None if data is None else dict(orjson.loads(data))


def summaries(conn: sa.Connection, account_id: int) -> list[dict[str, Any]]:
    query = (
        sa.select(snapshots.c.name, snapshots.c.rows, snapshots.c.created_at)
        .where(snapshots.c.account_id == account_id)
        .order_by(snapshots.c.created_at, snapshots.c.id)
    )
    return [
        {"name": row.name, "rows": row.rows, "createdAt": row.created_at}
        for row in conn.execute(query)
    ]


def delete(conn: sa.Connection, account_id: int, name: str) -> Rows | None:
    """Removes the snapshot; returns what it held (its files are the caller's to free)."""
    rows = load(conn, account_id, name)
    if rows is not None:
        conn.execute(
            snapshots.delete().where(snapshots.c.account_id == account_id, snapshots.c.name == name)
        )
    return rows
