"""Track definitions (/trackdefinitions): templates of tracks, with their task definitions."""

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from pillbox.store.tables.tasks import task_definitions, track_definitions, tracks
from tests.api.snapshot import account_snapshot
from tests.api.v2.checks import add_user, errors_of

OLD = "2020-01-01T00:00:00Z"


def task(description="First review", **changes):
    """A valid new task definition, with some properties changed."""
    return {
        "description": description,
        "daysAfterRule": "TRACK_START",
        "daysAfter": 5,
        "dayDelayRule": "TRACK_DAYS",
        "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"},
        **changes,
    }


def definition(**changes):
    return {
        "description": "Complaint Process",
        "captureRule": "OPPORTUNITY",
        "direction": "START_DATE",
        **changes,
    }


def create(account, **changes):
    response = account.post("/trackdefinitions", {"trackDefinition": definition(**changes)})
    assert response.status_code == 201, response.text
    return response.json()["trackDefinition"]


def change(account, definition_id, **changes):
    return account.put(f"/trackdefinitions/{definition_id}", {"trackDefinition": changes})


def tasks_of(account, definition_id):
    shown = account.get(f"/trackdefinitions/{definition_id}").json()["trackDefinition"]
    return shown["taskDefinitions"]


def test_definition_is_shown_in_capsules_key_order(account):
    created = account.post(
        "/trackdefinitions",
        {"trackDefinition": definition(tag=" complaint ", taskDefinitions=[task()])},
    )
    assert created.status_code == 201
    record = created.json()["trackDefinition"]
    assert created.headers["Location"].endswith(f"/api/v2/trackdefinitions/{record['id']}")
    assert list(record) == [
        "id",
        "description",
        "tag",
        "captureRule",
        "direction",
        "createdAt",
        "updatedAt",
        "taskDefinitions",
    ]
    assert (record["description"], record["tag"]) == ("Complaint Process", "complaint")
    [first] = record["taskDefinitions"]
    assert first == {
        "id": first["id"],
        "description": "First review",
        "daysAfterRule": "TRACK_START",
        "daysAfter": 5,
        "displayOrder": 1,
        "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"},
        "dayDelayRule": "TRACK_DAYS",
        "category": None,
        "createdAt": first["createdAt"],
        "updatedAt": first["updatedAt"],
    }
    shown = account.get(f"/trackdefinitions/{record['id']}").json()
    assert shown == {"trackDefinition": record}


def test_tag_is_null_when_none_is_given(account):
    assert create(account)["tag"] is None
    assert create(account, tag=" ,  ")["tag"] is None


def test_list_filters_by_record_type(account):
    party = create(account, captureRule="PARTY")
    deal = create(account, captureRule="OPPORTUNITY")
    project = create(account, captureRule="CASEFILE")

    def listed(query):
        response = account.get(f"/trackdefinitions{query}")
        assert response.status_code == 200
        return [d["id"] for d in response.json()["trackDefinitions"]]

    assert listed("") == listed("?type=all") == [party["id"], deal["id"], project["id"]]
    assert listed("?type=kases") == [project["id"]]
    assert listed("?type=Opportunities") == [deal["id"]]
    assert listed("?type=PARTIES") == [party["id"]]


def test_list_refuses_an_unknown_type(account):
    [error] = errors_of(account.get("/trackdefinitions?type=tasks"))
    assert (error["resource"], error["field"]) == ("trackDefinition", "type")


@pytest.mark.parametrize("field", ["description", "captureRule", "direction"])
def test_description_capture_rule_and_direction_are_required(account, field):
    body = definition()
    del body[field]
    response = account.post("/trackdefinitions", {"trackDefinition": body})
    assert errors_of(response) == [
        {"message": f"{field} is required", "resource": "trackDefinition", "field": field}
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("captureRule", "opportunity"), ("captureRule", "KASE"), ("direction", "START")],
)
def test_capture_rule_and_direction_take_capsules_exact_values(account, field, value):
    response = account.post("/trackdefinitions", {"trackDefinition": definition(**{field: value})})
    assert errors_of(response)[0]["field"] == field


