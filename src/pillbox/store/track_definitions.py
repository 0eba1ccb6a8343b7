"""Track definitions of an account and their task definitions (the templates of tracks)."""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.scoped import Scoped
from pillbox.store.sql import insert_id
from pillbox.store.tables.accounts import users
from pillbox.store.tables.task_categories import task_categories
from pillbox.store.tables.tasks import task_definitions as task_table
from pillbox.store.tables.tasks import track_definitions

# -- track definitions ---------------------------------------------------------------------------


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    """The account's track definition rows among these ids, by id."""
    query = sa.select(track_definitions).where(
        track_definitions.c.account_id == account_id, track_definitions.c.id.in_(ids)
    )
    return {row.id: row for row in conn.execute(query)}


def page_ids(
    conn: sa.Connection, account_id: int, capture_rule: str | None, offset: int, limit: int
) -> list[int]:
    """One page of ids in id order; of one capture rule (PARTY, …), or of all when None."""
    query = sa.select(track_definitions.c.id).where(track_definitions.c.account_id == account_id)
    if capture_rule is not None:
        query = query.where(track_definitions.c.capture_rule == capture_rule)
    return list(conn.scalars(query.order_by(track_definitions.c.id).limit(limit).offset(offset)))


def create(conn: sa.Connection, account_id: int, values: dict[str, Any]) -> int:
    now = timestamps.now()
    row = dict(account_id=account_id, created_at=now, updated_at=now, **values)
    return insert_id(conn, track_definitions.insert().values(**row))


SCOPED = Scoped(track_definitions)


def update(
    conn: sa.Connection, account_id: int, definition_id: int, values: dict[str, Any]
) -> None:
    """Writes the values and advances `updated_at` (also when `values` is empty)."""
    SCOPED.update(conn, account_id, definition_id, {**values, "updated_at": timestamps.now()})


def delete(conn: sa.Connection, account_id: int, definition_id: int) -> None:
    """Its task definitions go with it; tracks applied from it stay (the foreign keys say so)."""
    SCOPED.delete(conn, account_id, definition_id)


# -- task definitions ----------------------------------------------------------------------------

_TASK_COLUMNS = (
    task_table,
    task_categories.c.name.label("category_name"),
    task_categories.c.colour.label("category_colour"),
    users.c.username.label("assignee_username"),
    users.c.name.label("assignee_name"),
    users.c.deleted.label("assignee_deleted"),
)
_TASK_FROM = task_table.outerjoin(
    task_categories, task_categories.c.id == task_table.c.category_id
).outerjoin(users, users.c.id == task_table.c.assignee_id)
_TASK_ORDER = (task_table.c.display_order, task_table.c.id)


def task_definitions(conn: sa.Connection, definition_ids: list[int]) -> dict[int, list[Any]]:
    """The task definition rows of each definition (one query), by display order then id.

    Each row carries its category (`category_name`, `category_colour`) and assigned user
    (`assignee_username`, `assignee_name`, `assignee_deleted`), None where there is none.
    """
    query = (
        sa.select(*_TASK_COLUMNS)
        .select_from(_TASK_FROM)
        .where(task_table.c.definition_id.in_(definition_ids))
        .order_by(*_TASK_ORDER)
    )
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(query):
        grouped[row.definition_id].append(row)
    return grouped


def last_display_order(conn: sa.Connection, definition_id: int) -> int:
    query = sa.select(sa.func.max(task_table.c.display_order)).where(
        task_table.c.definition_id == definition_id
    )
    return int(conn.scalar(query) or 0)


def add_task_definition(conn: sa.Connection, definition_id: int, values: dict[str, Any]) -> int:
    now = timestamps.now()
    row = dict(definition_id=definition_id, created_at=now, updated_at=now, **values)
    return insert_id(conn, task_table.insert().values(**row))


def update_task_definition(
    conn: sa.Connection, task_definition_id: int, values: dict[str, Any]
) -> None:
    conn.execute(
        task_table.update()
        .where(task_table.c.id == task_definition_id)
        .values(updated_at=timestamps.now(), **values)
    )


def delete_task_definition(conn: sa.Connection, task_definition_id: int) -> None:
    conn.execute(task_table.delete().where(task_table.c.id == task_definition_id))
