"""/api/v2/resthooks: REST hook subscriptions, for administrators, with their delivery log."""

import sqlalchemy as sa

from pillbox.api.kit import Resource, SubList, link_endpoint, resource_endpoints, sub_list_endpoint
from pillbox.api.v2.schemas import BOOLEAN, INTEGER, STRING, nullable, obj
from pillbox.domain import hooks as domain
from pillbox.store import hooks as store
from pillbox.wire import rest_hooks as wire

REST_HOOK_SCHEMA = obj(
    {
        "id": INTEGER,
        "user": {"type": ["object", "null"]},
        "clientId": {"type": ["integer", "null"]},
        "description": nullable("string"),
        "event": STRING,
        "targetUrl": STRING,
        "embed": nullable("string"),
        "batched": BOOLEAN,
        "createdAt": STRING,
        "updatedAt": STRING,
        "secret": STRING,
    }
)
HOOK_DELIVERY_SCHEMA = obj(
    {
        "id": INTEGER,
        "event": STRING,
        "recordId": INTEGER,
        "status": {"enum": ["pending", "delivered", "failed"]},
        "attempts": INTEGER,
        "responseStatus": nullable("integer"),
        "latencyMs": nullable("integer"),
        "error": nullable("string"),
        "createdAt": STRING,
        "deliveredAt": nullable("string"),
    }
)

REST_HOOKS = Resource(
    singular="restHook",
    plural="restHooks",
    embeds=frozenset(),
    render=wire.render,
    page_ids=store.page_ids,
    wire_schema=REST_HOOK_SCHEMA,
    input_model=domain.RestHookInput,
    create=domain.create_hook,
    delete=domain.delete_hook,
    route="/resthooks",
    name="rest_hooks",
    since=False,
    deleted_feed=False,
    many_ids=False,
)


DELIVERIES = Resource(
    singular="delivery",
    plural="deliveries",
    embeds=frozenset(),
    render=wire.render_deliveries,
    page_ids=None,  # listed per hook only
    wire_schema=HOOK_DELIVERY_SCHEMA,
    route="/resthooks/{id}/deliveries",
    name="rest_hook_deliveries",
    since=False,
    deleted_feed=False,
    many_ids=False,
)


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
            parent_exists=store.SCOPED.exists,
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
