"""A valid write body for every API v2 resource, so the shared contract tests can exercise it.

Keyed by the resource's key (its operation-id stem). Each function takes the test account, for
bodies that refer to something of the account. A resource that takes writes but has no example
here fails tests/api/test_resource_contract.py.
"""

import itertools
from collections.abc import Callable
from typing import Any

_counter = itertools.count()


def _unique(prefix: str) -> str:
    return f"{prefix} {next(_counter)}"


def _party(account: Any) -> dict[str, Any]:
    return {"type": "organisation", "name": _unique("Example Org")}


def _party_change(account: Any) -> dict[str, Any]:
    return {"about": _unique("Changed")}


def _tag(account: Any) -> dict[str, Any]:
    return {"name": _unique("Tag"), "description": "From the examples"}


def _tag_change(account: Any) -> dict[str, Any]:
    return {"description": _unique("Changed")}


def _definition(account: Any) -> dict[str, Any]:
    return {"name": _unique("Field"), "type": "list", "options": ["Red", "Green"]}


def _definition_change(account: Any) -> dict[str, Any]:
    return {"important": True, "options": ["Red", "Green", "Blue"]}


def _team(account: Any) -> dict[str, Any]:
    return {"name": _unique("Team"), "memberships": [{"user": {"id": account.user_id}}]}


def _team_change(account: Any) -> dict[str, Any]:
    return {"name": _unique("Renamed team")}


def _title(account: Any) -> dict[str, Any]:
    return {"title": _unique("Title")}


def _named(prefix: str) -> Callable[[Any], dict[str, Any]]:
    return lambda account: {"name": _unique(prefix)}


def _milestone(account: Any) -> dict[str, Any]:
    return {"name": _unique("Milestone"), "probability": 30, "daysUntilStale": 10}


def _opportunity(account: Any) -> dict[str, Any]:
    party = account.post("/parties", {"party": _party(account)}).json()["party"]
    milestone = account.get("/milestones").json()["milestones"][0]
    return {
        "name": _unique("Deal"),
        "party": {"id": party["id"]},
        "milestone": {"id": milestone["id"]},
        "value": {"amount": 500, "currency": "GBP"},
    }


def _opportunity_change(account: Any) -> dict[str, Any]:
    return {"description": _unique("Changed"), "probability": 40}


def _kase(account: Any) -> dict[str, Any]:
    party = account.post("/parties", {"party": _party(account)}).json()["party"]
    stage = account.get("/stages").json()["stages"][0]
    return {"name": _unique("Project"), "party": {"id": party["id"]}, "stage": stage["id"]}


def _kase_change(account: Any) -> dict[str, Any]:
    return {"description": _unique("Changed"), "status": "CLOSED"}


def _stage(account: Any) -> dict[str, Any]:
    board = account.get("/boards").json()["boards"][0]
    return {"name": _unique("Stage"), "board": board["id"]}


def _activity_type(account: Any) -> dict[str, Any]:
    return {"name": _unique("Site visit"), "icon": {"id": "TRAVEL"}, "updateLastContacted": True}


def _entry(account: Any) -> dict[str, Any]:
    party = account.post("/parties", {"party": _party(account)}).json()["party"]
    return {"type": "note", "party": {"id": party["id"]}, "content": _unique("Called them")}


def _entry_change(account: Any) -> dict[str, Any]:
    return {"content": _unique("Called them back")}


def _track_definition(account: Any) -> dict[str, Any]:
    task = {
        "description": "First review",
        "daysAfterRule": "TRACK_START",
        "daysAfter": 5,
        "dayDelayRule": "TRACK_DAYS",
        "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"},
    }
    return {
        "description": _unique("Complaint Process"),
        "captureRule": "OPPORTUNITY",
        "direction": "START_DATE",
        "taskDefinitions": [task],
    }


def _track_definition_change(account: Any) -> dict[str, Any]:
    return {"description": _unique("Renamed process"), "tag": "complaint"}


def _task(account: Any) -> dict[str, Any]:
    party = account.post("/parties", {"party": _party(account)}).json()["party"]
    return {"description": _unique("Call"), "dueOn": "2026-10-01", "party": {"id": party["id"]}}


def _task_change(account: Any) -> dict[str, Any]:
    return {"detail": _unique("Changed"), "dueTime": "09:30"}


def _track(account: Any) -> dict[str, Any]:
    definition = {**_track_definition(account), "captureRule": "PARTY"}
    created = account.post("/trackdefinitions", {"trackDefinition": definition}).json()
    party = account.post("/parties", {"party": _party(account)}).json()["party"]
    return {"definition": created["trackDefinition"]["id"], "party": {"id": party["id"]}}


def _track_change(account: Any) -> dict[str, Any]:
    return {"description": _unique("Renamed track"), "trackDateOn": "2026-11-02"}


def _goal(account: Any) -> dict[str, Any]:
    return {
        "name": _unique("Goal"),
        "frequency": "MONTHLY",
        "startOn": "2026-01-01",
        "endOn": "2026-12-31",
        "type": "18305eb9-2c50-35ba-88e5-876be543e055",  # opportunities created, count
        "value": 10,
        "user": account.user_id,
    }


def _saved_filter(account: Any) -> dict[str, Any]:
    return {
        "name": _unique("Filter"),
        "conditions": [{"field": "name", "operator": "contains", "value": "a"}],
        "orderBy": [{"field": "name", "direction": "ascending"}],
    }


Example = Callable[[Any], dict[str, Any]]
EXAMPLES: dict[str, tuple[Example, Example]] = {
    "parties": (_party, _party_change),
    "opportunities": (_opportunity, _opportunity_change),
    "kases": (_kase, _kase_change),
    "boards": (_named("Board"), _named("Renamed board")),
    "stages": (_stage, _named("Renamed stage")),
    "activity_types": (_activity_type, _named("Renamed activity")),
    "entries": (_entry, _entry_change),
    "tasks": (_task, _task_change),
    "rest_hooks": (
        lambda account: {"event": "party/created", "targetUrl": "https://receiver.example/"},
        lambda account: {},  # hooks are created and deleted, never changed
    ),
    "tracks": (_track, _track_change),
    "categories": (
        lambda account: {"name": _unique("Billing"), "colour": "#D36C00"},
        lambda account: {"colour": "#444444"},
    ),
    "track_definitions": (_track_definition, _track_definition_change),
    "teams": (_team, _team_change),
    "goals": (_goal, lambda account: {"name": _unique("Renamed goal"), "value": 12}),
    "titles": (_title, _title),
    "pipelines": (_named("Pipeline"), _named("Renamed pipeline")),
    "milestones": (_milestone, _named("Renamed milestone")),
    "lost_reasons": (
        _named("Lost reason"),
        _named("Renamed reason"),
    ),  # titles are created and deleted, never changed
    **{
        f"{kind}_filters": (_saved_filter, lambda account: {"name": _unique("Renamed filter")})
        for kind in ("party", "opportunity", "kase")
    },
    **{f"{kind}_tags": (_tag, _tag_change) for kind in ("party", "opportunity", "kase")},
    **{
        f"{kind}_field_definitions": (_definition, _definition_change)
        for kind in ("party", "opportunity", "kase")
    },
}
