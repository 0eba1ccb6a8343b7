"""A job: how far a long-running operation has got."""

from typing import Any


def to_wire(row: Any) -> dict[str, Any]:
    return {"status": row.status, "progress": row.progress, "action": row.action, "id": row.id}