def test_blank_description_is_refused_on_update(account):
    record = create(account)
    assert errors_of(change(account, record["id"], description="  "))[0]["field"] == "description"


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ("description", "taskDefinitions.description"),
        ("daysAfterRule", "taskDefinitions.daysAfterRule"),
        ("daysAfter", "taskDefinitions.daysAfter"),
        ("dayDelayRule", "taskDefinitions.dayDelayRule"),
        ("trackTaskAssignee", "taskDefinitions.trackTaskAssignee"),
    ],
)
def test_a_new_task_definition_needs_every_rule(account, missing, field):
    item = task()
    del item[missing]
    response = account.post(
        "/trackdefinitions", {"trackDefinition": definition(taskDefinitions=[item])}
    )
    assert errors_of(response)[0]["field"] == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"daysAfterRule": "END_DATE"}, "taskDefinitions.daysAfterRule"),
        ({"dayDelayRule": "TRACK_MONTHS"}, "taskDefinitions.dayDelayRule"),
        ({"daysAfter": -1}, "taskDefinitions.daysAfter"),
        ({"daysAfter": 3651}, "taskDefinitions.daysAfter"),
        ({"daysAfter": "5"}, "taskDefinitions.daysAfter"),
        (
            {"trackTaskAssignee": {"assigneeType": "TEAM"}},
            "taskDefinitions.trackTaskAssignee.assigneeType",
        ),
    ],
)
def test_task_definition_rules_take_capsules_values(account, changes, field):
    body = definition(taskDefinitions=[task(**changes)])
    assert (
        errors_of(account.post("/trackdefinitions", {"trackDefinition": body}))[0]["field"] == field
    )


def test_task_definitions_are_added_changed_and_removed_through_update(account):
    record = create(account, taskDefinitions=[task("Call"), task("Write"), task("Visit")])
    call, write, visit = record["taskDefinitions"]
    response = change(
        account,
        record["id"],
        taskDefinitions=[
            {"id": call["id"], "daysAfter": 10, "dayDelayRule": "TRACK_WORKDAYS"},
            {"id": write["id"], "_delete": True},
            task("Follow up", daysAfterRule="LAST_TASK"),
        ],
    )
    assert response.status_code == 200
    shown = response.json()["trackDefinition"]["taskDefinitions"]
    assert [(t["description"], t["displayOrder"]) for t in shown] == [
        ("Call", 1),
        ("Visit", 3),
        ("Follow up", 4),
    ]
    assert (shown[0]["daysAfter"], shown[0]["dayDelayRule"]) == (10, "TRACK_WORKDAYS")
    assert shown[0]["daysAfterRule"] == "TRACK_START"  # not sent, so kept
    assert shown[1] == visit


def test_task_definitions_are_listed_by_display_order_then_id(account):
    record = create(
        account,
        taskDefinitions=[
            task("C", displayOrder=2),
            task("A", displayOrder=1),
            task("B", displayOrder=2),
        ],
    )
    assert [t["description"] for t in record["taskDefinitions"]] == ["A", "C", "B"]
    moved = change(
        account,
        record["id"],
        taskDefinitions=[{"id": record["taskDefinitions"][2]["id"], "displayOrder": 0}],
    )
    assert [t["description"] for t in moved.json()["trackDefinition"]["taskDefinitions"]] == [
        "B",
        "A",
        "C",
    ]


def test_a_task_definition_of_another_definition_cannot_be_changed(account):
    record = create(account)
    other = create(account, taskDefinitions=[task()])
    foreign = other["taskDefinitions"][0]["id"]
    for item in ({"id": foreign, "description": "Mine"}, {"id": foreign, "_delete": True}):
        response = change(account, record["id"], taskDefinitions=[item])
        assert errors_of(response) == [
            {
                "message": "task definition not found",
                "resource": "trackDefinition",
                "field": "taskDefinitions.id",
            }
        ]
    assert tasks_of(account, other["id"]) == other["taskDefinitions"]


