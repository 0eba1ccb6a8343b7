"""Records filed on one main party (opportunities, projects): the rules they share.

Both take `name` (required), `description`, `party` (the main party), `owner` and `team`; both
carry tags and custom fields, take tracks on create, keep a change history, are searchable,
fire created/updated/moved/closed/deleted REST hooks, go when their main party goes, and link
additional parties. domain/opportunities.py and domain/kases.py keep what differs: milestones,
value and duration; status and stage.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.domain import changes, hooks
from pillbox.domain.base import required_name
from pillbox.domain.ownership import resolve_owner, resolve_team
from pillbox.domain.records import (
    add_additional_party,
    apply_tags_and_fields,
    main_party_id,
    remove_additional_party,
    remove_record,
)
from pillbox.domain.tracks import apply_on_create
from pillbox.errors import NotFound
from pillbox.store import search
from pillbox.store.accounts import Principal
from pillbox.store.additional_parties import PartyLinks
from pillbox.store.party_records import PartyRecords


@dataclass(frozen=True)
class PartyRecordKind:
    """What differs between the two in what they share."""

    resource: str  # "kase": 422 `resource`, REST hook prefix, record type of tracks
    entity: str  # "kases": tags, fields, changes and tombstones
    store: PartyRecords
    links: PartyLinks  # additional parties
    fields: tuple[changes.Field, ...]  # the change history's fields
    moved_by: str  # the column whose change fires `moved`: "stage_id"
    closes: Callable[[dict[str, Any]], bool]  # whether changed columns close the record

    def hook(self, conn: sa.Connection, account_id: int, event: str, record_id: int) -> None:
        hooks.emit(conn, account_id, f"{self.resource}/{event}", record_id)

    def found(self, conn: sa.Connection, account_id: int, record_id: int) -> Any:
        """The account's record, or NotFound."""
        current = self.store.find(conn, account_id, record_id)
        if current is None:
            raise NotFound()
        return current


def shared_changes(
    conn: sa.Connection, account_id: int, kind: PartyRecordKind, data: Any
) -> dict[str, Any]:
    """Columns for the shared properties sent: name, description, party, owner, team.

    `data` (here and below) is an OpportunityInput or a KaseInput: both have those, and `tags`,
    `fields` and `tracks`."""
    resource = kind.resource
    values: dict[str, Any] = {}
    if data.sent("name"):
        values["name"] = required_name(data.name, resource)
    if data.sent("description"):
        values["description"] = data.description
    if data.sent("party"):
        values["party_id"] = main_party_id(conn, account_id, data.party, resource)
    if data.sent("owner"):
        values["owner_id"] = resolve_owner(conn, account_id, data.owner, resource)
    if data.sent("team"):
        values["team_id"] = resolve_team(conn, account_id, data.team, resource)
    return values


def _apply_extras(
    conn: sa.Connection, account_id: int, kind: PartyRecordKind, record_id: int, data: Any
) -> bool:
    return apply_tags_and_fields(
        conn, account_id, kind.entity, record_id, data.tags, data.fields, kind.resource
    )


def insert(
    conn: sa.Connection, who: Principal, kind: PartyRecordKind, values: dict[str, Any], data: Any
) -> int:
    """Writes a new record from checked `values`, then its tags, fields, history, search
    entry, tracks and hooks; returns its id."""
    account_id = who.account_id
    record_id = kind.store.insert(conn, values)
    before = changes.applying(conn, kind.entity, None, changes.sent_collections(data))
    _apply_extras(conn, account_id, kind, record_id, data)
    found = changes.field_changes(kind.fields, None, values)
    found += changes.applied(conn, kind.entity, record_id, before)
    changes.record(conn, who, kind.entity, record_id, found)
    search.reindex(conn, account_id, record_id, kind.store.index)
    apply_on_create(conn, who, kind.resource, record_id, data.tracks or [])
    kind.hook(conn, account_id, "created", record_id)
    if values.get("closed_on") is not None:
        kind.hook(conn, account_id, "closed", record_id)
    return record_id


def save(
    conn: sa.Connection,
    who: Principal,
    kind: PartyRecordKind,
    current: Any,
    values: dict[str, Any],
    data: Any,
) -> None:
    """Writes checked `values` over `current` and the tags and fields sent, with history, search
    entry and hooks, when anything changed."""
    account_id, record_id = who.account_id, current.id
    before = changes.applying(conn, kind.entity, record_id, changes.sent_collections(data))
    extras_changed = _apply_extras(conn, account_id, kind, record_id, data)
    changed = {k: v for k, v in values.items() if getattr(current, k) != v}
    if changed or extras_changed:
        row = current._asdict()
        found = changes.field_changes(kind.fields, row, {**row, **changed}, set(changed))
        found += changes.applied(conn, kind.entity, record_id, before)
        changes.record(conn, who, kind.entity, record_id, found)
        changed["updated_at"] = timestamps.now()
        kind.store.update(conn, account_id, record_id, changed)
        kind.hook(conn, account_id, "updated", record_id)
        if kind.moved_by in changed:
            kind.hook(conn, account_id, "moved", record_id)
        if kind.closes(changed):
            kind.hook(conn, account_id, "closed", record_id)
    if "name" in changed or "description" in changed or data.fields:
        search.reindex(conn, account_id, record_id, kind.store.index)


def delete(conn: sa.Connection, who: Principal, kind: PartyRecordKind, record_id: int) -> None:
    kind.found(conn, who.account_id, record_id)
    _delete(conn, who, kind, record_id)


def delete_of_party(
    conn: sa.Connection, who: Principal, kind: PartyRecordKind, party_id: int
) -> None:
    """A deleted party takes the records it is the main party of along, as in Capsule."""
    for record_id in kind.store.ids_of_party(conn, who.account_id, party_id):
        _delete(conn, who, kind, record_id)


def _delete(conn: sa.Connection, who: Principal, kind: PartyRecordKind, record_id: int) -> None:
    account_id = who.account_id
    changes.record(conn, who, kind.entity, record_id, [changes.deletion()])
    remove_record(
        conn,
        account_id,
        kind.entity,
        record_id,
        kind.store.index,
        f"{kind.resource}_id",
        kind.store.delete,
    )
    kind.hook(conn, account_id, "deleted", record_id)


def add_party(
    conn: sa.Connection, who: Principal, kind: PartyRecordKind, record_id: int, party_id: int
) -> None:
    add_additional_party(
        conn, who, kind.links, _main_party(kind), record_id, party_id, kind.resource
    )


def remove_party(
    conn: sa.Connection, who: Principal, kind: PartyRecordKind, record_id: int, party_id: int
) -> None:
    remove_additional_party(conn, who, kind.links, _main_party(kind), record_id, party_id)


def _main_party(kind: PartyRecordKind) -> Callable[[sa.Connection, int, int], int | None]:
    def main_party_of(conn: sa.Connection, account_id: int, record_id: int) -> int | None:
        found = kind.store.find(conn, account_id, record_id)
        return None if found is None else int(found.party_id)

    return main_party_of
