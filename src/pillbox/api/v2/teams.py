"""/api/v2/teams: teams of the account and, with `embed=memberships`, their members."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2.schemas import INTEGER, NESTED_USER, STRING, obj
from pillbox.domain import teams as domain
from pillbox.store import teams as store
from pillbox.wire import teams as wire

TEAM_SCHEMA = obj(
    {
        "id": INTEGER,
        "name": STRING,
        "createdAt": STRING,
        "updatedAt": STRING,
        "memberships": {"type": "array", "items": obj({"user": NESTED_USER})},
    },
    required=["id", "name", "createdAt", "updatedAt"],
)

TEAMS = Resource(
    singular="team",
    plural="teams",
    embeds=frozenset({"memberships"}),
    render=wire.render,
    page_ids=store.page_ids,
    wire_schema=TEAM_SCHEMA,
    input_model=domain.TeamInput,
    create=domain.create_team,
    update=domain.update_team,
    delete=domain.delete_team,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(TEAMS)
