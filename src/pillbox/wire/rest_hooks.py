"""A REST hook subscription and its deliveries, shown to administrators only."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain.base import require_admin
from pillbox.store import hooks as store
from pillbox.store.accounts import Principal
from pillbox.wire import users
from pillbox.wire.nested import nested_user
from pillbox.wire.render import found_rows


def to_wire(row: Any, creator: dict[str, Any] | None) -> dict[str, Any]:
    """Capsule's REST hook, then the secret its deliveries are signed with."""
    return {
        "id": row.id,
        "user": creator,
        "clientId": None,  # hooks belong to the account here, not to an OAuth application
        "description": row.description,
        "event": row.event,
        "targetUrl": row.target_url,
        "embed": row.embed,
        "batched": True,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
        "secret": row.secret,
    }


def render(
    conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    require_admin(who)  # hooks and their secrets are for administrators only
    found = found_rows(store.load, conn, who, ids)
    creator_ids = sorted({row.user_id for row in found if row.user_id is not None})
    creators = {
        user["id"]: nested_user(user["id"], user["username"], user["name"])
        for user in users.render(conn, who, creator_ids, frozenset())
    }
    return [to_wire(row, creators.get(row.user_id)) for row in found]


def delivery_to_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "event": row.event,
        "recordId": row.record_id,
        "status": row.status,
        "attempts": row.attempts,
        "responseStatus": row.response_status,
        "latencyMs": row.latency_ms,
        "error": row.error,
        "createdAt": row.created_at,
        "deliveredAt": row.delivered_at,
    }


def render_deliveries(
    conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    require_admin(who)
    return [delivery_to_wire(row) for row in found_rows(store.load_deliveries, conn, who, ids)]
