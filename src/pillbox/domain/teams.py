"""Teams: who may manage them, and changes to their membership."""

from typing import Annotated

import sqlalchemy as sa
from pydantic import Field, StrictBool

from pillbox.domain.base import InputModel, RefIn, require_admin, required_name
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import accounts as account_store
from pillbox.store import teams as store
from pillbox.store.accounts import Principal

TEAM = "team"


class MembershipIn(InputModel):
    """{"user": {"id": N}} adds the user; with "_delete": true, removes them."""

    user: RefIn | None = None
    delete: StrictBool = Field(default=False, alias="_delete")


class TeamInput(InputModel):
    name: Annotated[str, Field(max_length=200)] | None = None
    memberships: Annotated[list[MembershipIn], Field(max_length=1000)] | None = None


def _apply_memberships(
    conn: sa.Connection, who: Principal, team_id: int, items: list[MembershipIn]
) -> None:
    user_ids = [item.user.id if item.user is not None else None for item in items]
    known = account_store.live_user_ids(conn, who.account_id, {u for u in user_ids if u})
    if any(user_id not in known for user_id in user_ids):
        raise ValidationFailed.single("user not found", TEAM, "memberships.user")
    members = store.member_ids(conn, team_id)
    add, remove = [], []
    for item, user_id in zip(items, user_ids, strict=True):
        assert user_id is not None
        if item.delete and user_id in members:
            remove.append(user_id)
            members.discard(user_id)
        elif not item.delete and user_id not in members:
            add.append(user_id)
            members.add(user_id)
    store.add_members(conn, team_id, add)
    store.remove_members(conn, team_id, remove)


def create_team(conn: sa.Connection, who: Principal, data: TeamInput) -> int:
    require_admin(who)
    team_id = store.create_team(conn, who.account_id, required_name(data.name, TEAM), [])
    _apply_memberships(conn, who, team_id, data.memberships or [])
    return team_id


def _existing(conn: sa.Connection, who: Principal, team_id: int) -> None:
    if not store.team_ids(conn, who.account_id, {team_id}):
        raise NotFound()


def update_team(conn: sa.Connection, who: Principal, team_id: int, data: TeamInput) -> None:
    _existing(conn, who, team_id)
    require_admin(who)
    if data.sent("name"):
        store.update_team(conn, who.account_id, team_id, {"name": required_name(data.name, TEAM)})
    if data.memberships:
        _apply_memberships(conn, who, team_id, data.memberships)
        store.update_team(conn, who.account_id, team_id, {})


def delete_team(conn: sa.Connection, who: Principal, team_id: int) -> None:
    _existing(conn, who, team_id)
    require_admin(who)
    store.delete_team(conn, who.account_id, team_id)
