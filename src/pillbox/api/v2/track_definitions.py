"""/api/v2/trackdefinitions: track definitions with their task definitions."""

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2.schemas import CATEGORY, INTEGER, NESTED_USER, STRING, nullable, obj
from pillbox.domain import track_definitions as domain
from pillbox.store import track_definitions as store
from pillbox.store.listing import Listing
from pillbox.wire import track_definitions as wire

TASK_DEFINITION_SCHEMA = obj(
    {
        "id": INTEGER,
        "description": STRING,
        "daysAfterRule": {"enum": ["TRACK_START", "LAST_TASK"]},
        "daysAfter": INTEGER,
        "displayOrder": INTEGER,
        "trackTaskAssignee": obj(
            {"assigneeType": {"enum": ["ENTITY_OWNER", "USER"]}, "owner": NESTED_USER},
            required=["assigneeType"],
        ),
        "dayDelayRule": {"enum": ["TRACK_DAYS", "TRACK_WORKDAYS", "TRACK_WEEKS"]},
        "category": {"oneOf": [CATEGORY, {"type": "null"}]},
        "createdAt": STRING,
        "updatedAt": STRING,
    }
)
TRACK_DEFINITION_SCHEMA = obj(
    {
        "id": INTEGER,
        "description": STRING,
        "tag": nullable("string"),
        "captureRule": {"enum": ["PARTY", "OPPORTUNITY", "CASEFILE"]},
        "direction": {"enum": ["START_DATE", "END_DATE"]},
        "createdAt": STRING,
        "updatedAt": STRING,
        "taskDefinitions": {"type": "array", "items": TASK_DEFINITION_SCHEMA},
    }
)

# The list's `type` and the capture rule it selects (None: all).
CAPTURE_RULES = {
    "all": None,
    "kases": "CASEFILE",
    "opportunities": "OPPORTUNITY",
    "parties": "PARTY",
}


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    capture_rule = CAPTURE_RULES[listing.choices.get("type") or "all"]
    return store.page_ids(conn, account_id, capture_rule, listing.offset, listing.limit)


TRACK_DEFINITIONS = Resource(
    singular="trackDefinition",
    plural="trackDefinitions",
    route="/trackdefinitions",
    name="track_definitions",
    embeds=frozenset(),
    render=wire.render,
    page_ids=_page_ids,
    wire_schema=TRACK_DEFINITION_SCHEMA,
    input_model=domain.TrackDefinitionInput,
    create=domain.create_definition,
    update=domain.update_definition,
    delete=domain.delete_definition,
    list_choices=(("type", tuple(CAPTURE_RULES)),),
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(TRACK_DEFINITIONS)
