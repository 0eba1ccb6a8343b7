"""Task queries: a filtered page in due order, loading with references joined in, writes, and the
tasks of tracks."""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from pillbox.store import page_blocks
from pillbox.store.listing import Listing
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, ids_param, insert_row
from pillbox.store.tables.accounts import users
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties
from pillbox.store.tables.task_categories import task_categories
from pillbox.store.tables.tasks import tasks

_completer = users.alias("completer")


def _name_of(table: sa.Table, record_id: sa.ColumnElement[int]) -> sa.ScalarSelect[str]:
    """The name of the record `record_id` names, looked up per task. As two more joins,
    PostgreSQL hashed every opportunity and project of the account to join 100 tasks (2.6 ms),
    and planning seven tables cost ~3 ms more whenever it planned the statement."""
    return sa.select(table.c.name).where(table.c.id == record_id).scalar_subquery()


_LOAD = Query(
    sa.select(
        tasks,
        task_categories.c.name.label("category_name"),
        task_categories.c.colour.label("category_colour"),
        users.c.username.label("owner_username"),
        users.c.name.label("owner_name"),
        users.c.deleted.label("owner_deleted"),
        _completer.c.username.label("completed_by_username"),
        parties.c.type.label("party_type"),
        parties.c.first_name.label("party_first_name"),
        parties.c.last_name.label("party_last_name"),
        parties.c.name.label("party_name"),
        _name_of(opportunities, tasks.c.opportunity_id).label("opportunity_name"),
        _name_of(kases, tasks.c.kase_id).label("kase_name"),
    )
    .select_from(
        tasks.outerjoin(task_categories, task_categories.c.id == tasks.c.category_id)
        .outerjoin(users, users.c.id == tasks.c.owner_id)
        .outerjoin(_completer, _completer.c.id == tasks.c.completed_by_id)
        .outerjoin(parties, parties.c.id == tasks.c.party_id)
    )
    .where(tasks.c.account_id == sa.bindparam("account_id"), ids_param(tasks.c.id))
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in _LOAD.rows(conn, account_id=account_id, ids=ids)}


# Soonest first; a task without a time comes before the timed ones of its day (NULLS FIRST is
# SQLite's own ascending order, so its due-order indexes serve the list without sorting).
DUE_ORDER = (tasks.c.due_on, tasks.c.due_time.asc().nulls_first(), tasks.c.id)
_RELATED = {
    "party": tasks.c.party_id,
    "opportunity": tasks.c.opportunity_id,
    "kase": tasks.c.kase_id,
}


def _conditions(account_id: int, listing: Listing) -> list[sa.ColumnElement[bool]]:
    params = listing.params
    statuses = [status.upper() for status in params["status"]]
    conditions = [tasks.c.account_id == account_id, tasks.c.status.in_(statuses)]
    if listing.since is not None:
        conditions.append(tasks.c.updated_at >= listing.since)
    if params.get("owner") is not None:
        conditions.append(tasks.c.owner_id == params["owner"])
    if params.get("category") is not None:
        conditions.append(tasks.c.category_id == params["category"])
    if params.get("dueFrom") is not None:
        conditions.append(tasks.c.due_on >= params["dueFrom"])
    if params.get("dueTo") is not None:
        conditions.append(tasks.c.due_on <= params["dueTo"])
    repeating = listing.flags.get("repeating")
    if repeating is not None:
        frequency = tasks.c.repeat_frequency
        conditions.append(frequency.is_not(None) if repeating else frequency.is_(None))
    if params.get("relatedTo"):
        conditions.append(sa.or_(*(_RELATED[r].is_not(None) for r in params["relatedTo"])))
    return conditions


def page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    """A page of the account's tasks in due order, filtered as the listing asks. A deep page of
    tasks filtered by status alone starts at the block of its due day."""
    conditions, offset = _conditions(account_id, listing), listing.offset
    if offset >= page_blocks.ANCHOR_FROM and _by_status_alone(listing):
        lists = [f"tasks:{status.upper()}" for status in listing.params["status"]]
        found = page_blocks.anchor(conn, account_id, lists, offset)
        if found is not None:
            day = page_blocks.day_of_block(found.block).isoformat()
            conditions.append(tasks.c.due_on >= day)
            offset -= found.rows_before
    query = (
        sa.select(tasks.c.id)
        .where(*conditions)
        .order_by(*DUE_ORDER)
        .limit(listing.limit)
        .offset(offset)
    )
    return list(conn.scalars(query))


def _by_status_alone(listing: Listing) -> bool:
    """Whether only statuses narrow the list: then its pages can start at a page block."""
    others = [value for name, value in listing.params.items() if name != "status"]
    return (
        listing.since is None
        and all(value is None or value in ((), []) for value in others)
        and all(value is None for value in listing.flags.values())
    )


SCOPED = Scoped(tasks)


def find(conn: sa.Connection, account_id: int, task_id: int) -> Any:
    return SCOPED.find(conn, account_id, task_id)


def insert(conn: sa.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, tasks, values)


def update(conn: sa.Connection, account_id: int, task_id: int, values: dict[str, Any]) -> None:
    SCOPED.update(conn, account_id, task_id, values)


def delete(conn: sa.Connection, account_id: int, task_ids: list[int]) -> None:
    if task_ids:
        conn.execute(
            tasks.delete().where(tasks.c.account_id == account_id, tasks.c.id.in_(task_ids))
        )


# -- tracks ---------------------------------------------------------------------------------------


def of_tracks(conn: sa.Connection, track_ids: list[int]) -> dict[int, list[Any]]:
    """The tasks of each track, in track order."""
    query = (
        sa.select(tasks)
        .where(tasks.c.track_id.in_(track_ids))
        .order_by(tasks.c.track_id, tasks.c.track_position, tasks.c.id)
    )
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(query):
        grouped[row.track_id].append(row)
    return grouped


def record_page_ids(
    conn: sa.Connection, account_id: int, listing: Listing, link: str, record_id: int
) -> list[int]:
    """A page of the tasks on one party, opportunity or project (`link`), filtered and ordered as
    page_ids does."""
    query = (
        sa.select(tasks.c.id)
        .where(*_conditions(account_id, listing), _RELATED[link] == record_id)
        .order_by(*DUE_ORDER)
        .limit(listing.limit)
        .offset(listing.offset)
    )
    return list(conn.scalars(query))
