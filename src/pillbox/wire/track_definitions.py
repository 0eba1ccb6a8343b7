"""A track definition with its task definitions."""

from typing import Any

import sqlalchemy as sa

from pillbox.store import track_definitions as store
from pillbox.store.accounts import Principal
from pillbox.wire.nested import nested_user
from pillbox.wire.render import found_rows


def _assignee(row: Any) -> dict[str, Any]:
    assignee: dict[str, Any] = {"assigneeType": row.assignee_type}
    if row.assignee_id is not None:
        assignee["owner"] = nested_user(
            row.assignee_id, row.assignee_username, row.assignee_name, row.assignee_deleted
        )
    return assignee


def task_definition_to_wire(row: Any) -> dict[str, Any]:
    category = None
    if row.category_id is not None:
        category = {"id": row.category_id, "name": row.category_name, "colour": row.category_colour}
    return {
        "id": row.id,
        "description": row.description,
        "daysAfterRule": row.days_after_rule,
        "daysAfter": row.days_after,
        "displayOrder": row.display_order,
        "trackTaskAssignee": _assignee(row),
        "dayDelayRule": row.day_delay_rule,
        "category": category,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }


def to_wire(row: Any, tasks: list[Any]) -> dict[str, Any]:
    """In the key order of Capsule's documented example."""
    return {
        "id": row.id,
        "description": row.description,
        "tag": row.tag,
        "captureRule": row.capture_rule,
        "direction": row.direction,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
        "taskDefinitions": [task_definition_to_wire(task) for task in tasks],
    }


def render(
    conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    """Two queries whatever the page size: the definitions, then all their task definitions."""
    found = found_rows(store.load, conn, who, ids)
    tasks = store.task_definitions(conn, [row.id for row in found]) if found else {}
    return [to_wire(row, tasks.get(row.id, [])) for row in found]
