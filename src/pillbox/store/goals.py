"""Goals of an account, their periods, and the opportunities their progress is measured on."""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.sql import insert_id
from pillbox.store.tables.accounts import users
from pillbox.store.tables.goals import goal_periods, goals
from pillbox.store.tables.opportunities import milestones, opportunities, pipelines

_GOAL_COLUMNS = (
    goals,
    users.c.username.label("user_username"),
    users.c.name.label("user_name"),
    users.c.deleted.label("user_deleted"),
    pipelines.c.name.label("pipeline_name"),
    milestones.c.name.label("milestone_name"),
)
_GOAL_FROM = (
    goals.join(users, users.c.id == goals.c.user_id)
    .outerjoin(pipelines, pipelines.c.id == goals.c.pipeline_id)
    .outerjoin(milestones, milestones.c.id == goals.c.milestone_id)
)


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    """The account's goal rows among these ids, by id, each with its user's `user_username`,
    `user_name`, `user_deleted`, and its `pipeline_name` and `milestone_name` (or None)."""
    query = (
        sa.select(*_GOAL_COLUMNS)
        .select_from(_GOAL_FROM)
        .where(goals.c.account_id == account_id, goals.c.id.in_(ids))
    )
    return {row.id: row for row in conn.execute(query)}


def page_ids(conn: sa.Connection, account_id: int, offset: int, limit: int) -> list[int]:
    query = sa.select(goals.c.id).where(goals.c.account_id == account_id).order_by(goals.c.id)
    return list(conn.scalars(query.limit(limit).offset(offset)))


def exists(conn: sa.Connection, account_id: int, goal_id: int) -> bool:
    query = sa.select(goals.c.id).where(goals.c.account_id == account_id, goals.c.id == goal_id)
    return conn.scalar(query) is not None


def create(conn: sa.Connection, account_id: int, values: dict[str, Any]) -> int:
    now = timestamps.now()
    row = dict(account_id=account_id, created_at=now, updated_at=now, **values)
    return insert_id(conn, goals.insert().values(**row))


def update(conn: sa.Connection, goal_id: int, values: dict[str, Any]) -> None:
    conn.execute(
        goals.update().where(goals.c.id == goal_id).values(updated_at=timestamps.now(), **values)
    )


def delete(conn: sa.Connection, goal_id: int) -> None:
    """Its periods go with it (the foreign key says so)."""
    conn.execute(goals.delete().where(goals.c.id == goal_id))


# -- periods --------------------------------------------------------------------------------------


def replace_periods(conn: sa.Connection, goal_id: int, spans: list[tuple[str, str]]) -> None:
    """The goal's periods become these (start, end) spans, with new ids."""
    conn.execute(goal_periods.delete().where(goal_periods.c.goal_id == goal_id))
    if spans:
        rows = [{"goal_id": goal_id, "start_on": s, "end_on": e} for s, e in spans]
        conn.execute(goal_periods.insert(), rows)


def period_ids(
    conn: sa.Connection, account_id: int, goal_id: int, offset: int, limit: int
) -> list[int]:
    query = (
        sa.select(goal_periods.c.id)
        .join(goals, goals.c.id == goal_periods.c.goal_id)
        .where(goals.c.account_id == account_id, goal_periods.c.goal_id == goal_id)
        .order_by(goal_periods.c.start_on, goal_periods.c.id)
    )
    return list(conn.scalars(query.limit(limit).offset(offset)))


def load_periods(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    """The account's period rows among these ids, by id."""
    query = (
        sa.select(goal_periods)
        .join(goals, goals.c.id == goal_periods.c.goal_id)
        .where(goals.c.account_id == account_id, goal_periods.c.id.in_(ids))
    )
    return {row.id: row for row in conn.execute(query)}


def periods_of(conn: sa.Connection, goal_ids: list[int]) -> dict[int, list[Any]]:
    """Every period of each goal (one query), in date order."""
    query = (
        sa.select(goal_periods)
        .where(goal_periods.c.goal_id.in_(goal_ids))
        .order_by(goal_periods.c.start_on, goal_periods.c.id)
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(query):
        found[row.goal_id].append(row)
    return found


def owned_opportunities(
    conn: sa.Connection, account_id: int, user_ids: list[int], since: str
) -> list[Any]:
    """The opportunities of these owners created, closed or moved on `since` (YYYY-MM-DD) or
    later: what goals are measured on. Each row has `pipeline_id` (of its milestone) and
    `moved_on`, the day it reached its current milestone."""
    moved = sa.func.coalesce(opportunities.c.last_stage_changed_at, opportunities.c.created_at)
    query = (
        sa.select(
            opportunities.c.owner_id,
            opportunities.c.milestone_id,
            milestones.c.pipeline_id,
            opportunities.c.value_amount,
            opportunities.c.value_currency,
            opportunities.c.probability,
            opportunities.c.closed_on,
            sa.func.substr(opportunities.c.created_at, 1, 10).label("created_on"),
            sa.func.substr(moved, 1, 10).label("moved_on"),
        )
        .join(milestones, milestones.c.id == opportunities.c.milestone_id)
        .where(
            opportunities.c.account_id == account_id,
            opportunities.c.owner_id.in_(user_ids),
            sa.or_(
                opportunities.c.created_at >= since,
                opportunities.c.closed_on >= since,
                moved >= since,
            ),
        )
    )
    return list(conn.execute(query))
