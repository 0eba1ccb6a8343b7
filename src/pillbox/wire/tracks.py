"""A track (a track definition applied to a record) with its tasks, short or in full."""

from typing import Any

import sqlalchemy as sa

from pillbox.store import tasks as task_store
from pillbox.store import tracks as store
from pillbox.store.accounts import Principal
from pillbox.wire import tasks
from pillbox.wire.render import found_rows

# Capsule documents `task`; its own client asks for `tasks`.
TASK_EMBEDS = frozenset({"task", "tasks"})


def to_wire(row: Any, track_tasks: list[dict[str, Any]]) -> dict[str, Any]:
    """A track with the keys of Capsule's documented example, in its order."""
    return {
        "id": row.id,
        "tasks": track_tasks,
        "description": row.description,
        "direction": row.direction,
        "trackDateOn": row.track_date_on,
    }


def render(
    conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    found = found_rows(store.load, conn, who, ids)
    members = task_store.of_tracks(conn, [row.id for row in found]) if found else {}
    short = {row.id: [tasks.nested_task(task) for task in members.get(row.id, [])] for row in found}
    if embeds & TASK_EMBEDS:
        task_ids = [task["id"] for items in short.values() for task in items]
        full = {task["id"]: task for task in tasks.render(conn, who, task_ids, frozenset())}
        short = {track: [full[t["id"]] for t in items] for track, items in short.items()}
    return [to_wire(row, short[row.id]) for row in found]
