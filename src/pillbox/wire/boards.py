"""Boards and their stages: the columns projects move through."""

from typing import Any

from pillbox.store import boards as store
from pillbox.wire.render import rows_render


def board_to_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }


def stage_to_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "board": {"id": row.board_id, "name": row.board_name},
        "displayOrder": row.display_order,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }


render_boards = rows_render(store.load_boards, board_to_wire)
render_stages = rows_render(store.load_stages, stage_to_wire)
