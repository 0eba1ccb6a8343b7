"""Teams of an account and their members."""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.scoped import Scoped
from pillbox.store.sql import insert_id
from pillbox.store.tables.accounts import team_members, teams, users

SCOPED = Scoped(teams)
page_ids = SCOPED.page_ids


def team_ids(conn: sa.Connection, account_id: int, ids: set[int]) -> set[int]:
    query = sa.select(teams.c.id).where(teams.c.account_id == account_id, teams.c.id.in_(ids))
    return set(conn.scalars(query))


def is_team_member(conn: sa.Connection, team_id: int, user_id: int) -> bool:
    query = sa.select(team_members.c.user_id).where(
        team_members.c.team_id == team_id, team_members.c.user_id == user_id
    )
    return conn.scalar(query) is not None


def create_team(conn: sa.Connection, account_id: int, name: str, member_ids: list[int]) -> int:
    now = timestamps.now()
    values = dict(account_id=account_id, name=name, created_at=now, updated_at=now)
    team_id = insert_id(conn, teams.insert().values(**values))
    add_members(conn, team_id, member_ids)
    return team_id


def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
    query = sa.select(teams).where(teams.c.account_id == account_id, teams.c.id.in_(ids))
    return {row.id: row for row in conn.execute(query)}


def members(conn: sa.Connection, ids: list[int]) -> dict[int, list[Any]]:
    """The members of each of these teams (one query for the page), in user id order."""
    query = (
        sa.select(
            team_members.c.team_id, users.c.id, users.c.username, users.c.name, users.c.deleted
        )
        .join(users, users.c.id == team_members.c.user_id)
        .where(team_members.c.team_id.in_(ids))
        .order_by(users.c.id)
    )
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(query):
        grouped[row.team_id].append(row)
    return grouped


def member_ids(conn: sa.Connection, team_id: int) -> set[int]:
    query = sa.select(team_members.c.user_id).where(team_members.c.team_id == team_id)
    return set(conn.scalars(query))


def add_members(conn: sa.Connection, team_id: int, user_ids: list[int]) -> None:
    if user_ids:
        conn.execute(team_members.insert(), [{"team_id": team_id, "user_id": u} for u in user_ids])


def remove_members(conn: sa.Connection, team_id: int, user_ids: list[int]) -> None:
    if user_ids:
        conn.execute(
            team_members.delete().where(
                team_members.c.team_id == team_id, team_members.c.user_id.in_(user_ids)
            )
        )


def update_team(conn: sa.Connection, account_id: int, team_id: int, values: dict[str, Any]) -> None:
    SCOPED.update(conn, account_id, team_id, {**values, "updated_at": timestamps.now()})


def delete_team(conn: sa.Connection, account_id: int, team_id: int) -> None:
    """Records assigned to the team keep no team (the foreign key sets it to NULL)."""
    SCOPED.delete(conn, account_id, team_id)
