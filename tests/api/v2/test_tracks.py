"""Tracks (/tracks): applying a track definition to a record creates its tasks, due in order."""

from datetime import UTC, datetime

import pytest

from tests.api.snapshot import account_snapshot
from tests.api.v2.checks import add_user, errors_of
from tests.conftest import Account


def _task_definition(description: str, rule: str, days: int, unit: str = "TRACK_DAYS") -> dict:
    return {
        "description": description,
        "daysAfterRule": rule,
        "daysAfter": days,
        "dayDelayRule": unit,
        "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"},
    }


# Capsule's documented example definition.
COMPLAINT_PROCESS = {
    "description": "Complaint Process",
    "tag": "complaint",
    "captureRule": "OPPORTUNITY",
    "direction": "START_DATE",
    "taskDefinitions": [
        _task_definition("First review", "TRACK_START", 5),
        _task_definition("Escalate to Management Team", "LAST_TASK", 10, "TRACK_WORKDAYS"),
        _task_definition("Escalate to Regulator", "TRACK_START", 25),
    ],
}


def define(account: Account, **values: object) -> dict:
    response = account.post(
        "/trackdefinitions", {"trackDefinition": {**COMPLAINT_PROCESS, **values}}
    )
    assert response.status_code == 201, response.text
    return response.json()["trackDefinition"]


@pytest.fixture
def customer(account) -> dict:
    body = {"party": {"type": "organisation", "name": "Zestia"}}
    return account.post("/parties", body).json()["party"]


def new_opportunity(account: Account, customer: dict, **values: object) -> dict:
    milestone = account.get("/milestones").json()["milestones"][0]
    body = {"name": "Complaint", "party": customer["id"], "milestone": milestone["id"], **values}
    response = account.post("/opportunities", {"opportunity": body})
    assert response.status_code == 201, response.text
    return response.json()["opportunity"]


@pytest.fixture
def opportunity(account, customer) -> dict:
    return new_opportunity(account, customer)


def apply(account: Account, **values: object) -> dict:
    response = account.post("/tracks", {"track": values})
    assert response.status_code == 201, response.text
    return response.json()["track"]


def tasks_of(account: Account, track: dict) -> list[dict]:
    ids = ",".join(str(task["id"]) for task in track["tasks"])
    response = account.get(f"/tasks/{ids}")
    body = response.json()
    return body["tasks"] if "tasks" in body else [body["task"]]


def test_applying_a_definition_creates_its_tasks_due_from_the_track_date(account, opportunity):
    definition = define(account)
    response = account.post(
        "/tracks",
        {
            "track": {
                "description": "Complaint Process (Important)",
                "trackDateOn": "2016-01-01",
                "definition": definition["id"],
                "opportunity": {"id": opportunity["id"]},
            }
        },
    )
    assert response.status_code == 201
    track = response.json()["track"]
    assert response.headers["Location"].endswith(f"/api/v2/tracks/{track['id']}")
    assert list(track) == ["id", "tasks", "description", "direction", "trackDateOn"]
    assert [t["description"] for t in track["tasks"]] == [
        "First review",
        "Escalate to Management Team",
        "Escalate to Regulator",
    ]
    assert all(list(t) == ["id", "description"] for t in track["tasks"])
    assert (track["description"], track["direction"], track["trackDateOn"]) == (
        "Complaint Process (Important)",
        "START_DATE",
        "2016-01-01",
    )
    first, second, third = tasks_of(account, track)
    assert (first["status"], first["dueOn"], first["taskDelayRule"]) == (
        "OPEN",
        "2016-01-06",
        "TRACK_START",
    )
    # waits for the first: provisionally 10 weekdays after its due date
    assert (second["status"], second["dueOn"], second["taskDelayRule"]) == (
        "PENDING",
        "2016-01-20",
        "LAST_TASK",
    )
    assert (second["active"], second["taskDayDelayRule"], second["daysAfter"]) == (
        False,
        "TRACK_WORKDAYS",
        10,
    )
    assert (third["status"], third["dueOn"]) == ("OPEN", "2016-01-26")
    assert all(t["hasTrack"] for t in (first, second, third))
    assert first["opportunity"] == {"id": opportunity["id"], "name": "Complaint"}
    assert first["nextTask"] == {"id": second["id"], "description": second["description"]}
    assert third["nextTask"] is None


def test_completing_a_task_opens_the_one_waiting_for_it(account, opportunity):
    definition = define(account)
    track = apply(
        account,
        definition=definition["id"],
        opportunity=opportunity["id"],
        trackDateOn="2016-01-01",
    )
    first, second, _ = track["tasks"]
    account.put(
        f"/tasks/{first['id']}",
        {"task": {"status": "COMPLETED", "completedAt": "2016-01-08T12:00:00Z"}},
    )
    opened = account.get(f"/tasks/{second['id']}").json()["task"]
    # ten weekdays after Friday 8 January
    assert (opened["status"], opened["dueOn"], opened["active"]) == ("OPEN", "2016-01-22", True)