def test_category_is_given_by_id_or_by_name(account):
    billing = account.post("/categories", {"category": {"name": "Billing", "colour": "#D36C00"}})
    category = billing.json()["category"]
    record = create(
        account,
        taskDefinitions=[
            task("By id", category=category["id"]),
            task("By object", category={"id": category["id"]}),
            task("By name", category={"name": "billing"}),
        ],
    )
    assert [t["category"] for t in record["taskDefinitions"]] == [
        {"id": category["id"], "name": "Billing", "colour": "#d36c00"}
    ] * 3
    first = record["taskDefinitions"][0]["id"]
    cleared = change(account, record["id"], taskDefinitions=[{"id": first, "category": None}])
    assert cleared.json()["trackDefinition"]["taskDefinitions"][0]["category"] is None


@pytest.mark.parametrize("category", [987654, {"id": 987654}, {"name": "Nowhere"}])
def test_an_unknown_category_is_refused(account, category):
    body = definition(taskDefinitions=[task(category=category)])
    assert errors_of(account.post("/trackdefinitions", {"trackDefinition": body})) == [
        {
            "message": "category not found",
            "resource": "trackDefinition",
            "field": "taskDefinitions.category",
        }
    ]


def test_another_accounts_category_is_unknown(account, other_account):
    theirs = other_account.post("/categories", {"category": {"name": "Theirs"}}).json()["category"]
    body = definition(taskDefinitions=[task(category=theirs["id"])])
    response = account.post("/trackdefinitions", {"trackDefinition": body})
    assert errors_of(response)[0]["message"] == "category not found"


def test_deleting_a_category_leaves_its_task_definitions_uncategorised(account):
    category = account.post("/categories", {"category": {"name": "Legal"}}).json()["category"]
    record = create(account, taskDefinitions=[task(category=category["id"])])
    assert account.delete(f"/categories/{category['id']}").status_code == 204
    assert tasks_of(account, record["id"])[0]["category"] is None


def test_a_task_can_be_assigned_to_a_named_user(account, engine):
    user_id, _ = add_user(engine, account, "Sam Support", "sam")
    assignee = {"assigneeType": "USER", "owner": {"id": user_id}}
    record = create(account, taskDefinitions=[task(trackTaskAssignee=assignee)])
    assert record["taskDefinitions"][0]["trackTaskAssignee"] == {
        "assigneeType": "USER",
        "owner": {
            "id": user_id,
            "deleted": False,
            "username": "sam",
            "pictureURL": "https://capsulecrm.com/theme/default/images/person_avatar_70.png",
            "name": "Sam Support",
        },
    }
    task_id = record["taskDefinitions"][0]["id"]
    back = {"id": task_id, "trackTaskAssignee": {"assigneeType": "ENTITY_OWNER"}}
    response = change(account, record["id"], taskDefinitions=[back])
    assert response.json()["trackDefinition"]["taskDefinitions"][0]["trackTaskAssignee"] == {
        "assigneeType": "ENTITY_OWNER"
    }


@pytest.mark.parametrize("owner", [None, 987654, {"name": "sam"}])
def test_a_user_assignee_needs_a_user_of_the_account(account, owner):
    assignee = {"assigneeType": "USER", "owner": owner}
    body = definition(taskDefinitions=[task(trackTaskAssignee=assignee)])
    [error] = errors_of(account.post("/trackdefinitions", {"trackDefinition": body}))
    assert error["field"] == "taskDefinitions.trackTaskAssignee.owner"


def test_only_administrators_change_definitions_but_everyone_reads_them(account, engine):
    record = create(account)
    _, headers = add_user(engine, account, "Val Viewer", "val")
    path = f"/trackdefinitions/{record['id']}"
    body = {"trackDefinition": definition()}
    for response in (
        account.post("/trackdefinitions", body, headers=headers),
        account.put(path, body, headers=headers),
        account.delete(path, headers=headers),
    ):
        assert (response.status_code, response.json()) == (
            403,
            {"message": "Requires additional scope"},
        )
    assert account.get(path, headers=headers).json() == {"trackDefinition": record}
    assert account.get("/trackdefinitions", headers=headers).status_code == 200


