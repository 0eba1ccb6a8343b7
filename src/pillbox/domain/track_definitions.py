"""Track definitions: templates of tracks, each an ordered list of task definitions.

Rules:
- Administrators manage them; every user reads them.
- A definition needs a `description`, a `captureRule` (the record type it applies to: PARTY,
  OPPORTUNITY, CASEFILE) and a `direction` (START_DATE, END_DATE). `tag` is comma-separated tag
  names applied with the track, or null.
- `taskDefinitions` is a nested collection: an item without `id` adds a task definition, with
  `id` changes only what it sends, with `id` and `_delete: true` removes it. An id of another
  definition is a 422. At most 100 items per request.
- A new task definition needs a `description`, `daysAfterRule`, `daysAfter` (0 to 3650 days),
  `dayDelayRule` and a `trackTaskAssignee`: the record's owner (ENTITY_OWNER) or a user of the
  account (USER with `owner`). `category` is a task category by id or name; `displayOrder`
  defaults to after the last one.
- `updatedAt` advances only when something changed, a task definition included.
"""

from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import Field

from pillbox.domain.base import CollectionItem, InputModel, RefIn, Text, require_admin
from pillbox.errors import NotFound, ValidationFailed
from pillbox.numbers import MAX_ID
from pillbox.store import accounts as account_store
from pillbox.store import task_categories as category_store
from pillbox.store import track_definitions as store
from pillbox.store.accounts import Principal

RESOURCE = "trackDefinition"
TASKS = "taskDefinitions"
ASSIGNEE = f"{TASKS}.trackTaskAssignee"
MAX_TAG_NAME = 200


class AssigneeIn(InputModel):
    assignee_type: Literal["ENTITY_OWNER", "USER"] | None = None
    owner: RefIn | None = None


class TaskDefinitionIn(CollectionItem):
    description: Text | None = None
    days_after_rule: Literal["TRACK_START", "LAST_TASK"] | None = None
    days_after: Annotated[int, Field(ge=0, le=3650)] | None = None
    display_order: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None
    day_delay_rule: Literal["TRACK_DAYS", "TRACK_WORKDAYS", "TRACK_WEEKS"] | None = None
    category: RefIn | None = None
    track_task_assignee: AssigneeIn | None = None


class TrackDefinitionInput(InputModel):
    description: Text | None = None
    tag: Annotated[str, Field(max_length=500)] | None = None
    capture_rule: Literal["PARTY", "OPPORTUNITY", "CASEFILE"] | None = None
    direction: Literal["START_DATE", "END_DATE"] | None = None
    task_definitions: Annotated[list[TaskDefinitionIn], Field(max_length=100)] | None = None


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, field)


