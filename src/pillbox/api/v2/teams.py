"""/api/v2/teams: teams of the account and, with `embed=memberships`, their members."""

from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.api.v2.nested import nested_user
from pillbox.domain import teams as domain
from pillbox.store import teams as store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing


def to_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }


def render(
    conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    rows = store.load(conn, who.account_id, ids)
    items = [to_wire(rows[i]) for i in ids if i in rows]
    if "memberships" in embeds and items:
        members = store.members(conn, [item["id"] for item in items])
        for item in items:
            item["memberships"] = [
                {"user": nested_user(m.id, m.username, m.name, m.deleted)}
                for m in members.get(item["id"], [])
            ]
    return items


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, listing.offset, listing.limit)


TEAMS = Resource(
    singular="team",
    plural="teams",
    embeds=frozenset({"memberships"}),
    render=render,
    page_ids=_page_ids,
    wire_schema=schemas.TEAM,
    input_model=domain.TeamInput,
    create=domain.create_team,
    update=domain.update_team,
    delete=domain.delete_team,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(TEAMS)
