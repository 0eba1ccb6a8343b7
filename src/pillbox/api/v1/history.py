"""API v1 history: the notes, emails and completed tasks of a party, opportunity or case
(reference §8).

A `historyItem` is a v2 entry: every read renders the v2 entry (wire.renderers.ENTRY) as a v1
document, and every write builds the v2 `EntryInput` for the v2 domain functions, so both APIs
keep the same entries under the same rules. The mapping (reference §8 and §15):

- `type`: `Note`, `Email` or `Task` (a completed task). `note` is the content, `entryDate` the
  entry's time, `creator`/`creatorName` its creator's username and name.
- `subject`: an email's own; for notes and tasks, derived as Capsule did: the content with its
  whitespace run together, cut after 75 characters and ended with `...`.
- `attachments` (`id`, `filename`, `contentType`) and an email's `participants` (`name`,
  `emailAddress`, `role`) are shown when there are some, and are read-only. Where the item is
  filed: `partyId`/`partyName`/`partyPictureURL`, `opportunityId`/`opportunityName` or
  `caseId`/`caseName`. An email filed on several parties shows the party whose history is
  listed, else the first.
- Writes take `note` (required when creating), `entryDate` (default: now; any ISO 8601
  date-time, or a plain date for midnight UTC) and, when creating, `creator` (a username of the
  account; default: the token's user). Only the creator of a new note can be chosen: v2 keeps an
  entry's creator, so a `creator` sent in an update is ignored, as are the read-only elements.
- Only notes can be changed through v1 (a 400 for emails and completed tasks, which v1 showed as
  read-only); any item can be deleted, as in v2. `PUT` and `DELETE` answer 200 with an empty
  body, `POST` 201 with the `Location` `/api/history/{id}`.
- `PUT`/`DELETE /api/{party|opportunity|kase}/{id}/history/{historyId}` (the older form) act
  only on an item filed on that record (an email counts for each party it is filed on); any
  other is a 404, as is another account's item or record.
- Lists are newest first (v2's order; unconfirmed for v1) and take `start`/`limit`; the root
  carries `size`, the number of items in the answer.
"""

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.body import parse
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.documents import (
    Element,
    leaf,
    leaves,
    list_element,
    sent,
    timestamp_value,
)
from pillbox.api.v1.http import (
    Handler,
    Route,
    created,
    document_response,
    done,
    path_id,
    read_document,
)
from pillbox.api.v1.records import (
    NO_EMBEDS,
    PARTY,
    RECORD_TYPES,
    RecordType,
    check_record,
    record_name,
    show_handler,
)
from pillbox.domain import entries as domain
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import accounts as account_store
from pillbox.store import entries as store
from pillbox.store import users as user_store
from pillbox.store.accounts import Principal
from pillbox.wire import renderers

ROOT = "historyItem"
TYPES = {"note": "Note", "email": "Email", "task": "Task"}
SUBJECT_LENGTH = 75
ATTACHMENT_ELEMENTS = ("id", "filename", "contentType")


# -- rendering: the v2 entry as a v1 document ---------------------------------------------------


def history_element(wire: dict[str, Any], listed_party: int | None = None) -> Element:
    creator = wire["creator"] or {}
    values: list[tuple[str, Any]] = [
        ("id", wire["id"]),
        ("type", TYPES.get(wire["type"], "Note")),
        ("entryDate", wire["entryAt"]),
        ("creator", creator.get("username")),
        ("creatorName", creator.get("name")),
        ("subject", wire["subject"] if wire["type"] == "email" else subject(wire["content"])),
        ("note", wire["content"]),
    ]
    children = leaves(values)
    children += _attachments(wire.get("attachments") or [])
    children += _participants(wire.get("participants") or [])
    children += _link(wire, listed_party)
    return Element(ROOT, children=children)


def subject(content: str | None) -> str | None:
    """A note's subject as Capsule derived it: the start of its content."""
    text = " ".join((content or "").split())
    if len(text) <= SUBJECT_LENGTH:
        return text or None
    return text[:SUBJECT_LENGTH] + "..."


def _attachments(attachments: list[dict[str, Any]]) -> list[Element]:
    if not attachments:
        return []
    rows = [
        Element("attachment", children=[leaf(name, row[name]) for name in ATTACHMENT_ELEMENTS])
        for row in attachments
    ]
    return [Element("attachments", children=rows)]


def _participants(participants: list[dict[str, Any]]) -> list[Element]:
    if not participants:
        return []
    rows = []
    for row in participants:
        values = (("name", row["name"]), ("emailAddress", row["address"]), ("role", row["role"]))
        rows.append(Element("participant", children=leaves(values)))
    return [Element("participants", children=rows)]


def _link(wire: dict[str, Any], listed_party: int | None) -> list[Element]:
    """The id and name of the record the item is filed on (an email: one of its parties)."""
    if wire["type"] == "email":
        filed = wire.get("parties") or []
        if not filed:
            return []
        chosen = next((p for p in filed if p["id"] == listed_party), filed[0])
        return [*_named(PARTY, chosen), leaf("partyPictureURL", chosen["pictureURL"])]
    for kind in RECORD_TYPES:
        record = wire.get(kind.segment)
        if record:
            extra = [leaf("partyPictureURL", record["pictureURL"])] if kind is PARTY else []
            return [*_named(kind, record), *extra]
    return []


def _named(kind: RecordType, record: dict[str, Any]) -> list[Element]:
    return [leaf(kind.id_element, record["id"]), leaf(kind.name_element, record_name(record))]


def history_list(wires: list[dict[str, Any]], listed_party: int | None) -> Element:
    return list_element("history", [history_element(wire, listed_party) for wire in wires])


