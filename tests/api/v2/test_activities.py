"""Activities (POST /activities/filters/results): entries selected by who added them, their
activity type, the category of the task that left them, and when they were added."""

import pytest

from tests.api.v2.checks import add_user, errors_of


@pytest.fixture
def customer(account):
    body = {"type": "organisation", "name": "Customer"}
    return account.post("/parties", {"party": body}).json()["party"]


def note(account, customer, content, headers=None, activity_type=-3):
    body = {"type": "note", "party": customer["id"], "content": content}
    body["activityType"] = activity_type
    response = account.post("/entries", {"entry": body}, headers=headers or {})
    assert response.status_code == 201, response.text
    return response.json()["entry"]


def contents(account, *conditions, query="", **extra):
    body = {"filter": {"conditions": list(conditions), **extra}}
    response = account.post(f"/activities/filters/results{query}", body)
    assert response.status_code == 200, response.text
    return [entry["content"] for entry in response.json()["activities"]]


def test_activities_are_entries_under_the_activities_key(account, customer):
    created = note(account, customer, "Called")
    response = account.post("/activities/filters/results", {"filter": {"conditions": []}})
    assert response.json() == {"activities": [created]}


def test_user_selects_who_added_the_entry_by_id_or_username(account, engine, customer):
    _, headers = add_user(engine, account, "Bea Member", "bea")
    note(account, customer, "Mine")
    note(account, customer, "Hers", headers=headers)
    assert contents(account, {"field": "user", "operator": "is", "value": "bea"}) == ["Hers"]
    mine = {"field": "user", "operator": "is", "value": account.user_id}
    assert contents(account, mine) == ["Mine"]
    others = {"field": "user", "operator": "is not", "value": account.user_id}
    assert contents(account, others) == ["Hers"]


def test_activity_type_selects_built_in_and_own_types(account, customer):
    meeting = account.post("/activitytypes", {"activityType": {"name": "Visit"}}).json()
    note(account, customer, "Plain note")
    note(account, customer, "Visited", activity_type=meeting["activityType"]["id"])
    own = {"field": "activityType", "operator": "is", "value": meeting["activityType"]["id"]}
    assert contents(account, own) == ["Visited"]
    assert contents(account, {"field": "activityType", "operator": "is", "value": -3}) == [
        "Plain note"
    ]


def test_task_category_selects_entries_left_by_completed_tasks(account, customer):
    calls = account.post("/categories", {"category": {"name": "Calls"}}).json()["category"]
    note(account, customer, "Just a note")
    for description, category in (("Ring them", calls["id"]), ("Other", None)):
        body = {"description": description, "dueOn": "2030-01-01", "party": customer["id"]}
        if category:
            body["category"] = category
        task = account.post("/tasks", {"task": body}).json()["task"]
        done = account.put(f"/tasks/{task['id']}", {"task": {"status": "COMPLETED"}})
        assert done.status_code == 200, done.text
    by_name = contents(account, {"field": "taskCategory", "operator": "is", "value": "calls"})
    by_id = contents(account, {"field": "taskCategory", "operator": "is", "value": calls["id"]})
    assert len(by_name) == 1 and by_name == by_id
    uncategorised = contents(account, {"field": "taskCategory", "operator": "is", "value": None})
    assert "Just a note" in uncategorised and by_name[0] not in uncategorised


def test_added_on_and_order_and_paging(account, customer):
    for content in ("First", "Second", "Third"):
        note(account, customer, content)
    today = {"field": "addedOn", "operator": "is within last", "value": 1}
    newest_first = [{"field": "id", "direction": "descending"}]
    assert contents(account, today, orderBy=newest_first) == ["Third", "Second", "First"]
    assert contents(account, today, query="?perPage=2&page=2") == ["Third"]
    old = {"field": "addedOn", "operator": "is before", "value": "2000-01-01"}
    assert contents(account, old) == []


@pytest.mark.parametrize(
    ("condition", "field"),
    [
        ({"field": "name", "operator": "is", "value": "x"}, "conditions[0].field"),
        ({"field": "custom:1", "operator": "is", "value": "x"}, "conditions[0].field"),
        ({"field": "addedOn", "operator": "contains", "value": "x"}, "conditions[0].operator"),
        ({"field": "user", "operator": "is", "value": True}, "conditions[0].value"),
    ],
)
def test_invalid_condition_is_422(account, condition, field):
    response = account.post("/activities/filters/results", {"filter": {"conditions": [condition]}})
    assert errors_of(response)[0]["field"] == field


def test_another_accounts_entries_are_never_selected(account, other_account, customer):
    note(account, customer, "Secret")
    assert contents(other_account) == []
