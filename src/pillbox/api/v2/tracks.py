"""/api/v2/tracks: track definitions applied to records; listed per record only."""

from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas, tasks
from pillbox.api.v2.per_record import per_record_lists
from pillbox.domain import tracks as domain
from pillbox.store import tasks as task_store
from pillbox.store import tracks as store
from pillbox.store.accounts import Principal

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
    if not ids:
        return []
    rows = store.load(conn, who.account_id, ids)
    found = [rows[i] for i in ids if i in rows]
    members = task_store.of_tracks(conn, [row.id for row in found]) if found else {}
    short = {row.id: [tasks.nested_task(task) for task in members.get(row.id, [])] for row in found}
    if embeds & TASK_EMBEDS:
        task_ids = [task["id"] for items in short.values() for task in items]
        full = {task["id"]: task for task in tasks.render(conn, who, task_ids, frozenset())}
        short = {track: [full[t["id"]] for t in items] for track, items in short.items()}
    return [to_wire(row, short[row.id]) for row in found]


TRACKS = Resource(
    singular="track",
    plural="tracks",
    embeds=TASK_EMBEDS,
    render=render,
    page_ids=None,  # there is no list of every track: GET /tracks is a 405, as in Capsule
    wire_schema=schemas.TRACK,
    input_model=domain.TrackInput,
    create=domain.create_track,
    update=domain.update_track,
    delete=domain.delete_track,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = [
    *resource_endpoints(TRACKS),
    *per_record_lists(TRACKS, store.record_track_ids, "List the tracks on one of the {entity}"),
]
