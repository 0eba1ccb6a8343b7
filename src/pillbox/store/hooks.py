"""REST hook subscriptions and the delivery outbox: writing deliveries with the change that
causes them, claiming due ones under a lease, recording attempts."""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.scoped import Scoped
from pillbox.store.sql import execute_write, insert_row, update_rows
from pillbox.store.tables.hooks import hook_deliveries, rest_hooks

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
# Set in a connection's info when its transaction queued deliveries: after the commit, whoever
# ran it wakes the worker (a rolled-back transaction drops the flag with its deliveries).
QUEUED = "pillbox.hooks.queued"


SCOPED = Scoped(rest_hooks)
page_ids = SCOPED.page_ids


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = sa.select(rest_hooks).where(
        rest_hooks.c.account_id == account_id, rest_hooks.c.id.in_(ids)
    )
    return {row.id: row for row in conn.execute(query)}


def count(conn: sa.Connection, account_id: int) -> int:
    query = sa.select(sa.func.count()).where(rest_hooks.c.account_id == account_id)
    return int(conn.scalar(query) or 0)


def create(conn: sa.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, rest_hooks, values)


def delete(conn: sa.Connection, account_id: int, hook_id: int) -> None:
    """Unsubscribes: the hook and its deliveries, sent or not, go at once."""
    SCOPED.delete(conn, account_id, hook_id)


_EMIT = sa.insert(hook_deliveries).from_select(
    [
        "hook_id",
        "event",
        "record_id",
        "status",
        "attempts",
        "next_attempt_at",
        "locked_until",
        "created_at",
    ],
    sa.select(
        rest_hooks.c.id,
        sa.bindparam("event", type_=sa.String),
        sa.bindparam("record_id", type_=sa.Integer),
        sa.literal_column(f"'{PENDING}'"),  # constants inline: the statement runs precompiled
        sa.literal_column("0"),
        sa.bindparam("now", type_=sa.Float),
        sa.literal_column("0.0"),
        sa.bindparam("created_at", type_=sa.String),
    ).where(
        rest_hooks.c.account_id == sa.bindparam("account_id"),
        rest_hooks.c.event == sa.bindparam("event"),
    ),
)


def emit(conn: sa.Connection, account_id: int, event: str, record_id: int, now: float) -> int:
    """Queues a delivery of the event to every hook of the account subscribed to it; returns
    how many."""
    params = {
        "account_id": account_id,
        "event": event,
        "record_id": record_id,
        "now": now,
        "created_at": timestamps.now(),
    }
    count = execute_write(conn, "hooks.emit", _EMIT, params)
    if count:
        conn.info[QUEUED] = True
    return count


def _waiting_behind_an_earlier_one() -> sa.ColumnElement[bool]:
    earlier = hook_deliveries.alias("earlier")
    return (
        sa.select(earlier.c.id)
        .where(
            earlier.c.hook_id == hook_deliveries.c.hook_id,
            earlier.c.record_id == hook_deliveries.c.record_id,
            earlier.c.id < hook_deliveries.c.id,
            earlier.c.status == PENDING,
        )
        .exists()
    )


def claim_due(conn: sa.Connection, now: float, lease_seconds: float, limit: int) -> list[Any]:
    """Due deliveries, oldest first, each the first one pending for its hook and record (so a
    record's events arrive in order), leased to the caller."""
    candidates = conn.execute(
        sa.select(hook_deliveries, rest_hooks.c.account_id)
        .join(rest_hooks, rest_hooks.c.id == hook_deliveries.c.hook_id)
        .where(
            hook_deliveries.c.status == PENDING,
            hook_deliveries.c.next_attempt_at <= now,
            hook_deliveries.c.locked_until <= now,
            sa.not_(_waiting_behind_an_earlier_one()),
        )
        .order_by(hook_deliveries.c.id)
        .limit(limit)
    ).all()
    claimed = []
    for row in candidates:
        taken = conn.execute(
            hook_deliveries.update()
            .where(hook_deliveries.c.id == row.id, hook_deliveries.c.locked_until <= now)
            .values(locked_until=now + lease_seconds)
        )
        if taken.rowcount == 1:
            claimed.append(row)
    return claimed


def record_attempt(conn: sa.Connection, delivery_id: int, values: dict[str, Any]) -> None:
    update_rows(conn, hook_deliveries, {"id": delivery_id}, {"locked_until": 0.0, **values})


def find_delivery(conn: sa.Connection, hook_id: int, delivery_id: int) -> Any:
    query = sa.select(hook_deliveries).where(
        hook_deliveries.c.hook_id == hook_id, hook_deliveries.c.id == delivery_id
    )
    return conn.execute(query).first()


def redeliver(conn: sa.Connection, delivery_id: int, now: float) -> None:
    """Sends the delivery again from the start, whatever became of it."""
    record_attempt(
        conn,
        delivery_id,
        {"status": PENDING, "attempts": 0, "next_attempt_at": now, "delivered_at": None},
    )
    conn.info[QUEUED] = True


def purge_finished(conn: sa.Connection, before: str) -> int:
    """Forgets delivered and failed deliveries made before `before`."""
    result = conn.execute(
        hook_deliveries.delete().where(
            hook_deliveries.c.status != PENDING, hook_deliveries.c.created_at < before
        )
    )
    return int(result.rowcount or 0)


def load_deliveries(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = (
        sa.select(hook_deliveries)
        .join(rest_hooks, rest_hooks.c.id == hook_deliveries.c.hook_id)
        .where(rest_hooks.c.account_id == account_id, hook_deliveries.c.id.in_(ids))
    )
    return {row.id: row for row in conn.execute(query)}


def delivery_ids(conn: sa.Connection, hook_id: int, offset: int, limit: int) -> list[int]:
    """A hook's deliveries, newest first."""
    query = (
        sa.select(hook_deliveries.c.id)
        .where(hook_deliveries.c.hook_id == hook_id)
        .order_by(hook_deliveries.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(conn.scalars(query))
