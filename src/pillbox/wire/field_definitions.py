"""A custom field definition of one record type."""

from functools import partial
from typing import Any

import sqlalchemy as sa

from pillbox.store import field_definitions as store
from pillbox.store.accounts import Principal
from pillbox.wire.render import Render, found_rows


def to_wire(row: Any) -> dict[str, Any]:
    """A definition as Capsule sends it, key for key in Capsule's order."""
    tag = None
    if row.tag_id is not None:
        tag = {"id": row.tag_id, "name": row.tag_name, "dataTag": row.tag_data_tag}
    return {
        "id": row.id,
        "type": row.type,
        "description": row.description,
        "important": row.important,
        "displayOrder": row.display_order,
        "name": row.name,
        "tag": tag,
        "captureRule": row.capture_rule,
        "options": row.options,
    }


def _render(
    entity: str, conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
        return store.load(conn, account_id, entity, ids)

    return [to_wire(row) for row in found_rows(load, conn, who, ids)]


def renderer(entity: str) -> Render:
    """The Render of the field definitions of `entity` ("parties", …)."""
    return partial(_render, entity)
