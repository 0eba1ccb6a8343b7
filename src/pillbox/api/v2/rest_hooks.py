"""/api/v2/resthooks: REST hook subscriptions, for administrators, with their delivery log."""

from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Resource, SubList, link_endpoint, resource_endpoints, sub_list_endpoint
from pillbox.api.v2 import schemas, users
from pillbox.api.v2.nested import nested_user
from pillbox.domain import hooks as domain
from pillbox.domain.base import require_admin
from pillbox.store import hooks as store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing


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
    rows = store.load(conn, who.account_id, ids)
    found = [rows[i] for i in ids if i in rows]
    creator_ids = sorted({row.user_id for row in found if row.user_id is not None})
    creators = {
        user["id"]: nested_user(user["id"], user["username"], user["name"])
        for user in users.render(conn, who, creator_ids, frozenset())
    }
    return [to_wire(row, creators.get(row.user_id)) for row in found]


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, listing.offset, listing.limit)


REST_HOOKS = Resource(
    singular="restHook",
    plural="restHooks",
    embeds=frozenset(),
    render=render,
    page_ids=_page_ids,
    wire_schema=schemas.REST_HOOK,
    input_model=domain.RestHookInput,
    create=domain.create_hook,
    delete=domain.delete_hook,
    route="/resthooks",
    name="rest_hooks",
    since=False,
    deleted_feed=False,
    many_ids=False,
)


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
    rows = store.load_deliveries(conn, who.account_id, ids)
    return [delivery_to_wire(rows[i]) for i in ids if i in rows]


DELIVERIES = Resource(
    singular="delivery",
    plural="deliveries",
    embeds=frozenset(),
    render=render_deliveries,
    page_ids=None,  # listed per hook only
    wire_schema=schemas.HOOK_DELIVERY,
    route="/resthooks/{id}/deliveries",
    name="rest_hook_deliveries",
    since=False,
    deleted_feed=False,
    many_ids=False,
)


def _hook_exists(conn: sa.Connection, account_id: int, hook_id: int) -> bool:
    return bool(store.load(conn, account_id, [hook_id]))


def _delivery_ids(
    conn: sa.Connection, _account_id: int, hook_id: int, offset: int, limit: int
) -> list[int]:
    return store.delivery_ids(conn, hook_id, offset, limit)


DELIVERY_LOG = (
    "Pillbox extension: each delivery of a hook (event, record, status, attempts, the receiver's "
    "answer), kept to be looked at and sent again."
)

ENDPOINTS = [
    *resource_endpoints(REST_HOOKS),
    sub_list_endpoint(
        SubList(
            path="/resthooks/{id}/deliveries",
            summary="List a REST hook's deliveries, newest first",
            resource=DELIVERIES,
            parent_exists=_hook_exists,
            page_ids=_delivery_ids,
        ),
        "list_rest_hook_deliveries",
    ).as_extension(DELIVERY_LOG),
    link_endpoint(
        "POST",
        "/resthooks/{id}/deliveries/{deliveryId}/redeliver",
        "Send a delivery again",
        "redeliver_rest_hook_delivery",
        domain.redeliver,
        "deliveryId",
    ).as_extension(DELIVERY_LOG),
]
