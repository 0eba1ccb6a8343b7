"""Tasks (/tasks): due dates, links, categories, completing and reopening, repeats, filters."""

from datetime import UTC, datetime

import pytest

from tests.api.snapshot import account_snapshot
from tests.api.v2.checks import add_user, errors_of
from tests.conftest import Account

# Key order of the body Capsule answered to POST /tasks, as recorded.
RECORDED_KEYS = [
    "id",
    "category",
    "description",
    "detail",
    "dueTime",
    "status",
    "party",
    "opportunity",
    "owner",
    "daysAfter",
    "taskDelayRule",
    "nextTask",
    "active",
    "createdAt",
    "updatedAt",
    "dueOn",
    "completedBy",
    "completedAt",
    "kase",
    "taskDayDelayRule",
    "overrideToCurrentUser",
    "repeat",
    "hasTrack",
]


@pytest.fixture
def customer(account) -> dict:
    body = {"party": {"type": "organisation", "name": "ABC Furniture"}}
    return account.post("/parties", body).json()["party"]


def create(account: Account, **values: object) -> dict:
    body = {"description": "Send quarterly invoice", "dueOn": "2026-10-01", **values}
    response = account.post("/tasks", {"task": body})
    assert response.status_code == 201, response.text
    return response.json()["task"]


def change(account: Account, task: dict, **values: object):
    return account.put(f"/tasks/{task['id']}", {"task": values})


def listed(account: Account, query: str = "") -> list[int]:
    response = account.get(f"/tasks{query}")
    assert response.status_code == 200, response.text
    return [task["id"] for task in response.json()["tasks"]]


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_task_has_capsules_recorded_shape_key_for_key(account):
    response = account.post(
        "/tasks", {"task": {"description": "Brand new task", "dueOn": "2025-05-20"}}
    )
    assert response.status_code == 201
    task = response.json()["task"]
    assert list(task) == RECORDED_KEYS
    assert list(task["owner"]) == ["id", "deleted", "username", "pictureURL", "name"]
    assert task["status"] == "OPEN"
    assert task["owner"]["id"] == account.user_id
    assert (task["active"], task["hasTrack"], task["taskDayDelayRule"]) == (
        True,
        False,
        "TRACK_DAYS",
    )
    assert response.headers["Location"].endswith(f"/api/v2/tasks/{task['id']}")
    assert account.get(f"/tasks/{task['id']}").json() == {"task": task}


def test_description_and_due_date_are_required(account):
    missing_due = account.post("/tasks", {"task": {"description": "Call"}})
    assert errors_of(missing_due) == [
        {"message": "dueOn is required", "resource": "task", "field": "dueOn"}
    ]
    missing_description = account.post("/tasks", {"task": {"dueOn": "2026-01-01"}})
    assert errors_of(missing_description)[0]["field"] == "description"
    blank = account.post("/tasks", {"task": {"description": " ", "dueOn": "2026-01-01"}})
    assert errors_of(blank)[0]["field"] == "description"
    bad_date = account.post("/tasks", {"task": {"description": "Call", "dueOn": "01/02/2026"}})
    assert errors_of(bad_date)[0]["field"] == "dueOn"


def test_due_time_is_a_time_of_day_answered_with_seconds(account):
    assert create(account, dueTime="09:30")["dueTime"] == "09:30:00"
    assert create(account, dueTime="17:05:30")["dueTime"] == "17:05:30"
    for wrong in ("9:30", "24:00", "noon", "12:60"):
        response = account.post(
            "/tasks", {"task": {"description": "x", "dueOn": "2026-01-01", "dueTime": wrong}}
        )
        assert errors_of(response)[0]["field"] == "dueTime", wrong


def test_task_links_to_at_most_one_record(account, customer):
    on_party = create(account, party={"id": customer["id"]})
    assert on_party["party"]["name"] == "ABC Furniture"
    assert (on_party["opportunity"], on_party["kase"]) == (None, None)
    kase = account.post("/kases", {"kase": {"name": "Fit-out", "party": customer["id"]}}).json()[
        "kase"
    ]
    both = account.post(
        "/tasks",
        {
            "task": {
                "description": "x",
                "dueOn": "2026-01-01",
                "party": customer["id"],
                "kase": kase["id"],
            }
        },
    )
    assert errors_of(both)[0]["message"] == "task can be related to at most one entity"
    # null on the old link and an id on the new one in the same request swaps it
    swapped = change(account, on_party, party=None, kase={"id": kase["id"]}).json()["task"]
    assert swapped["party"] is None
    assert swapped["kase"] == {"id": kase["id"], "name": "Fit-out"}
    assert errors_of(change(account, swapped, party=customer["id"]))[0]["field"] == "party"
    assert errors_of(change(account, swapped, opportunity=99999999))[0] == {
        "message": "opportunity not found",
        "resource": "task",
        "field": "opportunity",
    }


