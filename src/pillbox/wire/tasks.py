"""A task as Capsule shows it, with the task that follows it on its track."""

import itertools
from typing import Any

import sqlalchemy as sa

from pillbox.store import tasks as store
from pillbox.store.accounts import Principal
from pillbox.wire.nested import nested_party, nested_user
from pillbox.wire.render import found_rows


def nested_task(row: Any) -> dict[str, Any]:
    return {"id": row.id, "description": row.description}


def _category(row: Any) -> dict[str, Any] | None:
    if row.category_id is None:
        return None
    return {"id": row.category_id, "name": row.category_name, "colour": row.category_colour}


def _repeat(row: Any) -> dict[str, Any] | None:
    if row.repeat_frequency is None:
        return None
    return {"interval": row.repeat_interval, "frequency": row.repeat_frequency, "on": row.repeat_on}


def _named(record_id: int | None, name: str | None) -> dict[str, Any] | None:
    return None if record_id is None else {"id": record_id, "name": name}


def to_wire(row: Any, next_task: Any) -> dict[str, Any]:
    """A task with the keys of Capsule's recorded body, in its order."""
    party = None
    if row.party_id is not None:
        party = nested_party(
            row.party_id, row.party_type, row.party_first_name, row.party_last_name, row.party_name
        )
    owner = None
    if row.owner_id is not None:
        owner = nested_user(row.owner_id, row.owner_username, row.owner_name, row.owner_deleted)
    return {
        "id": row.id,
        "category": _category(row),
        "description": row.description,
        "detail": row.detail,
        "dueTime": row.due_time,
        "status": row.status,
        "party": party,
        "opportunity": _named(row.opportunity_id, row.opportunity_name),
        "owner": owner,
        "daysAfter": row.days_after,
        "taskDelayRule": row.task_delay_rule,
        "nextTask": None if next_task is None else nested_task(next_task),
        "active": row.status != "PENDING",
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
        "dueOn": row.due_on,
        "completedBy": row.completed_by_username,
        "completedAt": row.completed_at,
        "kase": _named(row.kase_id, row.kase_name),
        "taskDayDelayRule": row.day_delay_rule,
        "overrideToCurrentUser": None,
        "repeat": _repeat(row),
        "hasTrack": row.track_id is not None,
    }


def _next_tasks(conn: sa.Connection, rows: list[Any]) -> dict[int, Any]:
    """The task after each track task of the page, from one query for all their tracks."""
    track_ids = sorted({row.track_id for row in rows if row.track_id is not None})
    if not track_ids:
        return {}
    following: dict[int, Any] = {}
    for members in store.of_tracks(conn, track_ids).values():
        for current, after in itertools.pairwise(members):
            following[current.id] = after
    return following


def render(
    conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    """Tasks with their short references; the full records come from `renderers`."""
    found = found_rows(store.load, conn, who, ids)
    following = _next_tasks(conn, found)
    return [to_wire(row, following.get(row.id)) for row in found]
