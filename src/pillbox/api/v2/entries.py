"""/api/v2/entries: notes, emails and completed tasks, by date or per record."""

from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.kit.extras import embed_full
from pillbox.api.v2 import activity_types, kases, opportunities, parties, schemas, users
from pillbox.api.v2.nested import nested_party, nested_user
from pillbox.api.v2.per_record import per_record_lists
from pillbox.domain import entries as domain
from pillbox.domain.activity_types import BUILT_IN
from pillbox.store import activity_types as activity_type_store
from pillbox.store import entries as store
from pillbox.store import parties as party_store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing


def _attachment(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "filename": row.filename,
        "contentType": row.content_type,
        "size": row.size,
    }


def _participant(row: Any) -> dict[str, Any]:
    return {"id": row.id, "address": row.address, "name": row.name, "role": row.role}


def to_wire(row: Any, related: dict[str, Any]) -> dict[str, Any]:
    """An entry with the keys Capsule's examples show for its type, in their order."""
    wire: dict[str, Any] = {"id": row.id, "type": row.type}
    if row.type != "task":
        wire["attachments"] = [_attachment(a) for a in related["attachments"].get(row.id, [])]
    if row.type == "email":
        wire["parties"] = [related["parties"][p] for p in related["filed"].get(row.id, [])]
    creator = None
    if row.creator_id is not None:
        creator = nested_user(
            row.creator_id, row.creator_username, row.creator_name, row.creator_deleted
        )
    wire["creator"] = creator
    wire["activityType"] = {
        "id": row.activity_type_id,
        "name": related["type_names"].get(row.activity_type_id, "Note"),
    }
    if row.type == "email":
        wire["subject"] = row.subject
    wire.update(
        createdAt=row.created_at,
        updatedAt=row.updated_at,
        content=row.content,
        entryAt=row.entry_at,
    )
    if row.type == "email":
        wire["participants"] = [_participant(p) for p in related["participants"].get(row.id, [])]
    elif row.party_id is not None:
        wire["party"] = nested_party(
            row.party_id, row.party_type, row.party_first_name, row.party_last_name, row.party_name
        )
    elif row.opportunity_id is not None:
        wire["opportunity"] = {"id": row.opportunity_id, "name": row.opportunity_name}
    elif row.kase_id is not None:
        wire["kase"] = {"id": row.kase_id, "name": row.kase_name}
    return wire


def _related(conn: sa.Connection, account_id: int, rows: list[Any]) -> dict[str, Any]:
    """What a page of entries shows besides themselves: one query per kind, whatever the page."""
    ids = [row.id for row in rows]
    emails = [row.id for row in rows if row.type == "email"]
    filed = store.filed_parties(conn, emails) if emails else {}
    party_ids = sorted({p for ps in filed.values() for p in ps})
    party_rows = party_store.load(conn, account_id, party_ids) if party_ids else {}
    custom = [r.activity_type_id for r in rows if r.activity_type_id not in BUILT_IN]
    names = {type_id: t.name for type_id, t in BUILT_IN.items()}
    if custom:
        loaded = activity_type_store.load(conn, account_id, custom)
        names.update({type_id: row.name for type_id, row in loaded.items()})
    return {
        "attachments": store.load_attachments(conn, ids),
        "filed": filed,
        "parties": {
            i: nested_party(i, r.type, r.first_name, r.last_name, r.name)
            for i, r in party_rows.items()
        },
        "participants": store.participants(conn, emails) if emails else {},
        "type_names": names,
    }


_FULL = {
    "party": ("party", parties.render),
    "kase": ("kase", kases.render),
    "opportunity": ("opportunity", opportunities.render),
    "creator": ("creator", users.render),
    "activityType": ("activityType", activity_types.render),
}


def render(
    conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = store.load(conn, who.account_id, ids)
    found = [rows[i] for i in ids if i in rows]
    if not found:
        return []
    related = _related(conn, who.account_id, found)
    items = [to_wire(row, related) for row in found]
    for embed in embeds & set(_FULL):
        key, full_render = _FULL[embed]
        embed_full(items, key, full_render, conn, who)
    return items


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, listing.offset, listing.limit)


ENTRIES = Resource(
    singular="entry",
    plural="entries",
    embeds=frozenset(_FULL),
    render=render,
    page_ids=_page_ids,
    wire_schema=schemas.ENTRY,
    input_model=domain.EntryInput,
    create=domain.create_entry,
    update=domain.update_entry,
    delete=domain.delete_entry,
    since=False,
    deleted_feed=False,
    many_ids=False,
    newest_first=True,
)

ENDPOINTS = [
    *resource_endpoints(ENTRIES),
    *per_record_lists(
        ENTRIES, store.record_entry_ids, "List the entries of one of the {entity}, newest first"
    ),
]
