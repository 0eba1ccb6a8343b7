"""Tasks: dated to-dos owned by a user, on at most one party, opportunity or project.

- `description` and `dueOn` are required; `dueTime` is HH:MM or HH:MM:SS (answered HH:MM:SS).
- The owner defaults to the token's user. A category is referred to by id or by name.
- New tasks are OPEN. Setting `status` COMPLETED completes one (at `completedAt` when sent,
  else now, by the token's user); OPEN reopens it. PENDING is Capsule's own state for tasks
  waiting in a track, and cannot be set. Sending the status a task already has changes nothing.
- Completing a task on a record files a "Task completed" entry (activity type -4) there, with
  the task's description; reopening it takes that entry away again.
- Completing a repeating task creates its next occurrence, which carries the repeat rule on.
- Completing (or deleting) an open task of a track opens the task waiting for it.
"""

import re
from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field, StrictInt

from pillbox import clock, timestamps
from pillbox.domain import changes, hooks, track_schedule
from pillbox.domain.base import InputModel, LongText, Ref, RefIn
from pillbox.domain.due_dates import FREQUENCIES, next_occurrence
from pillbox.domain.entries import file_task_completion
from pillbox.domain.ownership import resolve_owner
from pillbox.domain.records import optional_date
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import entries as entry_store
from pillbox.store import kases as kase_store
from pillbox.store import opportunities as opportunity_store
from pillbox.store import parties as party_store
from pillbox.store import task_categories as category_store
from pillbox.store import tasks as store
from pillbox.store.accounts import Principal

RESOURCE = "task"
STATUSES = ("OPEN", "COMPLETED", "PENDING")
LINKS = {
    "party": party_store.find,
    "opportunity": opportunity_store.find,
    "kase": kase_store.find,
}
_CARRIED_TO_NEXT_OCCURRENCE = (
    "account_id",
    "description",
    "detail",
    "category_id",
    "due_time",
    "party_id",
    "opportunity_id",
    "kase_id",
    "owner_id",
    "repeat_frequency",
    "repeat_interval",
    "repeat_on",
)
FIELDS = (
    changes.plain("description", "description"),
    changes.plain("detail", "detail"),
    changes.ref("category", "category_id"),
    changes.plain("dueOn", "due_on"),
    changes.plain("dueTime", "due_time"),
    changes.plain("status", "status"),
    changes.ref("party", "party_id"),
    changes.ref("opportunity", "opportunity_id"),
    changes.ref("kase", "kase_id"),
    changes.ref("owner", "owner_id"),
    changes.plain("completedAt", "completed_at"),
    changes.Field(
        "repeat",
        ("repeat_frequency", "repeat_interval", "repeat_on"),
        ("frequency", "interval", "on"),
    ),
)
ENTITY = "tasks"
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?")


class RepeatIn(InputModel):
    interval: Annotated[StrictInt, Field(ge=1, le=999)] | None = None
    frequency: Annotated[str, Field(max_length=10)] | None = None
    on: Annotated[str, Field(max_length=20)] | None = None


class TaskInput(InputModel):
    description: Annotated[str, Field(max_length=500)] | None = None
    detail: LongText | None = None
    category: RefIn | None = None
    due_on: Annotated[str, Field(max_length=10)] | None = None
    due_time: Annotated[str, Field(max_length=8)] | None = None
    status: Annotated[str, Field(max_length=12)] | None = None
    party: RefIn | None = None
    opportunity: RefIn | None = None
    kase: RefIn | None = None
    owner: RefIn | None = None
    completed_at: Annotated[str, Field(max_length=40)] | None = None
    repeat: RepeatIn | None = None


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, field)


def category_id(conn: sa.Connection, account_id: int, ref: Ref | None, resource: str) -> int | None:
    """A task category by id or name (any case); null for none."""
    if ref is None:
        return None
    found = category_store.find(conn, account_id, ref.id, ref.name)
    if found is None:
        raise ValidationFailed.single("category not found", resource, "category")
    return found


