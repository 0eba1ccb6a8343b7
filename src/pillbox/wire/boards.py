"""Boards and their stages: the columns projects move through."""

from typing import Any

from pillbox.store import boards as store
from pillbox.wire.render import rows_render
from pillbox.wire.stage_containers import container_to_wire

board_to_wire = container_to_wire


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
