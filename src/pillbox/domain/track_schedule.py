"""When the tasks of a track fall due.

- A TRACK_START task is due its offset after the track's date; on a track that works back from
  an END_DATE, its offset before it.
- A LAST_TASK task waits, PENDING, for the task before it. Until then its `dueOn` is provisional
  (its offset after the previous task's due date); when the previous task is completed (or an
  open one is deleted) it opens, due its offset after that day, and the provisional dates of
  the waiting tasks behind it move along.
- The first task of a track never waits: a LAST_TASK rule there counts from the track's date.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.domain import hooks
from pillbox.domain.due_dates import shift
from pillbox.store import tasks as task_store

LAST_TASK = "LAST_TASK"


@dataclass(frozen=True)
class Step:
    """One task of a track as scheduled: its status, due date and the rule it was due by."""

    status: str
    due_on: date
    rule: str  # TRACK_START, END_DATE or LAST_TASK, as tasks show it in `taskDelayRule`


def plan(track_date: date, direction: str, templates: list[Any]) -> list[Step]:
    """Steps for task templates (rows with days_after_rule, days_after, day_delay_rule)."""
    steps: list[Step] = []
    for template in templates:
        waits = template.days_after_rule == LAST_TASK and bool(steps)
        if waits:
            base, sign, rule = steps[-1].due_on, 1, LAST_TASK
        elif direction == "END_DATE":
            base, sign, rule = track_date, -1, "END_DATE"
        else:
            base, sign, rule = track_date, 1, "TRACK_START"
        due = shift(base, sign * template.days_after, template.day_delay_rule)
        steps.append(Step("PENDING" if waits else "OPEN", due, rule))
    return steps


def redate(conn: sa.Connection, track_id: int, track_date: date, direction: str) -> None:
    """After a track's date changes: open and waiting tasks move with it (done ones stay)."""
    previous: date | None = None
    sign = -1 if direction == "END_DATE" else 1
    now = timestamps.now()
    for task in task_store.of_tracks(conn, [track_id]).get(track_id, []):
        due = date.fromisoformat(task.due_on)
        if task.status != "COMPLETED":
            if task.task_delay_rule != LAST_TASK:
                due = shift(track_date, sign * task.days_after, task.day_delay_rule)
            elif task.status == "PENDING" and previous is not None:
                due = shift(previous, task.days_after, task.day_delay_rule)
            if due.isoformat() != task.due_on:
                task_store.update(
                    conn, task.account_id, task.id, {"due_on": due.isoformat(), "updated_at": now}
                )
                hooks.emit(conn, task.account_id, "task/updated", task.id)
        previous = due


def previous_done(conn: sa.Connection, task: Any, on: date) -> None:
    """The task before the waiting ones of `task`'s track is done (or gone) on `on`: the next
    one opens, and the provisional dates of those still waiting behind it follow."""
    if task.track_id is None:
        return
    following = [
        t
        for t in task_store.of_tracks(conn, [task.track_id]).get(task.track_id, [])
        if t.track_position > task.track_position
    ]
    now = timestamps.now()
    base = on
    for index, waiting in enumerate(following):
        if waiting.status != "PENDING" or waiting.task_delay_rule != LAST_TASK:
            break
        due = shift(base, waiting.days_after, waiting.day_delay_rule)
        values: dict[str, Any] = {"due_on": due.isoformat(), "updated_at": now}
        if index == 0:
            values["status"] = "OPEN"
        task_store.update(conn, waiting.account_id, waiting.id, values)
        hooks.emit(conn, waiting.account_id, "task/updated", waiting.id)
        base = due
