"""A job: how far a long-running operation has got."""

from typing import Any


def to_wire(row: Any, imported: dict[str, Any] | None = None) -> dict[str, Any]:
    wire = {"status": row.status, "progress": row.progress, "action": row.action, "id": row.id}
    if imported is not None:  # a Pillbox extension: what a CSV import has done so far
        wire["import"] = imported
    return wire
