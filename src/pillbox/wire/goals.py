"""Goals and goal periods as Capsule shows them, with their progress measured at read time."""

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from pillbox import clock
from pillbox.domain import goal_periods as periods
from pillbox.store import goals as store
from pillbox.store.accounts import Principal
from pillbox.wire.nested import nested_user


def _number(text: str | Decimal) -> float:
    """Capsule writes goal values as doubles: 25.0, 13666.5."""
    return float(Decimal(text))


def _user(row: Any) -> dict[str, Any]:
    return nested_user(row.user_id, row.user_username, row.user_name, row.user_deleted)


def to_wire(row: Any, status: str) -> dict[str, Any]:
    """In the key order of Capsule's documented example; pipeline and milestone when set."""
    wire: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "frequency": row.frequency,
        "status": status,
        "value": _number(row.value),
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
        "startOn": row.start_on,
        "endOn": row.end_on,
        "currency": row.currency,
    }
    if row.pipeline_id is not None:
        wire["pipeline"] = {"name": row.pipeline_name, "id": row.pipeline_id}
    if row.milestone_id is not None:
        wire["milestone"] = {"name": row.milestone_name, "id": row.milestone_id}
    wire["type"] = row.type
    wire["user"] = _user(row)
    return wire


def period_to_wire(row: Any, goal: Any, reached: periods.Progress) -> dict[str, Any]:
    wire: dict[str, Any] = {"goal": {"id": row.goal_id}, "startOn": row.start_on}
    wire["endOn"] = row.end_on
    if reached.completed_on is not None:
        wire["completedOn"] = reached.completed_on
    wire.update(targetValue=_number(goal.value), id=row.id, currentValue=_number(reached.current))
    return wire


def _progress(
    conn: sa.Connection, account_id: int, goals: list[Any]
) -> dict[int, dict[int, periods.Progress]]:
    """Every period's progress of each goal: two queries, whatever the number of goals."""
    if not goals:
        return {}
    spans = store.periods_of(conn, [goal.id for goal in goals])
    since = min(goal.start_on for goal in goals)
    users = sorted({goal.user_id for goal in goals})
    rows = store.owned_opportunities(conn, account_id, users, since)
    return {goal.id: periods.progress(goal, spans.get(goal.id, []), rows) for goal in goals}


def render(
    conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    rows = store.load(conn, who.account_id, ids)
    found = [rows[i] for i in ids if i in rows]
    reached = _progress(conn, who.account_id, found)
    today: date = clock.today()
    return [to_wire(goal, periods.status(goal, today, reached[goal.id])) for goal in found]


def render_periods(
    conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    """A page of periods (all of one goal, as they are listed)."""
    rows = store.load_periods(conn, who.account_id, ids)
    found = [rows[i] for i in ids if i in rows]
    goals = store.load(conn, who.account_id, sorted({row.goal_id for row in found}))
    reached = _progress(conn, who.account_id, list(goals.values()))
    return [period_to_wire(row, goals[row.goal_id], reached[row.goal_id][row.id]) for row in found]