def test_deleting_an_open_track_task_opens_the_next_from_today(account, opportunity):
    definition = define(account)
    track = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    first, second, _ = track["tasks"]
    assert account.delete(f"/tasks/{first['id']}").status_code == 204
    opened = account.get(f"/tasks/{second['id']}").json()["task"]
    assert opened["status"] == "OPEN"
    assert opened["dueOn"] > datetime.now(UTC).date().isoformat()


def test_track_date_defaults_to_today_and_description_to_the_definitions(account, opportunity):
    definition = define(account)
    track = apply(account, definition={"id": definition["id"]}, opportunity=opportunity["id"])
    assert track["trackDateOn"] == datetime.now(UTC).date().isoformat()
    assert track["description"] == "Complaint Process"


def test_end_date_tracks_count_back_from_the_end(account, customer):
    definition = define(
        account,
        captureRule="CASEFILE",
        direction="END_DATE",
        taskDefinitions=[_task_definition("Final report", "TRACK_START", 2, "TRACK_WEEKS")],
    )
    kase = account.post("/kases", {"kase": {"name": "Audit", "party": customer["id"]}}).json()[
        "kase"
    ]
    track = apply(account, definition=definition["id"], kase=kase["id"], trackDateOn="2026-03-31")
    (task,) = tasks_of(account, track)
    assert (task["dueOn"], task["taskDelayRule"]) == ("2026-03-17", "END_DATE")
    assert track["direction"] == "END_DATE"


def test_tasks_go_to_the_records_owner_or_the_named_user(account, engine, customer):
    ben_id, _ = add_user(engine, account, "Ben Other", "ben")
    cat_id, _ = add_user(engine, account, "Cat Third", "cat")
    opportunity = new_opportunity(account, customer, owner=ben_id)
    named = _task_definition("Call", "TRACK_START", 1)
    named["trackTaskAssignee"] = {"assigneeType": "USER", "owner": cat_id}
    definition = define(
        account, taskDefinitions=[_task_definition("Review", "TRACK_START", 1), named]
    )
    track = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    review, call = tasks_of(account, track)
    assert (review["owner"]["username"], call["owner"]["username"]) == ("ben", "cat")


def test_applying_tags_the_record_with_the_definitions_tags(account, opportunity):
    definition = define(account, tag="complaint, urgent")
    apply(account, definition=definition["id"], opportunity=opportunity["id"])
    shown = account.get(f"/opportunities/{opportunity['id']}?embed=tags").json()["opportunity"]
    assert sorted(tag["name"] for tag in shown["tags"]) == ["complaint", "urgent"]
    assert shown["updatedAt"] >= opportunity["updatedAt"]


def test_the_definition_is_required_and_must_suit_the_record(account, customer, opportunity):
    for body in (
        {"opportunity": opportunity["id"]},
        {"trackDefinition": 1, "opportunity": opportunity["id"]},
    ):
        assert errors_of(account.post("/tracks", {"track": body})) == [
            {"message": "track definition is required", "resource": "track", "field": "definition"}
        ]
    definition = define(account)
    on_party = account.post(
        "/tracks", {"track": {"definition": definition["id"], "party": customer["id"]}}
    )
    assert errors_of(on_party)[0] == {
        "message": "track definition is not for parties",
        "resource": "track",
        "field": "definition",
    }
    unknown = account.post(
        "/tracks", {"track": {"definition": 99999999, "opportunity": opportunity["id"]}}
    )
    assert errors_of(unknown)[0]["message"] == "track definition not found"
    nowhere = account.post("/tracks", {"track": {"definition": definition["id"]}})
    assert errors_of(nowhere)[0]["message"] == (
        "track must be linked to either a party, opportunity or kase"
    )
    bad_date = account.post(
        "/tracks",
        {
            "track": {
                "definition": definition["id"],
                "opportunity": opportunity["id"],
                "trackDateOn": "soon",
            }
        },
    )
    assert errors_of(bad_date)[0]["field"] == "trackDateOn"


def test_a_refused_track_changes_nothing(account, engine, customer):
    definition = define(account, captureRule="PARTY")
    before = account_snapshot(engine, account.id)
    response = account.post(
        "/tracks",
        {"track": {"definition": definition["id"], "party": customer["id"], "trackDateOn": "x"}},
    )
    assert response.status_code == 422
    assert account_snapshot(engine, account.id) == before


def test_tracks_are_listed_per_record_only(account, customer, opportunity):
    definition = define(account)
    first = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    second = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    listed = account.get(f"/opportunities/{opportunity['id']}/tracks").json()["tracks"]
    assert [t["id"] for t in listed] == [first["id"], second["id"]]  # applying twice makes two
    party_definition = define(account, captureRule="PARTY")
    on_party = apply(account, definition=party_definition["id"], party=customer["id"])
    assert account.get(f"/parties/{customer['id']}/tracks").json()["tracks"] == [on_party]
    assert account.get("/tracks").status_code == 405
    assert account.get("/kases/99999999/tracks").status_code == 404