def _required(value: Any, field: str) -> Any:
    """The value sent (a text trimmed); a missing or blank one is a 422 on `field`."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        raise _fail(f"{field.rsplit('.', 1)[-1]} is required", field)
    return value


def _tag(raw: str | None) -> str | None:
    names = [name.strip() for name in (raw or "").split(",")]
    if any(len(name) > MAX_TAG_NAME for name in names):
        raise _fail(f"tag names are at most {MAX_TAG_NAME} characters", "tag")
    return (raw or "").strip() if any(names) else None


# -- task definitions ----------------------------------------------------------------------------


def _category(conn: sa.Connection, who: Principal, item: TaskDefinitionIn) -> int | None:
    ref = item.category
    if ref is None:
        return None
    found = category_store.find(conn, who.account_id, ref.id, ref.name)
    if found is None:
        raise _fail("category not found", f"{TASKS}.category")
    return found


def _assignee(conn: sa.Connection, who: Principal, assignee: AssigneeIn | None) -> dict[str, Any]:
    assignee = _required(assignee, ASSIGNEE)
    kind = _required(assignee.assignee_type, f"{ASSIGNEE}.assigneeType")
    if kind == "ENTITY_OWNER":
        return {"assignee_type": kind, "assignee_id": None}
    owner = _required(assignee.owner, f"{ASSIGNEE}.owner")
    if owner.id is None or not account_store.live_user_ids(conn, who.account_id, {owner.id}):
        raise _fail("owner not found", f"{ASSIGNEE}.owner")
    return {"assignee_type": kind, "assignee_id": owner.id}


def _task_values(
    conn: sa.Connection, who: Principal, item: TaskDefinitionIn, adding: bool
) -> dict[str, Any]:
    """The columns an item sets: all the required ones when adding, else only those sent."""
    values: dict[str, Any] = {}
    for name, wire in (
        ("description", "description"),
        ("days_after_rule", "daysAfterRule"),
        ("days_after", "daysAfter"),
        ("day_delay_rule", "dayDelayRule"),
    ):
        if adding or item.sent(name):
            values[name] = _required(getattr(item, name), f"{TASKS}.{wire}")
    if adding or item.sent("track_task_assignee"):
        values.update(_assignee(conn, who, item.track_task_assignee))
    if item.sent("category"):
        values["category_id"] = _category(conn, who, item)
    if item.display_order is not None:
        values["display_order"] = item.display_order
    return values


def _add_task(
    conn: sa.Connection, who: Principal, definition_id: int, item: TaskDefinitionIn
) -> None:
    values = _task_values(conn, who, item, adding=True)
    if "display_order" not in values:
        values["display_order"] = min(store.last_display_order(conn, definition_id) + 1, MAX_ID)
    store.add_task_definition(conn, definition_id, values)


def _change_task(conn: sa.Connection, who: Principal, current: Any, item: TaskDefinitionIn) -> bool:
    values = _task_values(conn, who, item, adding=False)
    changed = {name: value for name, value in values.items() if getattr(current, name) != value}
    if changed:
        store.update_task_definition(conn, current.id, changed)
    return bool(changed)


def _apply_tasks(
    conn: sa.Connection, who: Principal, definition_id: int, items: list[TaskDefinitionIn]
) -> bool:
    """Adds, changes and removes task definitions in the order sent; returns whether any did."""
    if not items:
        return False
    rows = store.task_definitions(conn, [definition_id]).get(definition_id, [])
    existing = {row.id: row for row in rows}
    changed = False
    for item in items:
        if item.id is None:
            if not item.delete:
                _add_task(conn, who, definition_id, item)
                changed = True
            continue
        current = existing.get(item.id)
        if current is None:
            raise _fail("task definition not found", f"{TASKS}.id")
        if item.delete:
            store.delete_task_definition(conn, item.id)
            del existing[item.id]
            changed = True
        else:
            changed = _change_task(conn, who, current, item) or changed
    return changed


# -- track definitions ---------------------------------------------------------------------------


def _definition_values(data: TrackDefinitionInput, creating: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, wire in (
        ("description", "description"),
        ("capture_rule", "captureRule"),
        ("direction", "direction"),
    ):
        if creating or data.sent(name):
            values[name] = _required(getattr(data, name), wire)
    if data.sent("tag"):
        values["tag"] = _tag(data.tag)
    return values


def create_definition(conn: sa.Connection, who: Principal, data: TrackDefinitionInput) -> int:
    require_admin(who)
    definition_id = store.create(conn, who.account_id, _definition_values(data, creating=True))
    _apply_tasks(conn, who, definition_id, data.task_definitions or [])
    return definition_id


def _existing(conn: sa.Connection, who: Principal, definition_id: int) -> Any:
    found = store.load(conn, who.account_id, [definition_id]).get(definition_id)
    if found is None:
        raise NotFound()
    require_admin(who)
    return found


def update_definition(
    conn: sa.Connection, who: Principal, definition_id: int, data: TrackDefinitionInput
) -> None:
    current = _existing(conn, who, definition_id)
    values = _definition_values(data, creating=False)
    changed = {name: value for name, value in values.items() if getattr(current, name) != value}
    tasks_changed = _apply_tasks(conn, who, definition_id, data.task_definitions or [])
    if changed or tasks_changed:
        store.update(conn, who.account_id, definition_id, changed)


def delete_definition(conn: sa.Connection, who: Principal, definition_id: int) -> None:
    _existing(conn, who, definition_id)
    store.delete(conn, who.account_id, definition_id)