# -- reading: a v1 document as the v2 EntryInput --------------------------------------------------


def _entry_at(document: Element) -> dict[str, str]:
    """`entryAt` from a non-blank `entryDate` (a blank one changes nothing)."""
    raw = sent(document, "entryDate")
    return {"entryAt": timestamp_value(raw, "entryDate")} if raw else {}


def new_note(document: Element, kind: RecordType, record_id: int) -> domain.EntryInput:
    note = sent(document, "note", trim=False) or ""
    if not note.strip():
        raise ValidationFailed.single("note is required", ROOT, "note")
    data = {"type": "note", kind.segment: {"id": record_id}, "content": note}
    return parse(domain.EntryInput, {**data, **_entry_at(document)}, domain.RESOURCE)


def note_changes(document: Element) -> domain.EntryInput:
    data: dict[str, Any] = _entry_at(document)
    note = sent(document, "note", trim=False)
    if note is not None:
        data["content"] = note or None
    return parse(domain.EntryInput, data, domain.RESOURCE)


# -- reads ----------------------------------------------------------------------------------------


def list_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        window = params.window(request.query_params)
        who = principal_of(request)

        def run(conn: sa.Connection) -> list[dict[str, Any]]:
            check_record(conn, who.account_id, kind, record_id)
            ids = store.record_entry_ids(
                conn, who.account_id, kind.entry_column, record_id, window.start, window.limit
            )
            return renderers.ENTRY(conn, who, ids, NO_EMBEDS)

        wires = await database(request).read(run)
        listed_party = record_id if kind is PARTY else None
        return document_response(request, history_list(wires, listed_party))

    return handle


show_item = show_handler(renderers.ENTRY, history_element)


# -- writes ---------------------------------------------------------------------------------------


def _author(conn: sa.Connection, who: Principal, username: str) -> Principal:
    """Who a new note is filed as: the token's user, or the live user named `creator`."""
    if not username:
        return who
    user_id = user_store.user_with_username(conn, who.account_id, username)
    if user_id is None or not account_store.live_user_ids(conn, who.account_id, {user_id}):
        raise ValidationFailed.single("creator is not a user of this account", ROOT, "creator")
    return replace(who, user_id=user_id)


def _create(
    conn: sa.Connection,
    who: Principal,
    kind: RecordType,
    record_id: int,
    creator: str,
    data: domain.EntryInput,
) -> int:
    check_record(conn, who.account_id, kind, record_id)
    return domain.create_entry(conn, _author(conn, who, creator), data)


def create_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        document = await read_document(request, ROOT)
        data = new_note(document, kind, record_id)
        creator = sent(document, "creator") or ""
        who = principal_of(request)
        entry_id = await database(request).write(_create, who, kind, record_id, creator, data)
        return created(request, f"/history/{entry_id}")

    return handle


def _filed_on(conn: sa.Connection, entry: Any, kind: RecordType, record_id: int) -> bool:
    if getattr(entry, kind.entry_column) == record_id:
        return True
    if kind is not PARTY:
        return False
    return record_id in store.filed_parties(conn, [entry.id]).get(entry.id, [])


def _item(
    conn: sa.Connection, who: Principal, entry_id: int, record: tuple[RecordType, int] | None
) -> Any:
    """The account's entry, filed on `record` when one is named; NotFound otherwise."""
    entry = store.find(conn, who.account_id, entry_id)
    if entry is None or (record is not None and not _filed_on(conn, entry, *record)):
        raise NotFound()
    return entry


def _update(
    conn: sa.Connection,
    who: Principal,
    entry_id: int,
    record: tuple[RecordType, int] | None,
    data: domain.EntryInput,
) -> None:
    if _item(conn, who, entry_id, record).type != "note":
        raise ValidationFailed.single("only notes can be changed", ROOT, "type")
    domain.update_entry(conn, who, entry_id, data)


def _delete(
    conn: sa.Connection, who: Principal, entry_id: int, record: tuple[RecordType, int] | None
) -> None:
    _item(conn, who, entry_id, record)
    domain.delete_entry(conn, who, entry_id)


def _record(request: Request, kind: RecordType | None) -> tuple[RecordType, int] | None:
    return None if kind is None else (kind, path_id(request))


def update_handler(kind: RecordType | None, id_name: str) -> Handler:
    """PUT of one item: `/history/{id}` (kind None) or under the record it is filed on."""

    async def handle(request: Request) -> Response:
        entry_id, record = path_id(request, id_name), _record(request, kind)
        data = note_changes(await read_document(request, ROOT))
        await database(request).write(_update, principal_of(request), entry_id, record, data)
        return done()

    return handle


def delete_handler(kind: RecordType | None, id_name: str) -> Handler:
    async def handle(request: Request) -> Response:
        entry_id, record = path_id(request, id_name), _record(request, kind)
        await database(request).write(_delete, principal_of(request), entry_id, record)
        return done()

    return handle


def routes() -> list[Route]:
    """(method, path under /api, handler) of every history endpoint, older forms included."""
    found: list[Route] = [
        ("GET", "/history/{id}", show_item),
        ("PUT", "/history/{id}", update_handler(None, "id")),
        ("DELETE", "/history/{id}", delete_handler(None, "id")),
    ]
    for kind in RECORD_TYPES:
        base = f"/{kind.segment}/{{id}}/history"
        found += [
            ("GET", base, list_handler(kind)),
            ("POST", base, create_handler(kind)),
            ("PUT", base + "/{historyId}", update_handler(kind, "historyId")),
            ("DELETE", base + "/{historyId}", delete_handler(kind, "historyId")),
        ]
    return found
