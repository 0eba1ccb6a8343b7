"""Job rows: scheduling, claiming with a lease, progress and the outcome.

A sandbox can hold the jobs a request schedules (`holding_jobs`): they are written with a lease
that never lapses (`HELD`), so they stay `pending` until `release_jobs` lets a worker take them.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.tables.jobs import jobs

PENDING, RUNNING, COMPLETED, FAILED = "pending", "running", "completed", "failed"
HELD = float(2**53)  # a lease no clock reaches: the job waits for `release_jobs`

_holding = ContextVar("holding_jobs", default=False)


@contextmanager
def holding_jobs() -> Iterator[None]:
    """Jobs created inside stay `pending` until released (a ContextVar: it follows the request
    into the thread pool, and no further)."""
    token = _holding.set(True)
    try:
        yield
    finally:
        _holding.reset(token)


def create_job(
    conn: sa.Connection, account_id: int, kind: str, action: str, target_id: int, total: int
) -> str:
    job_id = str(uuid.uuid4())
    now = timestamps.now()
    conn.execute(
        jobs.insert().values(
            id=job_id,
            account_id=account_id,
            kind=kind,
            action=action,
            target_id=target_id,
            total=total,
            status=PENDING,
            progress=0,
            attempts=0,
            locked_until=HELD if _holding.get() else None,
            created_at=now,
            updated_at=now,
        )
    )
    return job_id


def find_job(conn: sa.Connection, account_id: int, job_id: str) -> sa.Row[Any] | None:
    query = sa.select(jobs).where(jobs.c.account_id == account_id, jobs.c.id == job_id)
    row: sa.Row[Any] | None = conn.execute(query).first()
    return row


def release_jobs(conn: sa.Connection, account_id: int, job_id: str | None = None) -> list[str]:
    """Lets the account's held jobs (or the one job, if held) be claimed; returns their ids."""
    held = [jobs.c.account_id == account_id, jobs.c.locked_until >= HELD]
    if job_id is not None:
        held.append(jobs.c.id == job_id)
    ids = list(conn.scalars(sa.select(jobs.c.id).where(*held).order_by(jobs.c.created_at)))
    if ids:
        conn.execute(
            jobs.update()
            .where(jobs.c.id.in_(ids))
            .values(locked_until=None, updated_at=timestamps.now())
        )
    return ids


def _claimable(now: float) -> sa.ColumnElement[bool]:
    return sa.and_(
        jobs.c.status.in_((PENDING, RUNNING)),
        sa.or_(jobs.c.locked_until.is_(None), jobs.c.locked_until < now),
    )


def claim_job(conn: sa.Connection, now: float, lease_seconds: float) -> sa.Row[Any] | None:
    """Takes the oldest job nobody holds (new, or its holder's lease lapsed) and leases it.

    The conditional UPDATE makes the claim safe between processes: of two workers that picked
    the same job, only one sees its update match a row.
    """
    query = sa.select(jobs.c.id).where(_claimable(now)).order_by(jobs.c.created_at).limit(1)
    job_id = conn.scalar(query)
    if job_id is None:
        return None
    claimed = conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id, _claimable(now))
        .values(
            status=RUNNING,
            locked_until=now + lease_seconds,
            attempts=jobs.c.attempts + 1,
            updated_at=timestamps.now(),
        )
    )
    if claimed.rowcount != 1:
        return None
    row: sa.Row[Any] | None = conn.execute(sa.select(jobs).where(jobs.c.id == job_id)).first()
    return row


def record_progress(conn: sa.Connection, job_id: str, progress: int, locked_until: float) -> None:
    """Saves progress and renews the lease, in the same transaction as the step's work."""
    conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id)
        .values(progress=progress, locked_until=locked_until, updated_at=timestamps.now())
    )


def end_job(conn: sa.Connection, job_id: str, status: str, error: str | None = None) -> None:
    values: dict[str, Any] = dict(status=status, locked_until=None, updated_at=timestamps.now())
    if status == COMPLETED:
        values["progress"] = 100
    if error is not None:
        values["error"] = error
    conn.execute(jobs.update().where(jobs.c.id == job_id).values(**values))


def release_job(conn: sa.Connection, job_id: str) -> None:
    """Gives a job back unfinished (its worker is stopping): the next worker takes it at once,
    from its last committed step, and the interrupted attempt does not count."""
    conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id)
        .values(locked_until=None, attempts=jobs.c.attempts - 1, updated_at=timestamps.now())
    )


def retry_later(conn: sa.Connection, job_id: str, at: float, error: str) -> None:
    """Lets the job be claimed again at `at` (epoch seconds), keeping the last error."""
    conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id)
        .values(locked_until=at, error=error, updated_at=timestamps.now())
    )


def purge_finished(conn: sa.Connection, before: str) -> int:
    """Removes completed and failed jobs last changed before `before`; returns how many."""
    result = conn.execute(
        jobs.delete().where(jobs.c.status.in_((COMPLETED, FAILED)), jobs.c.updated_at < before)
    )
    return int(result.rowcount or 0)
