"""/api/v2/goals: users' goals, and the periods each is measured in."""

import sqlalchemy as sa

from pillbox.api.kit import Resource, SubList, resource_endpoints, sub_list_endpoint
from pillbox.api.v2.schemas import INTEGER, NESTED_USER, STRING
from pillbox.domain import goal_periods
from pillbox.domain import goals as domain
from pillbox.store import goals as store
from pillbox.store.listing import Listing
from pillbox.wire import goals as wire

NUMBER = {"type": "number"}
_NAMED = {
    "type": "object",
    "properties": {"id": INTEGER, "name": STRING},
    "required": ["id", "name"],
}
GOAL = {
    "type": "object",
    "properties": {
        "id": INTEGER,
        "name": STRING,
        "frequency": {"enum": list(goal_periods.FREQUENCIES)},
        "status": {"enum": ["UPCOMING", "ACTIVE", "COMPLETED", "MISSED"]},
        "value": NUMBER,
        "createdAt": STRING,
        "updatedAt": STRING,
        "startOn": STRING,
        "endOn": STRING,
        "currency": {"type": ["string", "null"]},
        "pipeline": _NAMED,
        "milestone": _NAMED,
        "type": {"enum": list(goal_periods.TYPES)},
        "user": NESTED_USER,
    },
    "required": ["id", "name", "frequency", "status", "value", "startOn", "endOn", "type", "user"],
}
GOAL_PERIOD = {
    "type": "object",
    "properties": {
        "goal": {"type": "object", "properties": {"id": INTEGER}, "required": ["id"]},
        "startOn": STRING,
        "endOn": STRING,
        "completedOn": STRING,
        "targetValue": NUMBER,
        "id": INTEGER,
        "currentValue": NUMBER,
    },
    "required": ["goal", "startOn", "endOn", "targetValue", "id", "currentValue"],
}


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, listing.offset, listing.limit)


GOALS = Resource(
    singular="goal",
    plural="goals",
    embeds=frozenset(),
    render=wire.render,
    page_ids=_page_ids,
    wire_schema=GOAL,
    input_model=domain.GoalInput,
    create=domain.create_goal,
    update=domain.update_goal,
    delete=domain.delete_goal,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

GOAL_PERIODS = Resource(
    singular="goalPeriod",
    plural="goalPeriods",
    route="/goals/{id}/periods",
    name="goal_periods",
    embeds=frozenset(),
    render=wire.render_periods,
    page_ids=None,  # listed per goal only
    wire_schema=GOAL_PERIOD,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

PERIODS_OF_GOAL = SubList(
    path="/goals/{id}/periods",
    summary="List the periods of a goal, with the progress made in each",
    resource=GOAL_PERIODS,
    parent_exists=store.exists,
    page_ids=store.period_ids,
)

ENDPOINTS = [
    *resource_endpoints(GOALS),
    sub_list_endpoint(PERIODS_OF_GOAL, "list_goal_periods"),
]
