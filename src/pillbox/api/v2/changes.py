"""`GET /{parties|opportunities|kases|tasks}/{id}/changes`: a record's change history, newest
first (a Pillbox extension; what is recorded is described in domain/changes.py).

The history of a deleted record stays readable at the same address: a record answers while it
exists or while the account holds history for it, so a deleted record's id still lists its
changes (the last being its `deletedAt`), and an id the account never had is a 404.
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Endpoint, Resource, SubList, sub_list_endpoint
from pillbox.api.v2.schemas import INTEGER, STRING
from pillbox.domain.changes import VIAS
from pillbox.store import changes as store
from pillbox.store import kases, opportunities, parties, tasks
from pillbox.wire import changes as wire

_VALUE: dict[str, Any] = {}  # any JSON value, null included
CHANGE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": INTEGER,
        "at": STRING,
        "user": {
            "type": ["object", "null"],
            "properties": {"id": INTEGER, "name": {"type": ["string", "null"]}},
            "required": ["id", "name"],
        },
        "via": {"enum": [*VIAS, None]},
        "field": STRING,
        "from": _VALUE,
        "to": _VALUE,
    },
    "required": ["id", "at", "user", "via", "field", "from", "to"],
}


CHANGES = Resource(
    singular="change",
    plural="changes",
    embeds=frozenset(),
    render=wire.render,
    page_ids=None,  # listed per record only
    wire_schema=CHANGE_SCHEMA,
    route="/changes",
    since=False,
    deleted_feed=False,
    many_ids=False,
)

Find = Callable[[sa.Connection, int, int], Any]
RECORDS: tuple[tuple[str, str, Find], ...] = (
    ("parties", "party", parties.find),
    ("opportunities", "opportunity", opportunities.find),
    ("kases", "project", kases.find),
    ("tasks", "task", tasks.find),
)


def _changes_of(entity: str, label: str, find: Find) -> Endpoint:
    def exists(conn: sa.Connection, account_id: int, record_id: int) -> bool:
        if find(conn, account_id, record_id) is not None:
            return True
        return store.has_history(conn, account_id, entity, record_id)

    def page(
        conn: sa.Connection, account_id: int, record_id: int, offset: int, limit: int
    ) -> list[int]:
        return store.page_ids(conn, account_id, entity, record_id, offset, limit)

    listing = SubList(
        path=f"/{entity}/{{id}}/changes",
        summary=f"List the changes made to a {label}, newest first",
        resource=CHANGES,
        parent_exists=exists,
        page_ids=page,
    )
    return sub_list_endpoint(listing, f"list_{entity}_changes")


ENDPOINTS = [_changes_of(*record) for record in RECORDS]
