"""/api/v2/trackdefinitions: track definitions with their task definitions."""

from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.api.v2.nested import nested_user
from pillbox.domain import track_definitions as domain
from pillbox.store import track_definitions as store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing

# The list's `type` and the capture rule it selects (None: all).
CAPTURE_RULES = {
    "all": None,
    "kases": "CASEFILE",
    "opportunities": "OPPORTUNITY",
    "parties": "PARTY",
}


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
    rows = store.load(conn, who.account_id, ids)
    found = [i for i in ids if i in rows]
    tasks = store.task_definitions(conn, found) if found else {}
    return [to_wire(rows[i], tasks.get(i, [])) for i in found]


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    capture_rule = CAPTURE_RULES[listing.choices.get("type") or "all"]
    return store.page_ids(conn, account_id, capture_rule, listing.offset, listing.limit)


TRACK_DEFINITIONS = Resource(
    singular="trackDefinition",
    plural="trackDefinitions",
    route="/trackdefinitions",
    name="track_definitions",
    embeds=frozenset(),
    render=render,
    page_ids=_page_ids,
    wire_schema=schemas.TRACK_DEFINITION,
    input_model=domain.TrackDefinitionInput,
    create=domain.create_definition,
    update=domain.update_definition,
    delete=domain.delete_definition,
    list_choices=(("type", tuple(CAPTURE_RULES)),),
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(TRACK_DEFINITIONS)
