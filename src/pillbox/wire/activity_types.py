"""An activity type: one of Capsule's built-in ones (negative ids) or the account's own."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain import activity_types as domain
from pillbox.store import activity_types as store
from pillbox.store.accounts import Principal


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
