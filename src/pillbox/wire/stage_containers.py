"""A board or a pipeline as Capsule shows it: the containers of stages look alike."""

from typing import Any


def container_to_wire(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }
