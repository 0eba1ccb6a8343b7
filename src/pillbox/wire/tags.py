"""The tags of one record type (parties, opportunities or kases)."""

from functools import partial
from typing import Any

import sqlalchemy as sa

from pillbox.store import tags as store
from pillbox.store.accounts import Principal
from pillbox.wire.extras import tag_to_wire
from pillbox.wire.render import Render, found_rows


def _render(
    entity: str, conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    def load(conn: sa.Connection, account_id: int, ids: list[int]) -> dict[int, Any]:
        return store.load(conn, account_id, entity, ids)

    return [tag_to_wire(row) for row in found_rows(load, conn, who, ids)]


def renderer(entity: str) -> Render:
    """The Render of the tags of `entity` ("parties", …)."""
    return partial(_render, entity)
