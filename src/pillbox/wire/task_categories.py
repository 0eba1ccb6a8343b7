"""A task category."""

from typing import Any

from pillbox.store import task_categories as store
from pillbox.wire.render import rows_render


def to_wire(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "colour": row.colour}


render = rows_render(store.load, to_wire)
