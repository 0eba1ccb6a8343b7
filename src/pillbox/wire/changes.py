"""A record's change history as the API shows it: one change per row of the history."""

from typing import Any

from pillbox.domain.changes import shown
from pillbox.store import changes as store
from pillbox.wire.render import rows_render


def to_wire(row: Any) -> dict[str, Any]:
    user = None if row.user_id is None else {"id": row.user_id, "name": row.user_name}
    return {
        "id": row.id,
        "at": row.at,
        "user": user,
        "via": row.via,
        "field": row.field,
        "from": shown(row.old_value),
        "to": shown(row.new_value),
    }


render = rows_render(store.load, to_wire)
