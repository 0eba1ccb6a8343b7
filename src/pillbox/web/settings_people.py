"""/settings/users and /settings/teams: the account's users (add one, make or unmake an
administrator, set a password, delete) and its teams (add, rename, members, delete)."""

from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData

from pillbox.domain import teams, users
from pillbox.numbers import whole_number
from pillbox.store import accounts as account_store
from pillbox.store import teams as team_store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing
from pillbox.web.settings_kit import Collection, Input, Item, SettingsPage, page_routes

MAX_TEAMS = 1000


def _users(conn: sa.Connection, who: Principal) -> list[Item]:
    return [
        Item(
            user_id,
            name,
            {"administrator": is_admin},
            notes=[
                email,
                *(["administrator"] if is_admin else []),
                *(["you"] if user_id == who.user_id else []),
            ],
        )
        for user_id, email, name, is_admin in account_store.live_users(conn, who.account_id)
    ]


USERS = Collection(
    key="users",
    title="Users",
    noun="user",
    resource=users.USER,
    model=users.NewUserInput,
    inputs=(
        Input("name", "Name", on_edit=False),
        Input("email", "Email", kind="email", on_edit=False),
        Input("username", "Username (default: the email's first part)", on_edit=False),
        Input("administrator", "Administrator", kind="checkbox"),
        Input("password", "New password", kind="password"),
    ),
    load=_users,
    create=users.add_user,
    edit_model=users.UserAccessInput,
    update=users.change_user_access,
    delete=users.remove_user,
    delete_warning="They can no longer sign in and their tokens stop working; records keep them.",
)


def _members(form: FormData, name: str) -> list[dict[str, Any]]:
    """Every user offered: chosen ones join the team, the others leave it."""
    chosen = set(form.getlist(name))
    return [
        {"user": {"id": whole_number(user)}, "_delete": user not in chosen}
        for user in form.getlist(f"{name}-offered")
        if isinstance(user, str) and whole_number(user)
    ]


def _teams(conn: sa.Connection, who: Principal) -> list[Item]:
    ids = team_store.page_ids(conn, who.account_id, Listing(None, 0, MAX_TEAMS))
    found = team_store.load(conn, who.account_id, ids)
    members = team_store.members(conn, ids)
    return [
        Item(
            i,
            found[i].name,
            {"name": found[i].name, "memberships": [m.id for m in members.get(i, [])]},
        )
        for i in ids
        if i in found
    ]


def _user_choices(conn: sa.Connection, who: Principal) -> dict[str, list[tuple[str, str]]]:
    people = account_store.live_users(conn, who.account_id)
    return {"memberships": [(str(user_id), name) for user_id, _, name, _ in people]}


TEAMS = Collection(
    key="teams",
    title="Teams",
    noun="team",
    resource=teams.TEAM,
    model=teams.TeamInput,
    inputs=(
        Input("name", "Name"),
        Input(
            "memberships",
            "Members",
            kind="multiselect",
            read=_members,
            errors=("memberships.user",),
        ),
    ),
    load=_teams,
    load_choices=_user_choices,
    create=teams.create_team,
    update=teams.update_team,
    delete=teams.delete_team,
)

USERS_PAGE = SettingsPage(
    "/settings/users",
    "Users",
    "Who can sign in to this account. Administrators manage the account's settings.",
    (USERS,),
)
TEAMS_PAGE = SettingsPage(
    "/settings/teams", "Teams", "Groups of users, to share records and tasks with.", (TEAMS,)
)

ROUTES = [*page_routes(USERS_PAGE), *page_routes(TEAMS_PAGE)]
