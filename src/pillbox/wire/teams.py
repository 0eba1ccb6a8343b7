"""A team and, with `embed=memberships`, its members."""

from typing import Any

import sqlalchemy as sa

from pillbox.store import teams as store
from pillbox.store.accounts import Principal
from pillbox.wire.nested import nested_user
from pillbox.wire.render import found_rows


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
    items = [to_wire(row) for row in found_rows(store.load, conn, who, ids)]
    if "memberships" in embeds and items:
        members = store.members(conn, [item["id"] for item in items])
        for item in items:
            item["memberships"] = [
                {"user": nested_user(m.id, m.username, m.name, m.deleted)}
                for m in members.get(item["id"], [])
            ]
    return items