def test_embedding_tasks_renders_them_in_full(account, opportunity):
    definition = define(account)
    track = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    for embed in ("task", "tasks"):
        shown = account.get(f"/tracks/{track['id']}?embed={embed}").json()["track"]
        assert [t["id"] for t in shown["tasks"]] == [t["id"] for t in track["tasks"]]
        assert all(t["hasTrack"] and "dueOn" in t for t in shown["tasks"])


def test_changing_the_track_date_moves_the_tasks_not_yet_done(account, opportunity):
    definition = define(account)
    track = apply(
        account,
        definition=definition["id"],
        opportunity=opportunity["id"],
        trackDateOn="2016-01-01",
    )
    first, second, third = track["tasks"]
    account.put(f"/tasks/{third['id']}", {"task": {"status": "COMPLETED"}})
    response = account.put(
        f"/tracks/{track['id']}",
        {"track": {"trackDateOn": "2016-02-01", "description": "Renamed", "direction": "END_DATE"}},
    )
    assert response.status_code == 200
    changed = response.json()["track"]
    assert (changed["trackDateOn"], changed["description"], changed["direction"]) == (
        "2016-02-01",
        "Renamed",
        "START_DATE",  # copied from the definition, not writable
    )
    moved = {t["id"]: t for t in tasks_of(account, track)}
    assert moved[first["id"]]["dueOn"] == "2016-02-06"
    assert moved[second["id"]]["dueOn"] == "2016-02-19"  # 10 weekdays after 6 February
    assert moved[third["id"]]["dueOn"] == "2016-01-26"  # done: stays


def test_deleting_a_track_deletes_its_tasks_not_yet_done(account, opportunity):
    definition = define(account)
    track = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    first, second, third = track["tasks"]
    account.put(f"/tasks/{first['id']}", {"task": {"status": "COMPLETED"}})
    assert account.delete(f"/tracks/{track['id']}").status_code == 204
    assert account.get(f"/tracks/{track['id']}").status_code == 404
    assert account.get(f"/tasks/{second['id']}").status_code == 404
    assert account.get(f"/tasks/{third['id']}").status_code == 404
    kept = account.get(f"/tasks/{first['id']}").json()["task"]
    assert (kept["status"], kept["hasTrack"]) == ("COMPLETED", False)


def test_opportunities_and_projects_take_tracks_on_create(account, customer):
    for_opportunities = define(account)
    opportunity = new_opportunity(
        account, customer, tracks=[{"definition": {"id": for_opportunities["id"]}}]
    )
    (track,) = account.get(f"/opportunities/{opportunity['id']}/tracks").json()["tracks"]
    assert len(track["tasks"]) == 3
    for_projects = define(account, captureRule="CASEFILE")
    kase = account.post(
        "/kases",
        {"kase": {"name": "Audit", "party": customer["id"], "tracks": [for_projects["id"]]}},
    )
    assert kase.status_code == 201, kase.text
    kase_id = kase.json()["kase"]["id"]
    assert len(account.get(f"/kases/{kase_id}/tracks").json()["tracks"]) == 1
    wrong = account.post(
        "/kases",
        {"kase": {"name": "Audit", "party": customer["id"], "tracks": [for_opportunities["id"]]}},
    )
    assert errors_of(wrong)[0]["field"] == "definition"


def test_applied_tracks_outlive_their_definition(account, opportunity):
    definition = define(account)
    track = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    assert account.delete(f"/trackdefinitions/{definition['id']}").status_code == 204
    assert account.get(f"/tracks/{track['id']}").json()["track"] == track


def test_deleting_the_record_deletes_its_tracks(account, opportunity):
    definition = define(account)
    track = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    assert account.delete(f"/opportunities/{opportunity['id']}").status_code == 204
    assert account.get(f"/tracks/{track['id']}").status_code == 404
    assert account.get(f"/tasks/{track['tasks'][0]['id']}").status_code == 404


def test_another_accounts_track_is_not_found(account, other_account, opportunity):
    definition = define(account)
    track = apply(account, definition=definition["id"], opportunity=opportunity["id"])
    assert other_account.get(f"/tracks/{track['id']}").status_code == 404
    assert (
        other_account.put(f"/tracks/{track['id']}", {"track": {"description": "x"}}).status_code
        == 404
    )
    assert other_account.delete(f"/tracks/{track['id']}").status_code == 404
    assert other_account.get(f"/opportunities/{opportunity['id']}/tracks").status_code == 404
    other_definition = define(other_account)
    used_elsewhere = other_account.post(
        "/tracks",
        {"track": {"definition": other_definition["id"], "opportunity": opportunity["id"]}},
    )
    assert errors_of(used_elsewhere)[0]["message"] == "opportunity not found"
