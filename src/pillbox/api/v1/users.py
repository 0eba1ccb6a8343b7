"""API v1 users (`GET /api/users`): who works in the account, as v1 clients look owners up.

Each user is the v2 user (wire.renderers.USER) as a v1 `user` document (reference §12): `id`
(absent from the old documentation, present in later answers), `username` (what a task's
`owner` and the `user=` filter take), `name`, `currency`, `timezone`, `loggedIn` — only on the
token's own user, always `true` — and `partyId`, the user's person record. Deleted users are not
listed, as in v2. v1 could not change users, so nothing here writes. The list takes
`start`/`limit` like every v1 list (undocumented for users); the root carries `size`.
"""

from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit.resource import database, principal_of
from pillbox.api.v1 import params
from pillbox.api.v1.documents import Element, leaves, list_element
from pillbox.api.v1.http import Route, document_response
from pillbox.api.v1.records import NO_EMBEDS
from pillbox.store import users as store
from pillbox.store.accounts import Principal
from pillbox.wire import renderers


def user_element(wire: dict[str, Any], logged_in: bool) -> Element:
    party = wire["party"]
    values: list[tuple[str, Any]] = [
        ("id", wire["id"]),
        ("username", wire["username"]),
        ("name", wire["name"]),
        ("currency", wire["currency"]),
        ("timezone", wire["timezone"]),
        ("loggedIn", True if logged_in else None),
        ("partyId", party and party["id"]),
    ]
    return Element("user", children=leaves(values))


def users_element(wires: list[dict[str, Any]], current_user_id: int) -> Element:
    users = [user_element(wire, wire["id"] == current_user_id) for wire in wires]
    return list_element("users", users)


async def list_users(request: Request) -> Response:
    window = params.window(request.query_params)
    who = principal_of(request)

    def run(conn: sa.Connection, who: Principal) -> list[dict[str, Any]]:
        ids = store.page_ids(conn, who.account_id, window.listing())
        return renderers.USER(conn, who, ids, NO_EMBEDS)

    wires = await database(request).read(run, who)
    return document_response(request, users_element(wires, who.user_id))


def routes() -> list[Route]:
    return [("GET", "/users", list_users)]
