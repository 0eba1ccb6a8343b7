"""A person title of the account."""

from typing import Any

from pillbox.store import titles as store
from pillbox.wire.render import rows_render


def to_wire(row: Any) -> dict[str, Any]:
    return {"id": row.id, "title": row.title}


render = rows_render(store.load, to_wire)
