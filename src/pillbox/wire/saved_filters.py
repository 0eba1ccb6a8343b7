"""Saved filters as the API shows them: the filter body they were saved with, and a name."""

from collections.abc import Callable
from typing import Any

import orjson
import sqlalchemy as sa

from pillbox.store import saved_filters as store
from pillbox.store.accounts import Principal


def to_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "conditions": orjson.loads(row.conditions),
        "orderBy": orjson.loads(row.order_by),
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }


def renderer(
    entity: str,
) -> Callable[[sa.Connection, Principal, list[int], frozenset[str]], list[dict[str, Any]]]:
    """The render of one record type's saved filters (others' ids are not found)."""

    def render(
        conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
    ) -> list[dict[str, Any]]:
        rows = store.load(conn, who.account_id, entity, ids)
        return [to_wire(rows[i]) for i in ids if i in rows]

    return render
