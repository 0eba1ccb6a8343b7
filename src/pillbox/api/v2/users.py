"""/api/v2/users: the users of the account, the current user, and their preferences."""

from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import Endpoint, Resource, params, resource_endpoints
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.kit.responses import json_response
from pillbox.api.v2 import parties, schemas
from pillbox.api.v2.nested import PERSON_PICTURE_URL
from pillbox.domain import users as domain
from pillbox.store import users as store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing


def _short_party(row: Any) -> dict[str, Any] | None:
    if row.party_id is None:
        return None
    return {
        "id": row.party_id,
        "type": "person",
        "firstName": row.party_first_name,
        "lastName": row.party_last_name,
        "pictureURL": PERSON_PICTURE_URL,
    }


def to_wire(row: Any) -> dict[str, Any]:
    """A user in Capsule's key order; the writable preferences follow Capsule's example keys."""
    return {
        "id": row.id,
        "locale": row.locale,
        "currency": row.currency,
        "status": row.status,
        "party": _short_party(row),
        "username": row.username,
        "timezone": row.timezone,
        "lastLoginAt": row.last_login_at,
        "name": row.name,  # follows their person record's name (domain.parties)
        "taskReminder": bool(row.task_reminder),
        "emailPreference": row.email_preference,
        "clickToCallPreference": row.click_to_call_preference,
        "preferredEmailFromAddress": row.preferred_email_from_address,
    }


def render(
    conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    rows = store.load(conn, who.account_id, ids)
    items = [to_wire(rows[i]) for i in ids if i in rows]
    if "party" in embeds:
        # Their person records in full, loaded as one page (no per-user queries).
        party_ids = [item["party"]["id"] for item in items if item["party"]]
        full = {p["id"]: p for p in parties.render(conn, who, party_ids, frozenset())}
        for item in items:
            if item["party"]:
                item["party"] = full.get(item["party"]["id"], item["party"])
    return items


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, listing.offset, listing.limit)


USERS = Resource(
    singular="user",
    plural="users",
    embeds=frozenset({"party"}),
    render=render,
    page_ids=_page_ids,
    wire_schema=schemas.USER,
    input_model=domain.UserInput,
    update=domain.update_user,
    since=False,
    deleted_feed=False,
    many_ids=False,
)


async def show_current_user(request: Request) -> Response:
    who = principal_of(request)
    embeds = params.embeds(request.query_params, USERS.embeds)
    items = await database(request).read(render, who, [who.user_id], embeds)
    return json_response({"user": items[0]})


CURRENT = Endpoint(
    "GET",
    "/users/current",
    show_current_user,
    "Show the user the token acts as",
    "show_current_user",
    query=("embed",),
    responses={200: ("user", schemas.USER)},
    resource=USERS,
)

ENDPOINTS = [CURRENT, *resource_endpoints(USERS)]