def _due_time(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    if not _TIME.fullmatch(raw):
        raise _fail("dueTime must be a time of day (HH:MM:SS)", "dueTime")
    return raw if len(raw) == 8 else f"{raw}:00"


def _due_on(raw: str | None) -> str:
    due = optional_date(raw, RESOURCE, "dueOn")
    if due is None:
        raise _fail("dueOn is required", "dueOn")
    return due


def _repeat(data: RepeatIn | None) -> dict[str, Any]:
    if data is None:
        return {"repeat_frequency": None, "repeat_interval": None, "repeat_on": None}
    frequency = (data.frequency or "").strip().upper()
    if frequency not in FREQUENCIES:
        raise _fail(f"repeat.frequency must be one of {', '.join(FREQUENCIES)}", "repeat.frequency")
    on = (data.on or "").strip() or None
    return {"repeat_frequency": frequency, "repeat_interval": data.interval or 1, "repeat_on": on}


def _links(conn: sa.Connection, account_id: int, data: TaskInput) -> dict[str, int | None]:
    """Columns of the links sent: {"party_id": 5} or {"party_id": None} to unlink."""
    values: dict[str, int | None] = {}
    for name, find in LINKS.items():
        if not data.sent(name):
            continue
        ref = getattr(data, name)
        if ref is not None and (ref.id is None or find(conn, account_id, ref.id) is None):
            raise _fail(f"{name} not found", name)
        values[f"{name}_id"] = None if ref is None else ref.id
    return values


def _check_one_link(values: dict[str, Any]) -> None:
    if sum(values.get(f"{name}_id") is not None for name in LINKS) > 1:
        raise _fail("task can be related to at most one entity", "party")


def _changes(conn: sa.Connection, who: Principal, data: TaskInput) -> dict[str, Any]:
    """Columns for the properties sent, status aside."""
    account_id = who.account_id
    values: dict[str, Any] = _links(conn, account_id, data)
    if data.sent("description"):
        description = (data.description or "").strip()
        if not description:
            raise _fail("description is required", "description")
        values["description"] = description
    if data.sent("detail"):
        values["detail"] = data.detail
    if data.sent("category"):
        values["category_id"] = category_id(conn, account_id, data.category, RESOURCE)
    if data.sent("due_on"):
        values["due_on"] = _due_on(data.due_on)
    if data.sent("due_time"):
        values["due_time"] = _due_time(data.due_time)
    if data.sent("owner"):
        if data.owner is None:
            raise _fail("owner is required", "owner")
        values["owner_id"] = resolve_owner(conn, account_id, data.owner, RESOURCE)
    if data.sent("repeat"):
        values.update(_repeat(data.repeat))
    return values


def _status(raw: str | None) -> str | None:
    if raw is None:
        return None
    status = raw.strip().upper()
    if status == "PENDING":
        raise _fail("cannot set task status to PENDING", "status")
    if status not in STATUSES:
        raise _fail("status must be OPEN or COMPLETED", "status")
    return status


def _completed_at(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return timestamps.now()
    try:
        return timestamps.parse(raw)
    except (ValueError, OverflowError):
        raise _fail("completedAt is invalid", "completedAt") from None


def create_task(conn: sa.Connection, who: Principal, data: TaskInput) -> int:
    if not data.sent("description"):
        raise _fail("description is required", "description")
    if not data.sent("due_on"):
        raise _fail("dueOn is required", "dueOn")
    status = _status(data.status) or "OPEN"
    now = timestamps.now()
    values: dict[str, Any] = {
        "account_id": who.account_id,
        "owner_id": who.user_id,
        "status": "OPEN",
        "day_delay_rule": "TRACK_DAYS",
        "created_at": now,
        "updated_at": now,
        **_changes(conn, who, data),
    }
    _check_one_link(values)
    task_id = store.insert(conn, values)
    hooks.emit(conn, who.account_id, "task/created", task_id)
    if status == "COMPLETED":
        task = store.find(conn, who.account_id, task_id)
        values.update(_complete(conn, who, task, data.completed_at))
    changes.record(conn, who, ENTITY, task_id, changes.field_changes(FIELDS, None, values))
    return task_id


def update_task(conn: sa.Connection, who: Principal, task_id: int, data: TaskInput) -> None:
    current = store.find(conn, who.account_id, task_id)
    if current is None:
        raise NotFound()
    requested = (data.status or "").strip().upper()
    status = None if requested in ("", current.status) else _status(data.status)
    values = _changes(conn, who, data)
    _check_one_link({**current._asdict(), **values})
    if current.status == "COMPLETED" and status is None and data.completed_at is not None:
        values["completed_at"] = _completed_at(data.completed_at)
    changed = {k: v for k, v in values.items() if getattr(current, k) != v}
    if changed:
        store.update(conn, who.account_id, task_id, {**changed, "updated_at": timestamps.now()})
    if changed or status is not None:
        hooks.emit(conn, who.account_id, "task/updated", task_id)
    after = {**current._asdict(), **changed}
    if status == "COMPLETED":
        after.update(
            _complete(conn, who, store.find(conn, who.account_id, task_id), data.completed_at)
        )
    elif status == "OPEN":
        after.update(_reopen(conn, current))
    found = changes.field_changes(FIELDS, current._asdict(), after)
    changes.record(conn, who, ENTITY, task_id, found)


def _complete(
    conn: sa.Connection, who: Principal, task: Any, completed_at: str | None
) -> dict[str, Any]:
    """Completes the task; returns the columns that changed."""
    at = _completed_at(completed_at)
    values: dict[str, Any] = {
        "status": "COMPLETED",
        "completed_at": at,
        "completed_by_id": who.user_id,
        "updated_at": timestamps.now(),
        "completion_entry_id": _file_entry(conn, who, task, at),
    }
    if task.repeat_frequency is not None:
        _repeat_next(conn, who, task)
        values.update(_repeat(None))  # the rule moves on to the next occurrence
    store.update(conn, who.account_id, task.id, values)
    hooks.emit(conn, who.account_id, "task/completed", task.id)
    track_schedule.previous_done(conn, task, date.fromisoformat(at[:10]))
    return values


def _file_entry(conn: sa.Connection, who: Principal, task: Any, at: str) -> int | None:
    for name in LINKS:
        record_id = getattr(task, f"{name}_id")
        if record_id is not None:
            return file_task_completion(
                conn, who.account_id, who.user_id, task.description, at, f"{name}_id", record_id
            )
    return None  # a task on no record leaves no trace on a timeline


def _repeat_next(conn: sa.Connection, who: Principal, task: Any) -> None:
    due = next_occurrence(
        date.fromisoformat(task.due_on),
        task.repeat_frequency,
        task.repeat_interval,
        task.repeat_on,
    )
    now = timestamps.now()
    values = {name: getattr(task, name) for name in _CARRIED_TO_NEXT_OCCURRENCE}
    values.update(
        status="OPEN",
        due_on=due.isoformat(),
        day_delay_rule="TRACK_DAYS",
        created_at=now,
        updated_at=now,
    )
    next_id = store.insert(conn, values)
    hooks.emit(conn, task.account_id, "task/created", next_id)
    changes.record(conn, who, ENTITY, next_id, changes.field_changes(FIELDS, None, values))


def _reopen(conn: sa.Connection, task: Any) -> dict[str, Any]:
    """Opens the completed task again; returns the columns that changed."""
    if task.completion_entry_id is not None:
        entry_store.delete(conn, task.account_id, task.completion_entry_id)
    values: dict[str, Any] = {
        "status": "OPEN",
        "completed_at": None,
        "completed_by_id": None,
        "completion_entry_id": None,
        "updated_at": timestamps.now(),
    }
    store.update(conn, task.account_id, task.id, values)
    return values


def delete_task(conn: sa.Connection, who: Principal, task_id: int) -> None:
    task = store.find(conn, who.account_id, task_id)
    if task is None:
        raise NotFound()
    store.delete(conn, who.account_id, [task_id])
    changes.record(conn, who, ENTITY, task_id, [changes.deletion()])
    if task.status == "OPEN":
        track_schedule.previous_done(conn, task, clock.today())