def test_another_accounts_definition_is_not_found(account, other_account):
    theirs = create(other_account)
    path = f"/trackdefinitions/{theirs['id']}"
    for response in (
        account.get(path),
        account.put(path, {"trackDefinition": {"description": "Mine"}}),
        account.delete(path),
    ):
        assert (response.status_code, response.json()) == (
            404,
            {"message": "Could not find resource"},
        )
    assert account.get("/trackdefinitions").json() == {"trackDefinitions": []}


def test_a_refused_request_changes_nothing(account, engine):
    record = create(account, taskDefinitions=[task("Call"), task("Write")])
    call, write = record["taskDefinitions"]
    before = account_snapshot(engine, account.id)
    response = change(
        account,
        record["id"],
        description="Renamed",
        taskDefinitions=[
            {"id": call["id"], "_delete": True},
            task("Added"),
            {"id": write["id"], "category": {"name": "Nowhere"}},
        ],
    )
    assert errors_of(response)[0]["message"] == "category not found"
    assert account_snapshot(engine, account.id) == before


def _age(engine, definition_id):
    """Backdates the definition and its task definitions, so that any change shows."""
    with engine.begin() as conn:
        conn.execute(
            track_definitions.update()
            .where(track_definitions.c.id == definition_id)
            .values(updated_at=OLD)
        )
        conn.execute(
            task_definitions.update()
            .where(task_definitions.c.definition_id == definition_id)
            .values(updated_at=OLD)
        )


def test_updated_at_advances_only_when_something_changes(account, engine):
    record = create(account, tag="vip", taskDefinitions=[task("Call")])
    call = record["taskDefinitions"][0]
    _age(engine, record["id"])
    same = change(
        account,
        record["id"],
        description="Complaint Process",
        tag="vip",
        taskDefinitions=[{"id": call["id"], "daysAfter": 5, "description": "Call"}],
    ).json()["trackDefinition"]
    assert same["updatedAt"] == same["taskDefinitions"][0]["updatedAt"] == OLD
    changed = change(account, record["id"], taskDefinitions=[{"id": call["id"], "daysAfter": 6}])
    shown = changed.json()["trackDefinition"]
    assert shown["updatedAt"] != OLD and shown["taskDefinitions"][0]["updatedAt"] != OLD
    assert shown["createdAt"] == record["createdAt"]


def test_deleting_a_definition_removes_its_task_definitions_but_not_applied_tracks(account, engine):
    record = create(account, taskDefinitions=[task()])
    with engine.begin() as conn:
        conn.execute(
            tracks.insert().values(
                account_id=account.id,
                definition_id=record["id"],
                description="Applied",
                direction="START_DATE",
                track_date_on="2030-01-01",
                created_at=OLD,
                updated_at=OLD,
            )
        )
    assert account.delete(f"/trackdefinitions/{record['id']}").status_code == 204
    assert account.get(f"/trackdefinitions/{record['id']}").status_code == 404
    with engine.connect() as conn:
        left = conn.scalar(
            sa.select(sa.func.count()).where(task_definitions.c.definition_id == record["id"])
        )
        applied = conn.execute(
            sa.select(tracks.c.definition_id).where(tracks.c.account_id == account.id)
        ).all()
    assert (left, applied) == (0, [(None,)])


def test_a_page_of_definitions_loads_in_a_constant_number_of_statements(account, engine):
    for n in range(6):
        create(account, description=f"Process {n}", taskDefinitions=[task("A"), task("B")])
    statements = []

    def record(_conn, _cursor, statement, *_args):
        if "_definitions" in statement:  # leaves out authentication and rate limiting
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        counts = []
        for per_page in (6, 2):
            before = len(statements)
            assert account.get(f"/trackdefinitions?perPage={per_page}").status_code == 200
            counts.append(len(statements) - before)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert counts == [3, 3], statements  # the page's ids, the definitions, their tasks
