"""Entries: notes (the API creates them), emails (filed from mail) and completed-task records.

- A note is linked to exactly one party, opportunity or project, has an activity type (the
  built-in Note by default) and needs content or at least one attachment.
- Notes and emails can be changed (content, attachments; a note's activity type and `entryAt`,
  an email's subject); task entries cannot.
- Attachments are added by upload token and removed by id with `_delete`; taking the last one
  from an entry without content is refused (delete the entry instead).
- Logging an entry whose activity type updates "last contacted" moves the record's
  `lastContactedAt` forward to the entry's time (a person's organisation's too).
"""

from datetime import timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BeforeValidator, Field, StrictInt

from pillbox import clock, timestamps
from pillbox.domain.activity_types import BUILT_IN
from pillbox.domain.base import CollectionItem, InputModel, LongText, RefIn
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import activity_types as activity_type_store
from pillbox.store import entries as store
from pillbox.store import kases as kase_store
from pillbox.store import opportunities as opportunity_store
from pillbox.store import parties as party_store
from pillbox.store.accounts import Principal
from pillbox.store.tables.kases import kases
from pillbox.store.tables.opportunities import opportunities
from pillbox.store.tables.parties import parties

RESOURCE = "entry"
NOTE_TYPE = -1
TASK_COMPLETED_TYPE = -4
UPLOAD_LIFETIME = timedelta(hours=24)  # an upload not attached by then is removed
LINKS = ("party", "opportunity", "kase")


class AttachmentIn(CollectionItem):
    token: Annotated[str, Field(max_length=200)] | None = None


class TypeRef(InputModel):
    id: StrictInt | None = None  # built-in activity types have negative ids


def _bare_id(value: Any) -> Any:
    return {"id": value} if isinstance(value, int) and not isinstance(value, bool) else value


class EntryInput(InputModel):
    type: Annotated[str, Field(max_length=20)] | None = None
    party: RefIn | None = None
    opportunity: RefIn | None = None
    kase: RefIn | None = None
    activity_type: Annotated[TypeRef, BeforeValidator(_bare_id)] | None = None
    entry_at: Annotated[str, Field(max_length=40)] | None = None
    subject: LongText | None = None
    content: LongText | None = None
    attachments: Annotated[list[AttachmentIn], Field(max_length=50)] | None = None


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, RESOURCE, field)


def _link(conn: sa.Connection, account_id: int, data: EntryInput) -> tuple[str, int]:
    """The one record a new note is filed on: ("party_id", 5)."""
    sent = [(name, getattr(data, name)) for name in LINKS if getattr(data, name) is not None]
    if len(sent) != 1:
        raise _fail("entry must be linked to either a party, opportunity or kase", "party")
    name, ref = sent[0]
    finders = {
        "party": party_store.find,
        "opportunity": opportunity_store.find,
        "kase": kase_store.find,
    }
    if ref.id is None or finders[name](conn, account_id, ref.id) is None:
        raise _fail(f"{name} not found", name)
    return f"{name}_id", ref.id


def activity_type_id(conn: sa.Connection, account_id: int, ref: TypeRef | None) -> int:
    if ref is None or ref.id is None:
        return NOTE_TYPE
    if ref.id in BUILT_IN or activity_type_store.load(conn, account_id, [ref.id]):
        return ref.id
    raise _fail("activityType not found", "activityType")


