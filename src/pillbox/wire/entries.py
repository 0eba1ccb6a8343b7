"""An entry (note, email or completed task) as Capsule shows it, with what it is filed on."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain.activity_types import BUILT_IN
from pillbox.store import activity_types as activity_type_store
from pillbox.store import entries as store
from pillbox.store import parties as party_store
from pillbox.store.accounts import Principal
from pillbox.wire.nested import nested_party, nested_user
from pillbox.wire.render import found_rows


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


def render(
    conn: sa.Connection, who: Principal, ids: list[int], _embeds: frozenset[str]
) -> list[dict[str, Any]]:
    """Entries with their short references; the full records come from `renderers`."""
    found = found_rows(store.load, conn, who, ids)
    if not found:
        return []
    related = _related(conn, who.account_id, found)
    return [to_wire(row, related) for row in found]
