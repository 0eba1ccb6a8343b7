"""Task queries: a filtered page in due order, loading with references joined in, writes, and the
tasks of tracks."""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from pillbox.store import page_blocks
from pillbox.store.listing import Listing
from pillbox.store.scoped import Scoped
from pillbox.store.sql import Query, insert_row
from pillbox.store.sql_terms import account_rows_by_id, ids_param
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
    .where(account_rows_by_id(tasks))
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


def _page_query(listing: Listing, from_day: bool, link: str | None = None) -> Query:
    """The statement for a page of tasks filtered as `listing` asks, with every value a
    parameter: built and compiled once per combination of filters (a statement built per
    request, run through SQLAlchemy, cost ~0.3 ms of a page's ~3)."""
    params = listing.params
    shape = (
        listing.since is not None,
        *(params.get(name) is not None for name in _COMPARED),
        listing.flags.get("repeating"),
        tuple(link for link in _RELATED if link in (params.get("relatedTo") or ())),
        from_day,
        link,
    )
    query = _PAGE_QUERIES.get(shape)
    if query is None:
        query = _PAGE_QUERIES[shape] = Query(_page_statement(shape))
    return query


# Each list parameter compared with a column, and the comparison.
_COMPARED: dict[str, Any] = {
    "owner": lambda value: tasks.c.owner_id == value,
    "category": lambda value: tasks.c.category_id == value,
    "dueFrom": lambda value: tasks.c.due_on >= value,
    "dueTo": lambda value: tasks.c.due_on <= value,
}
_PAGE_QUERIES: dict[tuple[Any, ...], Query] = {}


def _page_statement(shape: tuple[Any, ...]) -> sa.Select[Any]:
    since, *compared, repeating, related, from_day, link = shape
    conditions = [
        tasks.c.account_id == sa.bindparam("account_id"),
        ids_param(tasks.c.status, "statuses"),
    ]
    if since:
        conditions.append(tasks.c.updated_at >= sa.bindparam("since"))
    for (name, compare), present in zip(_COMPARED.items(), compared, strict=True):
        if present:
            conditions.append(compare(sa.bindparam(name)))
    if repeating is not None:
        frequency = tasks.c.repeat_frequency
        conditions.append(frequency.is_not(None) if repeating else frequency.is_(None))
    if related:
        conditions.append(sa.or_(*(_RELATED[r].is_not(None) for r in related)))
    if from_day:
        conditions.append(tasks.c.due_on >= sa.bindparam("from_day"))
    if link is not None:
        conditions.append(_RELATED[link] == sa.bindparam("record_id"))
    return (
        sa.select(tasks.c.id)
        .where(*conditions)
        .order_by(*DUE_ORDER)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


def page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    """A page of the account's tasks in due order, filtered as the listing asks. A deep page of
    tasks filtered by status alone starts at the block of its due day."""
    statuses = _statuses(listing)
    offset, from_day = listing.offset, None
    if offset >= page_blocks.ANCHOR_FROM and _by_status_alone(listing):
        lists = [f"tasks:{status}" for status in statuses]
        found = page_blocks.anchor(conn, account_id, lists, offset)
        if found is not None:
            from_day = page_blocks.day_of_block(found.block).isoformat()
            offset -= found.rows_before
    query = _page_query(listing, from_day is not None)
    return query.scalars(conn, **_values(account_id, listing, offset, from_day=from_day))


def _values(account_id: int, listing: Listing, offset: int, **more: Any) -> dict[str, Any]:
    """The page statement's parameters: the listing's filters, and `more` that are given."""
    values = {
        name: listing.params[name] for name in _COMPARED if listing.params.get(name) is not None
    }
    if listing.since is not None:
        values["since"] = listing.since
    values.update((name, value) for name, value in more.items() if value is not None)
    return dict(
        values,
        account_id=account_id,
        statuses=_statuses(listing),
        limit=listing.limit,
        offset=offset,
    )


def _statuses(listing: Listing) -> list[str]:
    """Each status asked for, once (API v1 takes `status=OPEN,OPEN`): the statement is expanded
    once per length of its list of statuses, so there are at most three."""
    return list(dict.fromkeys(status.upper() for status in listing.params["status"]))


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
    query = _page_query(listing, from_day=False, link=link)
    return query.scalars(conn, **_values(account_id, listing, listing.offset, record_id=record_id))
