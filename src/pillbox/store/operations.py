"""Figures of the whole server for operators: the job queue and REST hook deliveries."""

from dataclasses import dataclass

import sqlalchemy as sa

from pillbox import clock, timestamps
from pillbox.store.tables.hooks import hook_deliveries
from pillbox.store.tables.jobs import jobs


@dataclass(frozen=True)
class QueueFigures:
    jobs: dict[str, int]  # by status
    oldest_pending_age: float  # seconds; 0 when nothing waits
    deliveries: dict[str, int]  # by status


def queue_figures(engine: sa.Engine) -> QueueFigures:
    """Counted by status through the tables' status indexes; cheap enough for each scrape."""
    with engine.connect() as conn:
        by_status: dict[str, int] = dict(
            conn.execute(sa.select(jobs.c.status, sa.func.count()).group_by(jobs.c.status)).all()
        )
        oldest = conn.scalar(
            sa.select(sa.func.min(jobs.c.created_at)).where(jobs.c.status == "pending")
        )
        deliveries: dict[str, int] = dict(
            conn.execute(
                sa.select(hook_deliveries.c.status, sa.func.count()).group_by(
                    hook_deliveries.c.status
                )
            ).all()
        )
    age = max(0.0, clock.epoch() - timestamps.parse_epoch(oldest)) if oldest else 0.0
    return QueueFigures(by_status, age, deliveries)
