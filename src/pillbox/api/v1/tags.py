"""API v1 tags of a record: `/api/{party|opportunity|kase}/{id}/tag[/{name}]` (reference §9).

Tags are v2's: a read lists the record's tags as v2 embeds them (`embed=tags`), and adding or
removing one is the v2 update of that record sending `tags` (a name to add, an id with `_delete`
to remove), so v2's rules, `updatedAt` stamp and webhooks apply unchanged.

- `GET …/tag`: `<tags size="n"><tag><id>…</id><name>…</name></tag>…</tags>`, in name order
  (`id` is a later v1 addition, safe for every client).
- `POST …/tag/{name}` adds the tag, creating it for the record type when the account has none of
  that name: 201 with the `Location` of the tag on the record when newly added, 200 when the
  record already carried it. `PUT` does the same (every client uses POST; Capsule taking PUT is
  unconfirmed). A body, which some clients send, is ignored.
- `DELETE …/tag/{name}`: 200; a tag the record does not carry is a 404 (unconfirmed for v1).
- The name arrives percent-encoded and is decoded once (a decoded `/` belongs to the name); it is
  trimmed, matched case-insensitively, and an existing tag keeps its spelling. A blank name is
  a 400 when adding (a 404 when removing), one holding a NUL character always a 400.
- v1 documented no account-wide tag list, so none is served here (v2 has `/{entity}/tags`).
"""

from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1.documents import Element, leaf, list_element
from pillbox.api.v1.http import Handler, Route, created, document_response, done, path_id
from pillbox.api.v1.records import (
    RECORD_TYPES,
    RecordType,
    change_record,
    check_record,
    rendered,
)
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import records
from pillbox.store import tags as tag_store
from pillbox.store.accounts import Principal

TAGS = frozenset({"tags"})


# -- reading --------------------------------------------------------------------------------------


def record_tags(
    conn: sa.Connection, who: Principal, kind: RecordType, record_id: int
) -> list[dict[str, Any]]:
    """The v2 tags of the record (`embed=tags`)."""
    tags: list[dict[str, Any]] = rendered(conn, who, kind.render, record_id, TAGS)["tags"]
    return tags


def tags_element(tags: list[dict[str, Any]]) -> Element:
    children = [
        Element("tag", children=[leaf("id", tag["id"]), leaf("name", tag["name"])]) for tag in tags
    ]
    return list_element("tags", children)


def list_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id = path_id(request)
        tags = await database(request).read(record_tags, principal_of(request), kind, record_id)
        return document_response(request, tags_element(tags))

    return handle


# -- adding and removing --------------------------------------------------------------------------


def tag_name(request: Request, kind: RecordType) -> str:
    """The tag name of the path, decoded once (by the server) and trimmed; 400 if it holds a NUL
    character (which no tag can have: PostgreSQL cannot store one)."""
    name = str(request.path_params["name"]).strip()
    if "\x00" in name:
        raise ValidationFailed.single(
            "a tag name may not contain NUL characters", kind.segment, "tags"
        )
    return name


def _attached_tag(
    conn: sa.Connection, account_id: int, kind: RecordType, record_id: int, name: str
) -> int | None:
    """The id of the account's tag called `name` (any case) if the record carries it."""
    tag_id = tag_store.find_tag(conn, account_id, kind.entity, name=name)
    if tag_id is None or tag_id not in records.attached_tag_ids(conn, kind.entity, record_id):
        return None
    return tag_id


def add_tag(
    conn: sa.Connection, who: Principal, kind: RecordType, record_id: int, name: str
) -> str | None:
    """Puts the tag called `name` on the record; its name as the account spells it when newly
    added, None when the record already carried it."""
    check_record(conn, who.account_id, kind, record_id)
    if _attached_tag(conn, who.account_id, kind, record_id, name) is not None:
        return None
    change_record(conn, who, kind, record_id, {"tags": [{"name": name}]})
    tag_id = _attached_tag(conn, who.account_id, kind, record_id, name)
    assert tag_id is not None  # just attached, in this transaction
    return str(tag_store.load(conn, who.account_id, kind.entity, [tag_id])[tag_id].name)


def remove_tag(
    conn: sa.Connection, who: Principal, kind: RecordType, record_id: int, name: str
) -> None:
    check_record(conn, who.account_id, kind, record_id)
    tag_id = _attached_tag(conn, who.account_id, kind, record_id, name)
    if tag_id is None:
        raise NotFound()
    change_record(conn, who, kind, record_id, {"tags": [{"id": tag_id, "_delete": True}]})


def add_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id, name = path_id(request), tag_name(request, kind)
        if not name:
            raise ValidationFailed.single("a tag name is required", kind.segment, "tags")
        who = principal_of(request)
        added = await database(request).write(add_tag, who, kind, record_id, name)
        if added is None:
            return done()
        return created(request, f"/{kind.segment}/{record_id}/tag/{quote(added, safe='')}")

    return handle


def remove_handler(kind: RecordType) -> Handler:
    async def handle(request: Request) -> Response:
        record_id, name = path_id(request), tag_name(request, kind)
        if not name:
            raise NotFound()
        await database(request).write(remove_tag, principal_of(request), kind, record_id, name)
        return done()

    return handle


def routes() -> list[Route]:
    """(method, path under /api, handler) of every tag endpoint of the three record types."""
    found: list[Route] = []
    for kind in RECORD_TYPES:
        base = f"/{kind.segment}/{{id}}/tag"
        add = add_handler(kind)
        found += [
            ("GET", base, list_handler(kind)),
            ("POST", base + "/{name:path}", add),
            ("PUT", base + "/{name:path}", add),
            ("DELETE", base + "/{name:path}", remove_handler(kind)),
        ]
    return found
