"""/api/v2/activitytypes: Capsule's built-in activity types and the account's own."""

from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.domain import activity_types as domain
from pillbox.store import activity_types as store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing


def icon_to_wire(icon_id: str) -> dict[str, Any]:
    icon = domain.ICONS.get(icon_id) or domain.ICONS["OTHER"]
    return {
        "order": icon.order,
        "id": icon.id,
        "displayName": icon.display_name,
        "iconName": icon.icon_name,
        "isSystem": icon.is_system,
    }


def to_wire(type_id: int, name: str, icon_id: str, updates: bool) -> dict[str, Any]:
    return {
        "id": type_id,
        "name": name,
        "icon": icon_to_wire(icon_id),
        "updateLastContacted": bool(updates),
    }


def render(
    conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    rows = store.load(conn, who.account_id, [i for i in ids if i > 0])
    items = []
    for type_id in ids:
        built_in = domain.BUILT_IN.get(type_id)
        if built_in is not None:
            items.append(
                to_wire(
                    built_in.id, built_in.name, built_in.icon_id, built_in.update_last_contacted
                )
            )
        elif type_id in rows:
            row = rows[type_id]
            items.append(to_wire(row.id, row.name, row.icon_id, row.update_last_contacted))
    return items


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    """The built-in types first, then the account's own, paged as one list."""
    built_in = domain.BUILT_IN_IDS[listing.offset : listing.offset + listing.limit]
    offset = max(0, listing.offset - len(domain.BUILT_IN_IDS))
    limit = listing.limit - len(built_in)
    own = store.page_ids(conn, account_id, offset, limit) if limit > 0 else []
    return built_in + own


ACTIVITY_TYPES = Resource(
    singular="activityType",
    plural="activityTypes",
    route="/activitytypes",
    name="activity_types",
    embeds=frozenset(),
    render=render,
    page_ids=_page_ids,
    wire_schema=schemas.ACTIVITY_TYPE,
    input_model=domain.ActivityTypeInput,
    create=domain.create_activity_type,
    update=domain.update_activity_type,
    delete=domain.delete_activity_type,
    since=False,
    deleted_feed=False,
    many_ids=False,
    signed_ids=True,
)

ENDPOINTS = resource_endpoints(ACTIVITY_TYPES)