def _entry_at(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return timestamps.now()
    try:
        return timestamps.parse(raw)
    except (ValueError, OverflowError):
        raise _fail("entryAt is invalid", "entryAt") from None


def _updates_last_contacted(conn: sa.Connection, account_id: int, type_id: int) -> bool:
    if type_id in BUILT_IN:
        return BUILT_IN[type_id].update_last_contacted
    row = activity_type_store.load(conn, account_id, [type_id]).get(type_id)
    return bool(row and row.update_last_contacted)


def _touch(conn: sa.Connection, table: sa.Table, record_id: int, at: str) -> None:
    last = table.c.last_contacted_at
    conn.execute(
        table.update()
        .where(table.c.id == record_id, sa.or_(last.is_(None), last < at))
        .values(last_contacted_at=at)
    )


def record_contact(conn: sa.Connection, account_id: int, entry: dict[str, Any]) -> None:
    """Moves `lastContactedAt` of the entry's record forward, if its activity type says so."""
    if not _updates_last_contacted(conn, account_id, entry["activity_type_id"]):
        return
    at = entry["entry_at"]
    if entry.get("party_id"):
        party = party_store.find(conn, account_id, entry["party_id"])
        _touch(conn, parties, entry["party_id"], at)
        if party is not None and party.organisation_id is not None:
            _touch(conn, parties, party.organisation_id, at)
    if entry.get("opportunity_id"):
        _touch(conn, opportunities, entry["opportunity_id"], at)
    if entry.get("kase_id"):
        _touch(conn, kases, entry["kase_id"], at)


def _apply_attachments(
    conn: sa.Connection, account_id: int, entry_id: int, items: list[AttachmentIn]
) -> bool:
    fresh_since = upload_cut_off(clock.epoch())
    for item in items:
        if item.delete:
            if item.id is None or not store.detach(conn, entry_id, item.id):
                raise _fail("attachment not found", "attachments.id")
            continue
        if item.token is None:
            raise _fail("token is required", "attachments.token")
        upload = store.take_upload(conn, account_id, item.token, fresh_since)
        if upload is None:
            raise _fail("attachment token is invalid", "attachments.token")
        store.attach(conn, account_id, entry_id, upload)
    return bool(items)


def _check_has_something(conn: sa.Connection, entry_id: int, content: str | None) -> None:
    if not (content or "").strip() and store.attachment_count(conn, entry_id) == 0:
        raise _fail("an entry needs content or an attachment; delete it instead", "content")


def create_entry(conn: sa.Connection, who: Principal, data: EntryInput) -> int:
    account_id = who.account_id
    if data.type is None:
        raise _fail("type is required", "type")
    if data.type != "note":
        raise _fail("only notes can be created", "type")
    column, record_id = _link(conn, account_id, data)
    now = timestamps.now()
    values: dict[str, Any] = {
        "account_id": account_id,
        "type": "note",
        column: record_id,
        "creator_id": who.user_id,
        "activity_type_id": activity_type_id(conn, account_id, data.activity_type),
        "content": data.content,
        "entry_at": _entry_at(data.entry_at),
        "created_at": now,
        "updated_at": now,
    }
    entry_id = store.insert(conn, values)
    _apply_attachments(conn, account_id, entry_id, data.attachments or [])
    _check_has_something(conn, entry_id, data.content)
    record_contact(conn, account_id, values)
    return entry_id


def update_entry(conn: sa.Connection, who: Principal, entry_id: int, data: EntryInput) -> None:
    account_id = who.account_id
    current = store.find(conn, account_id, entry_id)
    if current is None:
        raise NotFound()
    if current.type == "task":
        raise _fail("task entries cannot be changed", "type")
    values: dict[str, Any] = {}
    if data.sent("content"):
        values["content"] = data.content
    if data.sent("subject") and current.type == "email":
        values["subject"] = data.subject
    if current.type == "note":
        if data.sent("activity_type"):
            values["activity_type_id"] = activity_type_id(conn, account_id, data.activity_type)
        if data.sent("entry_at"):
            values["entry_at"] = _entry_at(data.entry_at)
    changed = _apply_attachments(conn, account_id, entry_id, data.attachments or [])
    _check_has_something(conn, entry_id, values.get("content", current.content))
    if values or changed:
        store.update(conn, who.account_id, entry_id, {**values, "updated_at": timestamps.now()})
        record_contact(conn, account_id, {**current._asdict(), **values})


def delete_entry(conn: sa.Connection, who: Principal, entry_id: int) -> None:
    if store.find(conn, who.account_id, entry_id) is None:
        raise NotFound()
    store.delete(conn, who.account_id, entry_id)


def file_email(
    conn: sa.Connection,
    account_id: int,
    *,
    creator_id: int | None,
    subject: str,
    content: str,
    entry_at: str,
    party_ids: list[int],
    participants: list[dict[str, Any]],
) -> int:
    """Files an email against parties, as mail capture does (for imports and seeding; the API
    itself creates notes only). `participants`: {"address", "name", "role": FROM/TO/CC}."""
    now = timestamps.now()
    values: dict[str, Any] = {
        "account_id": account_id,
        "type": "email",
        "creator_id": creator_id,
        "activity_type_id": -5,
        "subject": subject,
        "content": content,
        "entry_at": entry_at,
        "created_at": now,
        "updated_at": now,
    }
    entry_id = store.insert(conn, values)
    store.file_email(conn, entry_id, party_ids, participants)
    for party_id in party_ids:
        record_contact(conn, account_id, {**values, "party_id": party_id})
    return entry_id


def file_task_completion(
    conn: sa.Connection,
    account_id: int,
    creator_id: int,
    description: str,
    completed_at: str,
    column: str,
    record_id: int,
) -> int:
    """Files the "Task completed" entry a task leaves on its record (`column`: "party_id")."""
    now = timestamps.now()
    values: dict[str, Any] = {
        "account_id": account_id,
        "type": "task",
        column: record_id,
        "creator_id": creator_id,
        "activity_type_id": TASK_COMPLETED_TYPE,
        "content": description,
        "entry_at": completed_at,
        "created_at": now,
        "updated_at": now,
    }
    entry_id = store.insert(conn, values)
    record_contact(conn, account_id, values)
    return entry_id


def upload_cut_off(now: float) -> str:
    """Uploads made before this time (`now` in epoch seconds) and never attached have expired."""
    return timestamps.format_epoch(now - UPLOAD_LIFETIME.total_seconds())