def test_category_is_referred_to_by_id_or_name(account):
    category = account.post(
        "/categories", {"category": {"name": "Billing", "colour": "#d36c00"}}
    ).json()["category"]
    by_id = create(account, category={"id": category["id"]})
    assert by_id["category"] == category
    assert create(account, category={"name": "billing"})["category"] == category
    unknown = account.post(
        "/tasks", {"task": {"description": "x", "dueOn": "2026-01-01", "category": 9999999}}
    )
    assert errors_of(unknown)[0] == {
        "message": "category not found",
        "resource": "task",
        "field": "category",
    }


def test_deleting_a_category_leaves_its_tasks_uncategorised(account):
    category = account.post("/categories", {"category": {"name": "Calls"}}).json()["category"]
    task = create(account, category=category["id"])
    assert account.delete(f"/categories/{category['id']}").status_code == 204
    assert account.get(f"/tasks/{task['id']}").json()["task"]["category"] is None


def test_owner_defaults_to_the_token_user_and_can_be_another_user(account, engine):
    other_id, _ = add_user(engine, account, "Ben Other", "ben")
    task = create(account, owner={"id": other_id})
    assert task["owner"]["username"] == "ben"
    assert errors_of(change(account, task, owner=None))[0]["field"] == "owner"
    assert errors_of(change(account, task, owner=99999999))[0]["message"] == "owner not found"


def test_completing_a_task_records_who_and_when(account, engine):
    task = create(account)
    before = now()
    completed = change(account, task, status="COMPLETED").json()["task"]
    assert completed["status"] == "COMPLETED"
    assert completed["completedBy"] == "ada"
    assert completed["completedAt"] >= before
    reopened = change(account, completed, status="OPEN").json()["task"]
    assert (reopened["status"], reopened["completedAt"], reopened["completedBy"]) == (
        "OPEN",
        None,
        None,
    )
    earlier = change(account, task, status="completed", completedAt="2026-03-01T10:00:00Z")
    assert earlier.json()["task"]["completedAt"] == "2026-03-01T10:00:00Z"


