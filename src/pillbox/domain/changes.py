"""Change history: what each write to a party, opportunity, project or task changed, when, by
which user and through what.

Every layer that writes through the domain says once what it is, around its work:

    from pillbox.domain import changes

    with changes.via("web"):
        update_party(conn, who, party_id, data)

`via` is one of VIAS: `api-v2` and `api-v1` (set by the API gates for each request), `web`,
`import` (CSV import), `merge` (set by a merge of parties itself) and `capsule-import`. A write
made outside all of them (seeding a database) is recorded with `via` null.

What a write records, in its own transaction and in one INSERT (`record`):
- one row per property it changed, named as the API names it (`jobTitle`), with the value before
  and after as the API shows it: a reference as `{"id": N}`, `value` as `{"amount", "currency"}`;
- a creation: every property it set, from null;
- a sub-collection sent (`emailAddresses`, `phoneNumbers`, `addresses`, `websites`): the whole
  list before and after, each item as `{"type", …its fields}` without ids; `tags`: the sorted
  tag names; `fields`: `{"<definition name>": value}`;
- a deletion: `deletedAt`, from null to the time of deletion. The rows outlive the record.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from pillbox import timestamps
from pillbox.domain.fields import wire_value
from pillbox.store import changes as store
from pillbox.store import parties as party_store
from pillbox.store import records
from pillbox.store.accounts import Principal

VIAS = ("api-v2", "api-v1", "web", "import", "merge", "capsule-import")
_VIA: ContextVar[str | None] = ContextVar("pillbox_via", default=None)

Change = tuple[str, Any, Any]  # (API field name, value before, value after)


@contextmanager
def via(name: str) -> Iterator[None]:
    """Records the writes made inside as made through `name` (one of VIAS)."""
    if name not in VIAS:
        raise ValueError(f"unknown via {name!r}")
    token = _VIA.set(name)
    try:
        yield
    finally:
        _VIA.reset(token)


def current_via() -> str | None:
    return _VIA.get()


@dataclass(frozen=True)
class Field:
    """A property of a record as the API names it, over the column(s) that hold it."""

    name: str
    columns: tuple[str, ...]
    keys: tuple[str, ...] = ()  # a property made of several columns: its keys, in column order
    ref: bool = False  # the column holds the id of another record: shown as {"id": N}

    def value(self, row: Mapping[str, Any] | None) -> Any:
        if row is None:
            return None
        if self.keys:
            parts = {
                key: row.get(column) for key, column in zip(self.keys, self.columns, strict=True)
            }
            return parts if any(v is not None for v in parts.values()) else None
        found = row.get(self.columns[0])
        return {"id": found} if self.ref and found is not None else found


def plain(name: str, column: str) -> Field:
    return Field(name, (column,))


def ref(name: str, column: str) -> Field:
    return Field(name, (column,), ref=True)


def field_changes(
    fields: tuple[Field, ...],
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    columns: set[str] | None = None,
) -> list[Change]:
    """The properties whose value differs between two versions of a row (a creation when
    `before` is None), looking only at `columns` when given."""
    found = []
    for field in fields:
        if columns is not None and columns.isdisjoint(field.columns):
            continue
        old, new = field.value(before), field.value(after)
        if old != new:
            found.append((field.name, old, new))
    return found


def list_change(name: str, before: Any, after: Any) -> list[Change]:
    return [(name, before, after)] if before != after else []


def record(
    conn: sa.Connection, actor: Principal, entity: str, record_id: int, found: list[Change]
) -> None:
    """Writes one record's changes (nothing when there are none)."""
    record_many(conn, actor, [(entity, record_id, change) for change in found])


def record_many(
    conn: sa.Connection, actor: Principal, found: list[tuple[str, int, Change]]
) -> None:
    """Writes changes of several records in one INSERT."""
    if not found:
        return
    account_id, user_id = actor.account_id, actor.user_id or None
    at, via_name = timestamps.now(), _VIA.get()
    dumps = _json
    store.add(
        conn,
        [
            (account_id, entity, record_id, at, user_id, via_name, name, dumps(old), dumps(new))
            for entity, record_id, (name, old, new) in found
        ],
    )


def deletion(at: str | None = None) -> Change:
    return ("deletedAt", None, at or timestamps.now())


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def shown(stored: str | None) -> Any:
    """A stored value as the API shows it."""
    return None if stored is None else orjson.loads(stored)


# -- sub-collections ---------------------------------------------------------------------------

PARTY_CHILDREN = ("addresses", "phoneNumbers", "websites", "emailAddresses")
COLLECTIONS = (*PARTY_CHILDREN, "tags", "fields")


def empty_collections(names: list[str]) -> dict[str, Any]:
    """What a new record's sub-collections hold before its creation applies them."""
    return {name: {} if name == "fields" else [] for name in names}


def collections(
    conn: sa.Connection, entity: str, record_id: int, names: list[str]
) -> dict[str, Any]:
    """The record's sub-collections `names` as the history shows them."""
    state: dict[str, Any] = {}
    if "tags" in names:
        tags = records.load_tags(conn, entity, [record_id]).get(record_id, [])
        state["tags"] = sorted(row.name for row in tags)
    if "fields" in names:
        values = records.load_field_values(conn, entity, [record_id]).get(record_id, [])
        state["fields"] = {
            row.definition_name: wire_value(row.definition_type, row.value) for row in values
        }
    kinds = [name for name in names if name in PARTY_CHILDREN]
    if kinds:
        children = party_store.load_children(conn, [record_id])
        for kind in kinds:
            items = children[kind].get(record_id, [])
            state[kind] = [{k: v for k, v in item.items() if k != "id"} for item in items]
    return state


def collection_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    return [(name, before[name], after[name]) for name in before if before[name] != after[name]]


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


_ATTRIBUTES = tuple((name, _snake(name)) for name in COLLECTIONS)


def sent_collections(data: Any) -> list[str]:
    """The sub-collections a write body sends items for (an empty list changes nothing)."""
    return [name for name, attribute in _ATTRIBUTES if getattr(data, attribute, None)]


def applying(
    conn: sa.Connection, entity: str, record_id: int | None, names: list[str]
) -> dict[str, Any]:
    """The sub-collections `names` before a write applies them (empty for a new record)."""
    if record_id is None or not names:
        return empty_collections(names)
    return collections(conn, entity, record_id, names)


def applied(
    conn: sa.Connection, entity: str, record_id: int, before: dict[str, Any]
) -> list[Change]:
    """The changes to the sub-collections in `before` once the write applied them."""
    if not before:
        return []
    return collection_changes(before, collections(conn, entity, record_id, list(before)))
