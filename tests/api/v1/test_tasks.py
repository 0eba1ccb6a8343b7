"""API v1 tasks, in XML and in JSON, over the same tasks as v2: due dates in UTC against v2's
local times, links to records, completing and reopening, and the task lists."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.api.snapshot import account_snapshot
from tests.api.v1.fuzzing import PER_FORMAT, never_fail
from tests.api.v1.wire import FORMATS, V1, created_id, error_message, items
from tests.api.v2.checks import add_user

pytestmark = pytest.mark.parametrize("fmt", FORMATS)

CALL = {"description": "Call customer", "dueDate": "2012-02-24T00:00:00Z"}


def create_task(v1: V1, fmt: str, path: str = "/task", **document: str) -> int:
    return created_id(v1.post(path, {"task": {**CALL, **document}}, fmt))


def show(v1: V1, fmt: str, task_id: int) -> dict:
    return v1.read(f"/task/{task_id}", fmt)["task"]


def listed(v1: V1, fmt: str, path: str) -> list[str]:
    return [task["id"] for task in items(v1.read(path, fmt)["tasks"].get("task"))]


@pytest.fixture
def customer(account) -> int:
    body = {"party": {"type": "organisation", "name": "ABC Furniture"}}
    return account.post("/parties", body).json()["party"]["id"]


@pytest.fixture
def meeting(account) -> int:
    return account.post("/categories", {"category": {"name": "Meeting"}}).json()["category"]["id"]


def opportunity_of(account, party_id: int) -> int:
    milestone = account.get("/milestones").json()["milestones"][0]["id"]
    body = {"opportunity": {"name": "Chairs", "party": party_id, "milestone": milestone}}
    return account.post("/opportunities", body).json()["opportunity"]["id"]


def kase_of(account, party_id: int) -> int:
    return account.post("/kases", {"kase": {"name": "Fit-out", "party": party_id}}).json()["kase"][
        "id"
    ]


# -- create and show ------------------------------------------------------------------------------


def test_creating_a_task_answers_201_with_an_empty_body_and_its_location(v1, fmt):
    response = v1.post("/task", {"task": CALL}, fmt)
    assert response.status_code == 201
    assert response.content == b""
    location = response.headers["Location"]
    assert location.startswith("http://pillbox.test/api/task/")
    assert location.rsplit("/", 1)[1].isdigit()


def test_a_created_task_shows_every_field_as_a_string(v1, fmt, meeting):
    task_id = create_task(v1, fmt, detail="About the chairs", category="meeting", owner="ada")
    task = show(v1, fmt, task_id)
    assert task.pop("createdOn").endswith("Z")
    assert task.pop("updatedOn").endswith("Z")
    assert task == {
        "id": str(task_id),
        "description": "Call customer",
        "detail": "About the chairs",
        "category": "Meeting",
        "dueDate": "2012-02-24T00:00:00Z",
        "owner": "ada",
        "status": "OPEN",
    }


def test_xml_shows_a_task_in_v1s_element_order(v1, fmt, customer):
    task_id = create_task(v1, fmt, f"/party/{customer}/task")
    body = v1.get(f"/task/{task_id}").text
    assert body.startswith(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<task><id>{task_id}</id><description>Call customer</description>"
        "<dueDate>2012-02-24T00:00:00Z</dueDate><owner>ada</owner>"
        f"<partyId>{customer}</partyId><partyName>ABC Furniture</partyName>"
        "<status>OPEN</status><createdOn>"
    )


def test_a_due_date_time_is_kept_to_the_minute_in_the_owners_zone(account, v1, fmt):
    task_id = create_task(v1, fmt, dueDate="", dueDateTime="2012-04-21T15:30:45Z")
    task = show(v1, fmt, task_id)
    assert task["dueDateTime"] == "2012-04-21T15:30:00Z"
    assert "dueDate" not in task
    v2 = account.get(f"/tasks/{task_id}").json()["task"]
    assert (v2["dueOn"], v2["dueTime"]) == ("2012-04-21", "16:30:00")  # London summer time


def test_an_owner_in_another_zone_keeps_the_same_moment(account, engine, v1, fmt):
    user_id, headers = add_user(engine, account, "Nora North", "nora")
    body = {"user": {"timezone": "America/New_York"}}
    assert account.put(f"/users/{user_id}", body, headers=headers).status_code == 200
    task_id = create_task(v1, fmt, owner="nora", dueDateTime="2012-01-10T02:00:00Z")
    v2 = account.get(f"/tasks/{task_id}").json()["task"]
    assert (v2["dueOn"], v2["dueTime"]) == ("2012-01-09", "21:00:00")
    assert show(v1, fmt, task_id)["dueDateTime"] == "2012-01-10T02:00:00Z"


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        ({"dueDate": "2012-02-24"}, ("2012-02-24", None)),
        ({"dueDate": "2012-02-24T18:00:00+05:00"}, ("2012-02-24", None)),
        ({"dueDateTime": "2012-02-24 10:00:00"}, ("2012-02-24", "10:00:00")),
        ({"dueDateTime": "2012-02-24T10:00:00.250Z"}, ("2012-02-24", "10:00:00")),
        ({"dueDateTime": "2012-02-24T12:00:00+02:00"}, ("2012-02-24", "10:00:00")),
        ({"dueDateTime": "2012-02-24"}, ("2012-02-24", "00:00:00")),
        (
            {"dueDate": "2012-01-01", "dueDateTime": "2012-02-24T10:00:00Z"},
            ("2012-02-24", "10:00:00"),
        ),
    ],
)
def test_due_dates_are_read_in_the_forms_clients_send(account, v1, fmt, sent, due):
    response = v1.post("/task", {"task": {"description": "x", **sent}}, fmt)
    assert response.status_code == 201, response.text
    task_id = response.headers["Location"].rsplit("/", 1)[1]
    v2 = account.get(f"/tasks/{task_id}").json()["task"]
    assert (v2["dueOn"], v2["dueTime"]) == due  # London is on UTC in winter


@pytest.mark.parametrize(
    ("document", "text"),
    [
        ({"dueDate": "24/02/2012"}, "dueDate must be a date-time"),
        ({"dueDate": "2012-02-30"}, "dueDate must be a date-time"),
        ({"dueDate": "", "dueDateTime": "tomorrow"}, "dueDateTime must be a date-time"),
        ({"dueDate": ""}, "A task needs a dueDate or a dueDateTime"),
        ({"description": ""}, "description is required"),
        ({"category": "Nonsense"}, "category not found"),
        ({"owner": "nobody"}, "owner not found"),
        ({"owner": ""}, "owner is required"),
        ({"description": "x" * 501}, "description is too long"),
    ],
)
def test_a_task_breaking_a_rule_is_400_and_creates_nothing(
    account, engine, v1, fmt, document, text
):
    before = account_snapshot(engine, account.id)
    response = v1.post("/task", {"task": {**CALL, **document}}, fmt)
    assert response.status_code == 400
    assert text in error_message(response, fmt)
    assert account_snapshot(engine, account.id) == before


def test_due_dates_at_the_edge_of_the_calendar_never_fail(account, engine, v1, fmt):
    user_id, headers = add_user(engine, account, "Nora North", "nora")
    account.put(f"/users/{user_id}", {"user": {"timezone": "Asia/Tokyo"}}, headers=headers)
    late = {"owner": "nora", "dueDateTime": "9999-12-31T23:00:00Z"}
    response = v1.post("/task", {"task": {**CALL, **late}}, fmt)
    assert response.status_code == 400
    assert "dueDateTime is out of range" in error_message(response, fmt)
    body = {"task": {"description": "Early", "dueOn": "0001-01-01", "dueTime": "00:30"}}
    made = account.post("/tasks", body).json()["task"]
    account.put(f"/tasks/{made['id']}", {"task": {"owner": user_id}})
    assert show(v1, fmt, made["id"])["dueDateTime"] == "0001-01-01T00:30:00Z"
    ancient = create_task(v1, fmt, owner="nora", dueDateTime="0500-06-01T10:00:00Z")
    assert show(v1, fmt, ancient)["dueDateTime"] == "0500-06-01T10:00:00Z"


def test_a_task_without_any_due_date_is_400(v1, fmt):
    response = v1.post("/task", {"task": {"description": "Call"}}, fmt)
    assert response.status_code == 400
    assert "dueDate" in error_message(response, fmt)


def test_a_malformed_body_or_the_wrong_root_is_400(v1, fmt):
    assert v1.post("/task", {"person": CALL}, fmt).status_code == 400
    content_type = "application/json" if fmt == "json" else "application/xml"
    broken = v1.request(
        "POST", "/task", fmt, content=b"<task><desc", headers={"Content-Type": content_type}
    )
    assert broken.status_code == 400
    assert v1.read("/tasks", fmt) == {"tasks": {"@size": "0"}}


def test_read_only_elements_are_ignored(v1, fmt, customer):
    task_id = create_task(v1, fmt, status="COMPLETED", partyId=str(customer), id="5")
    task = show(v1, fmt, task_id)
    assert task["status"] == "OPEN"
    assert "partyId" not in task


# -- on records -----------------------------------------------------------------------------------


def test_a_task_is_created_on_a_party_an_opportunity_or_a_case(account, v1, fmt, customer):
    opportunity, kase = opportunity_of(account, customer), kase_of(account, customer)
    on_party = show(v1, fmt, create_task(v1, fmt, f"/party/{customer}/task"))
    assert (on_party["partyId"], on_party["partyName"]) == (str(customer), "ABC Furniture")
    on_opportunity = show(v1, fmt, create_task(v1, fmt, f"/opportunity/{opportunity}/task"))
    assert (on_opportunity["opportunityId"], on_opportunity["opportunityName"]) == (
        str(opportunity),
        "Chairs",
    )
    assert "partyId" not in on_opportunity
    on_kase = show(v1, fmt, create_task(v1, fmt, f"/kase/{kase}/task"))
    assert (on_kase["caseId"], on_kase["caseName"]) == (str(kase), "Fit-out")
    v2 = account.get(f"/tasks/{on_kase['id']}").json()["task"]
    assert v2["kase"] == {"id": kase, "name": "Fit-out"}


def test_a_persons_task_shows_the_persons_full_name(account, v1, fmt):
    body = {"party": {"type": "person", "firstName": "Eric", "lastName": "Jones"}}
    person = account.post("/parties", body).json()["party"]["id"]
    task = show(v1, fmt, create_task(v1, fmt, f"/party/{person}/task"))
    assert task["partyName"] == "Eric Jones"


@pytest.mark.parametrize("segment", ["party", "opportunity", "kase"])
def test_a_task_on_a_missing_record_is_404_and_creates_nothing(v1, fmt, segment):
    response = v1.post(f"/{segment}/999999/task", {"task": CALL}, fmt)
    assert response.status_code == 404
    assert v1.get(f"/{segment}/999999/tasks", fmt).status_code == 404
    assert v1.read("/tasks", fmt) == {"tasks": {"@size": "0"}}


def test_a_records_tasks_list_only_its_open_tasks(account, v1, fmt, customer):
    other = account.post("/parties", {"party": {"type": "organisation", "name": "B"}}).json()
    first = create_task(v1, fmt, f"/party/{customer}/task", dueDate="2012-03-01")
    earlier = create_task(v1, fmt, f"/party/{customer}/task", dueDate="2012-01-01")
    done = create_task(v1, fmt, f"/party/{customer}/task")
    create_task(v1, fmt, f"/party/{other['party']['id']}/task")
    assert v1.post(f"/task/{done}/complete", None, fmt).status_code == 200
    assert listed(v1, fmt, f"/party/{customer}/tasks") == [str(earlier), str(first)]
    assert listed(v1, fmt, f"/party/{customer}/tasks?status=completed") == [str(done)]
    opportunity = opportunity_of(account, customer)
    on_opportunity = create_task(v1, fmt, f"/opportunity/{opportunity}/task")
    assert listed(v1, fmt, f"/opportunity/{opportunity}/tasks") == [str(on_opportunity)]
    kase = kase_of(account, customer)
    assert v1.read(f"/kase/{kase}/tasks", fmt) == {"tasks": {"@size": "0"}}


# -- update and delete ----------------------------------------------------------------------------


def test_an_update_answers_200_and_changes_only_what_is_sent(v1, fmt, meeting):
    task_id = create_task(v1, fmt, detail="Chairs", category="Meeting")
    before = show(v1, fmt, task_id)
    response = v1.put(f"/task/{task_id}", {"task": {"description": "Call back"}}, fmt)
    assert response.status_code == 200
    assert response.content == b""
    after = show(v1, fmt, task_id)
    assert after["description"] == "Call back"
    unchanged = ("description", "updatedOn")
    assert {k: v for k, v in after.items() if k not in unchanged} == {
        k: v for k, v in before.items() if k not in unchanged
    }


def test_an_empty_element_clears_its_field_and_due_dates_switch(v1, fmt, meeting):
    task_id = create_task(v1, fmt, detail="Chairs", category="Meeting")
    change = {"detail": "", "category": "", "dueDateTime": "2012-12-01T09:00:00Z"}
    assert v1.put(f"/task/{task_id}", {"task": change}, fmt).status_code == 200
    task = show(v1, fmt, task_id)
    assert "detail" not in task and "category" not in task and "dueDate" not in task
    assert task["dueDateTime"] == "2012-12-01T09:00:00Z"
    assert v1.put(f"/task/{task_id}", {"task": {"dueDate": "2012-12-02"}}, fmt).status_code == 200
    task = show(v1, fmt, task_id)
    assert task["dueDate"] == "2012-12-02T00:00:00Z"
    assert "dueDateTime" not in task


def test_a_due_time_updated_alone_is_read_in_the_current_owners_zone(account, engine, v1, fmt):
    user_id, headers = add_user(engine, account, "Nora North", "nora")
    account.put(f"/users/{user_id}", {"user": {"timezone": "Asia/Tokyo"}}, headers=headers)
    task_id = create_task(v1, fmt, owner="nora")
    change = {"dueDateTime": "2012-02-24T20:00:00Z"}
    assert v1.put(f"/task/{task_id}", {"task": change}, fmt).status_code == 200
    v2 = account.get(f"/tasks/{task_id}").json()["task"]
    assert (v2["dueOn"], v2["dueTime"]) == ("2012-02-25", "05:00:00")
    assert show(v1, fmt, task_id)["owner"] == "nora"


@pytest.mark.parametrize(
    "change",
    [
        {"dueDate": "soon"},
        {"dueDate": ""},
        {"dueDateTime": "2012-02-24T25:00:00Z"},
        {"description": ""},
        {"owner": "nobody"},
    ],
)
def test_a_bad_update_is_400_and_changes_nothing(account, engine, v1, fmt, change):
    task_id = create_task(v1, fmt)
    before = account_snapshot(engine, account.id)
    assert v1.put(f"/task/{task_id}", {"task": change}, fmt).status_code == 400
    assert account_snapshot(engine, account.id) == before


def test_updating_a_missing_task_is_404(v1, fmt):
    assert v1.put("/task/999999", {"task": {"description": "x"}}, fmt).status_code == 404


def test_deleting_a_task_answers_200_and_it_is_gone(v1, fmt):
    task_id = create_task(v1, fmt)
    response = v1.delete(f"/task/{task_id}", fmt)
    assert response.status_code == 200
    assert response.content == b""
    assert v1.get(f"/task/{task_id}", fmt).status_code == 404
    assert v1.delete(f"/task/{task_id}", fmt).status_code == 404


# -- complete and reopen --------------------------------------------------------------------------


def test_completing_files_the_entry_and_reopening_takes_it_away(account, v1, fmt, customer):
    task_id = create_task(v1, fmt, f"/party/{customer}/task", description="Call about invoice")
    response = v1.post(f"/task/{task_id}/complete", None, fmt)
    assert (response.status_code, response.content) == (200, b"")
    task = show(v1, fmt, task_id)
    assert task["status"] == "COMPLETED"
    assert task["completedOn"].endswith("Z")
    v2 = account.get(f"/tasks/{task_id}").json()["task"]
    assert (v2["status"], v2["completedAt"], v2["completedBy"]) == (
        "COMPLETED",
        task["completedOn"],
        "ada",
    )
    entries = account.get(f"/parties/{customer}/entries").json()["entries"]
    assert [(e["type"], e["content"]) for e in entries] == [("task", "Call about invoice")]
    assert v1.post(f"/task/{task_id}/reopen", None, fmt).status_code == 200
    task = show(v1, fmt, task_id)
    assert task["status"] == "OPEN"
    assert "completedOn" not in task
    assert account.get(f"/parties/{customer}/entries").json()["entries"] == []


def test_completing_twice_or_reopening_an_open_task_changes_nothing(account, engine, v1, fmt):
    task_id = create_task(v1, fmt)
    before = account_snapshot(engine, account.id)
    assert v1.post(f"/task/{task_id}/reopen", None, fmt).status_code == 200
    assert account_snapshot(engine, account.id) == before
    assert v1.post(f"/task/{task_id}/complete", None, fmt).status_code == 200
    completed = account_snapshot(engine, account.id)
    assert v1.post(f"/task/{task_id}/complete", None, fmt).status_code == 200
    assert account_snapshot(engine, account.id) == completed


def test_a_task_completed_in_v2_shows_completed_in_v1(account, v1, fmt):
    task_id = create_task(v1, fmt)
    account.put(f"/tasks/{task_id}", {"task": {"status": "COMPLETED"}})
    assert show(v1, fmt, task_id)["status"] == "COMPLETED"
    assert listed(v1, fmt, "/tasks") == []


def test_completing_or_reopening_a_missing_task_is_404(v1, fmt):
    assert v1.post("/task/999999/complete", None, fmt).status_code == 404
    assert v1.post("/task/999999/reopen", None, fmt).status_code == 404


# -- lists ----------------------------------------------------------------------------------------


def test_an_empty_list_carries_size_zero(v1, fmt):
    response = v1.get("/tasks", fmt)
    if fmt == "xml":
        assert response.content.endswith(b'<tasks size="0"/>')
    else:
        assert response.json() == {"tasks": {"@size": "0"}}


def test_the_list_holds_open_tasks_soonest_first_unless_status_asks(v1, fmt):
    later = create_task(v1, fmt, dueDate="2012-05-01")
    sooner = create_task(v1, fmt, dueDate="2012-01-01")
    timed = create_task(v1, fmt, dueDate="", dueDateTime="2012-01-01T09:00:00Z")
    done = create_task(v1, fmt)
    v1.post(f"/task/{done}/complete", None, fmt)
    assert listed(v1, fmt, "/tasks") == [str(sooner), str(timed), str(later)]
    assert listed(v1, fmt, "/tasks?status=COMPLETED") == [str(done)]
    assert listed(v1, fmt, "/tasks?status=open,completed") == [
        str(sooner),
        str(timed),
        str(done),
        str(later),
    ]
    assert listed(v1, fmt, "/tasks?status=PENDING") == []


def test_one_task_listed_is_a_bare_object(v1, fmt):
    task_id = create_task(v1, fmt)
    assert v1.read("/tasks", fmt)["tasks"]["task"]["id"] == str(task_id)


def test_category_and_user_filter_by_name(account, engine, v1, fmt, meeting):
    add_user(engine, account, "Nora North", "nora")
    in_meeting = create_task(v1, fmt, category="Meeting")
    noras = create_task(v1, fmt, owner="nora")
    both = create_task(v1, fmt, owner="nora", category="Meeting")
    assert listed(v1, fmt, "/tasks?category=meeting") == [str(in_meeting), str(both)]
    assert listed(v1, fmt, "/tasks?user=Nora") == [str(noras), str(both)]
    assert listed(v1, fmt, "/tasks?user=nora&category=Meeting") == [str(both)]
    assert listed(v1, fmt, "/tasks?category=Nothing") == []
    assert listed(v1, fmt, "/tasks?user=nobody") == []


def test_start_and_limit_page_the_list_and_size_counts_the_answer(v1, fmt):
    ids = [str(create_task(v1, fmt, dueDate=f"2012-01-0{day}")) for day in range(1, 6)]
    assert listed(v1, fmt, "/tasks?start=1&limit=2") == ids[1:3]
    assert v1.get("/tasks?start=3").text.count('<tasks size="2">') == 1
    assert listed(v1, fmt, "/tasks?start=10") == []


@pytest.mark.parametrize("query", ["status=DONE", "status=,", "start=x", "limit=1.5"])
def test_an_unreadable_list_parameter_is_400(v1, fmt, query):
    assert v1.get(f"/tasks?{query}", fmt).status_code == 400


# -- isolation, scope and v2 ----------------------------------------------------------------------


def test_another_accounts_task_and_records_are_404_everywhere(client, other_account, v1, fmt):
    theirs = V1(client, other_account.token)
    party = other_account.post(
        "/parties", {"party": {"type": "organisation", "name": "Theirs"}}
    ).json()["party"]["id"]
    task_id = create_task(theirs, fmt, f"/party/{party}/task")
    assert v1.get(f"/task/{task_id}", fmt).status_code == 404
    assert v1.put(f"/task/{task_id}", {"task": {"description": "Mine"}}, fmt).status_code == 404
    assert v1.post(f"/task/{task_id}/complete", None, fmt).status_code == 404
    assert v1.post(f"/task/{task_id}/reopen", None, fmt).status_code == 404
    assert v1.delete(f"/task/{task_id}", fmt).status_code == 404
    assert v1.post(f"/party/{party}/task", {"task": CALL}, fmt).status_code == 404
    assert v1.get(f"/party/{party}/tasks", fmt).status_code == 404
    assert v1.read("/tasks", fmt) == {"tasks": {"@size": "0"}}
    assert show(theirs, fmt, task_id)["description"] == "Call customer"


def test_tasks_need_a_token_and_a_read_token_may_not_write(client, account, v1, fmt):
    task_id = create_task(v1, fmt)
    assert client.get(f"/api/task/{task_id}").status_code == 401
    reader = V1(client, account.read_token)
    assert reader.get(f"/task/{task_id}", fmt).status_code == 200
    assert reader.post(f"/task/{task_id}/complete", None, fmt).status_code == 403
    assert reader.post("/task", {"task": CALL}, fmt).status_code == 403
    assert show(v1, fmt, task_id)["status"] == "OPEN"


def test_a_task_round_trips_v1_to_v2_to_v1(account, v1, fmt, customer, meeting):
    task_id = create_task(v1, fmt, f"/party/{customer}/task", detail="Chairs", category="Meeting")
    v2 = account.get(f"/tasks/{task_id}").json()["task"]
    assert (v2["description"], v2["detail"], v2["dueOn"], v2["dueTime"]) == (
        "Call customer",
        "Chairs",
        "2012-02-24",
        None,
    )
    assert (v2["category"]["id"], v2["party"]["id"], v2["owner"]["username"]) == (
        meeting,
        customer,
        "ada",
    )
    change = {"description": "Visit customer", "dueOn": "2012-07-01", "dueTime": "14:00"}
    assert account.put(f"/tasks/{task_id}", {"task": change}).status_code == 200
    task = show(v1, fmt, task_id)
    assert task["description"] == "Visit customer"
    assert task["dueDateTime"] == "2012-07-01T13:00:00Z"  # 14:00 in London's summer
    assert task["updatedOn"] == account.get(f"/tasks/{task_id}").json()["task"]["updatedAt"]


def test_a_task_made_in_v2_shows_in_v1(account, v1, fmt):
    body = {"task": {"description": "From v2", "dueOn": "2012-02-24", "dueTime": "09:30"}}
    made = account.post("/tasks", body).json()["task"]
    task = show(v1, fmt, made["id"])
    assert (task["description"], task["dueDateTime"]) == ("From v2", "2012-02-24T09:30:00Z")
    assert listed(v1, fmt, "/tasks") == [str(made["id"])]


# -- any input ------------------------------------------------------------------------------------

TASK_ELEMENTS = ["description", "detail", "category", "dueDate", "dueDateTime", "owner", "x"]
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            "ada",
            "Meeting",
            "2012-02-24",
            "2012-02-24T10:00:00Z",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "2012-02-24 10:00",
            "x" * 600,
        ]
    ),
)
task_documents = st.dictionaries(
    st.sampled_from(TASK_ELEMENTS),
    st.one_of(
        values,
        st.lists(values, max_size=2),
        st.dictionaries(st.sampled_from(TASK_ELEMENTS), values, max_size=2),
    ),
    max_size=6,
)
list_queries = st.dictionaries(
    st.sampled_from(["status", "category", "user", "start", "limit"]),
    st.one_of(st.text(max_size=12), st.sampled_from(["OPEN", "completed,pending", "-1", "ada"])),
    max_size=4,
)


@pytest.fixture
def seeded(account, v1, customer, meeting):
    return account.id, create_task(v1, "xml", f"/party/{customer}/task"), customer


@PER_FORMAT
@given(document=task_documents)
def test_writes_never_fail_on_any_document(engine, v1, fmt, seeded, document):
    account_id, task_id, party = seeded

    def send(method: str, path: str) -> Any:
        return v1.request(method, path, fmt, {"task": document})

    writes = [("POST", "/task"), ("PUT", f"/task/{task_id}"), ("POST", f"/party/{party}/task")]
    never_fail(engine, account_id, send, writes)


@PER_FORMAT
@given(query=list_queries)
def test_lists_never_fail_on_any_query(engine, v1, fmt, seeded, query):
    account_id, _, party = seeded

    def send(method: str, path: str) -> Any:
        return v1.request(method, path, fmt, params=query)

    never_fail(engine, account_id, send, [("GET", "/tasks"), ("GET", f"/party/{party}/tasks")])