def test_completing_a_party_task_files_a_task_completed_entry_which_reopening_removes(
    account, customer
):
    task = create(account, party=customer["id"], description="Call about invoice")
    change(account, task, status="COMPLETED")
    entries = account.get(f"/parties/{customer['id']}/entries").json()["entries"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["type"] == "task"
    assert entry["activityType"] == {"id": -4, "name": "Task completed"}
    assert entry["content"] == "Call about invoice"
    assert entry["party"]["id"] == customer["id"]
    assert list(entry) == [
        "id",
        "type",
        "creator",
        "activityType",
        "createdAt",
        "updatedAt",
        "content",
        "entryAt",
        "party",
    ]
    change(account, task, status="OPEN")
    assert account.get(f"/parties/{customer['id']}/entries").json()["entries"] == []


def test_completing_an_opportunity_task_files_the_entry_on_the_opportunity(account, customer):
    milestone = account.get("/milestones").json()["milestones"][0]
    opportunity = account.post(
        "/opportunities",
        {"opportunity": {"name": "Chairs", "party": customer["id"], "milestone": milestone["id"]}},
    ).json()["opportunity"]
    task = create(account, opportunity=opportunity["id"])
    change(account, task, status="COMPLETED")
    entries = account.get(f"/opportunities/{opportunity['id']}/entries").json()["entries"]
    assert [(e["type"], e["opportunity"]["id"]) for e in entries] == [("task", opportunity["id"])]


def test_creating_a_completed_task_completes_it(account, customer):
    task = create(account, party=customer["id"], status="COMPLETED")
    assert task["status"] == "COMPLETED"
    assert task["completedBy"] == "ada"
    assert len(account.get(f"/parties/{customer['id']}/entries").json()["entries"]) == 1


def test_setting_the_same_status_again_changes_nothing(account):
    task = create(account)
    again = change(account, task, status="open").json()["task"]
    assert again["updatedAt"] == task["updatedAt"]
    assert again == task


def test_pending_cannot_be_set_by_clients(account):
    task = create(account)
    assert errors_of(change(account, task, status="PENDING"))[0] == {
        "message": "cannot set task status to PENDING",
        "resource": "task",
        "field": "status",
    }
    assert errors_of(change(account, task, status="DONE"))[0]["field"] == "status"


def test_completed_tasks_stay_editable(account):
    task = create(account, status="COMPLETED")
    edited = change(account, task, detail="Paid by card").json()["task"]
    assert (edited["detail"], edited["status"]) == ("Paid by card", "COMPLETED")


def test_completing_a_repeating_task_creates_its_next_occurrence(account, customer):
    repeat = {"interval": 3, "frequency": "MONTHLY", "on": "31"}
    task = create(account, party=customer["id"], dueOn="2026-01-31", repeat=repeat)
    assert task["repeat"] == repeat
    done = change(account, task, status="COMPLETED").json()["task"]
    assert done["repeat"] is None  # the rule moves on to the next occurrence
    (following,) = account.get("/tasks").json()["tasks"]
    assert following["id"] != task["id"]
    assert following["dueOn"] == "2026-04-30"  # day 31, in a 30-day month
    assert following["repeat"] == repeat
    assert following["party"]["id"] == customer["id"]
    assert (following["description"], following["status"]) == (task["description"], "OPEN")


def test_repeat_needs_a_known_frequency(account):
    response = account.post(
        "/tasks",
        {"task": {"description": "x", "dueOn": "2026-01-01", "repeat": {"frequency": "HOURLY"}}},
    )
    assert errors_of(response)[0]["field"] == "repeat.frequency"
    weekly = create(account, repeat={"frequency": "weekly"})
    assert weekly["repeat"] == {"interval": 1, "frequency": "WEEKLY", "on": None}
    assert change(account, weekly, repeat=None).json()["task"]["repeat"] is None


def test_list_shows_open_tasks_soonest_due_first(account):
    late = create(account, dueOn="2026-05-02")
    timed = create(account, dueOn="2026-05-01", dueTime="08:00")
    all_day = create(account, dueOn="2026-05-01")
    done = create(account, dueOn="2026-04-01", status="COMPLETED")
    assert listed(account) == [all_day["id"], timed["id"], late["id"]]
    assert listed(account, "?status=completed") == [done["id"]]
    assert listed(account, "?status=OPEN,completed") == [
        done["id"],
        all_day["id"],
        timed["id"],
        late["id"],
    ]
    assert errors_of(account.get("/tasks?status=open,finished"))[0]["field"] == "status"


def test_list_filters_by_owner_category_due_dates_repeat_and_link(account, engine, customer):
    other_id, _ = add_user(engine, account, "Ben Other", "ben")
    category = account.post("/categories", {"category": {"name": "Calls"}}).json()["category"]
    mine = create(account, dueOn="2026-06-01")
    bens = create(account, dueOn="2026-06-02", owner=other_id)
    calls = create(account, dueOn="2026-06-03", category=category["id"])
    repeating = create(account, dueOn="2026-06-04", repeat={"frequency": "DAILY"})
    on_party = create(account, dueOn="2026-06-05", party=customer["id"])
    assert listed(account, f"?owner={other_id}") == [bens["id"]]
    assert listed(account, f"?category={category['id']}") == [calls["id"]]
    assert listed(account, "?dueFrom=2026-06-02&dueTo=2026-06-03") == [bens["id"], calls["id"]]
    assert listed(account, "?dueTo=2026-06-01T23:00:00Z") == [mine["id"]]
    assert listed(account, "?repeating=true") == [repeating["id"]]
    assert len(listed(account, "?repeating=false")) == 4
    assert listed(account, "?relatedTo=party") == [on_party["id"]]
    assert listed(account, "?relatedTo=kase,opportunity") == []
    for query in ("?owner=ben", "?dueFrom=tomorrow", "?repeating=maybe", "?relatedTo=user"):
        assert account.get(f"/tasks{query}").status_code == 422, query


def test_list_since_shows_tasks_changed_since(account):
    old = create(account)
    later = create(account)
    change(account, later, detail="changed")
    changed_at = account.get(f"/tasks/{later['id']}").json()["task"]["updatedAt"]
    assert later["id"] in listed(account, f"?since={changed_at}")
    assert old["id"] in listed(account, "?since=2000-01-01T00:00:00Z")


def test_embeds_render_the_full_records(account, customer):
    task = create(account, party=customer["id"])
    embedded = account.get(f"/tasks/{task['id']}?embed=party,owner").json()["task"]
    assert embedded["party"]["name"] == "ABC Furniture"
    assert "addresses" in embedded["party"]  # the full party
    assert embedded["owner"]["username"] == "ada"
    assert "timezone" in embedded["owner"]  # the full user


def test_show_several_ids_at_once(account):
    first, second = create(account), create(account)
    response = account.get(f"/tasks/{second['id']},{first['id']}")
    assert [t["id"] for t in response.json()["tasks"]] == [second["id"], first["id"]]


def test_delete_is_permanent(account):
    task = create(account)
    assert account.delete(f"/tasks/{task['id']}").status_code == 204
    assert account.get(f"/tasks/{task['id']}").status_code == 404
    assert account.delete(f"/tasks/{task['id']}").status_code == 404


def test_deleting_a_party_deletes_its_tasks(account, customer):
    task = create(account, party=customer["id"])
    assert account.delete(f"/parties/{customer['id']}").status_code == 204
    assert account.get(f"/tasks/{task['id']}").status_code == 404


def test_another_accounts_task_is_not_found(account, other_account):
    task = create(account)
    assert other_account.get(f"/tasks/{task['id']}").status_code == 404
    assert other_account.put(f"/tasks/{task['id']}", {"task": {"detail": "x"}}).status_code == 404
    assert other_account.delete(f"/tasks/{task['id']}").status_code == 404
    assert task["id"] not in listed(other_account, "?status=open,completed,pending")


def test_a_refused_update_changes_nothing(account, engine, customer):
    task = create(account, party=customer["id"])
    before = account_snapshot(engine, account.id)
    response = change(account, task, status="COMPLETED", dueOn="not a date")
    assert response.status_code == 422
    assert account_snapshot(engine, account.id) == before
