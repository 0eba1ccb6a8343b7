"""The fields an activities filter (`/activities/filters/results`) tests entries on.

`user` is who added the entry (an id, username or name), `activityType` its activity type id
(built-in types have negative ids), `taskCategory` the category of the task whose completion
left the entry (an id or name), `addedOn` when it was added.
"""

from typing import Any

import sqlalchemy as sa

from pillbox.store.filter_kinds import Condition, Expr, Field, Scope, Test, match, named
from pillbox.store.filter_kinds import reference_field as reference
from pillbox.store.tables.accounts import users
from pillbox.store.tables.entries import entries
from pillbox.store.tables.task_categories import task_categories
from pillbox.store.tables.tasks import tasks


def _task_category(scope: Scope, test: Test) -> Condition:
    """The entry a completed task left, with the task's category."""
    categorised: Any = sa.select(tasks.c.completion_entry_id).where(
        tasks.c.completion_entry_id.is_not(None)
    )
    if test.value is None:  # "is" null: no category (or no task at all)
        held = entries.c.id.in_(categorised.where(tasks.c.category_id.is_not(None)))
        return sa.not_(held) if test.operator == "is" else held
    chosen = named(task_categories, test, scope, "name")
    holds = entries.c.id.in_(categorised.where(tasks.c.category_id.in_(chosen)))
    return holds if test.operator == "is" else sa.not_(holds)


def _column(expr: Expr, kind: str) -> Field:
    return Field(kind, lambda scope, test: match(expr, kind, test, scope))


ACTIVITY_FIELDS: dict[str, Field] = {
    "user": reference(entries.c.creator_id, users, "username", "name"),
    "activityType": _column(entries.c.activity_type_id, "number"),
    "taskCategory": Field("reference", _task_category),
    "addedOn": _column(entries.c.created_at, "time"),
}
ACTIVITY_ORDER: dict[str, Expr] = {
    "id": entries.c.id,
    "addedOn": entries.c.created_at,
    "entryAt": entries.c.entry_at,
}
