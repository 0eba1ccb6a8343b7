"""/api/v2/users: the users of the account, the current user, and their preferences."""

from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import Endpoint, Resource, params, resource_endpoints
from pillbox.api.kit.resource import database, principal_of
from pillbox.api.kit.responses import json_response
from pillbox.api.v2.schemas import BOOLEAN, INTEGER, STRING, nullable, obj
from pillbox.domain import users as domain
from pillbox.store import users as store
from pillbox.wire import renderers

USER_SCHEMA = obj(
    {
        "id": INTEGER,
        "locale": STRING,
        "currency": STRING,
        "status": STRING,
        "party": {"type": ["object", "null"]},
        "username": STRING,
        "timezone": STRING,
        "lastLoginAt": nullable("string"),
        "name": STRING,
        "taskReminder": BOOLEAN,
        "emailPreference": nullable("string"),
        "clickToCallPreference": nullable("string"),
        "preferredEmailFromAddress": nullable("string"),
    }
)

USERS = Resource(
    singular="user",
    plural="users",
    embeds=frozenset({"party"}),
    render=renderers.USER,
    page_ids=store.page_ids,
    wire_schema=USER_SCHEMA,
    input_model=domain.UserInput,
    update=domain.update_user,
    since=False,
    deleted_feed=False,
    many_ids=False,
)


async def show_current_user(request: Request) -> Response:
    who = principal_of(request)
    embeds = params.embeds(request.query_params, USERS.embeds)
    items = await database(request).read(renderers.USER, who, [who.user_id], embeds)
    return json_response({"user": items[0]})


CURRENT = Endpoint(
    "GET",
    "/users/current",
    show_current_user,
    "Show the user the token acts as",
    "show_current_user",
    query=("embed",),
    responses={200: ("user", USER_SCHEMA)},
    resource=USERS,
)

ENDPOINTS = [CURRENT, *resource_endpoints(USERS)]
