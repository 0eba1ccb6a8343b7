"""Projects (/kases) on API v2: status, stages, opportunities, additional parties, deletion."""

from datetime import UTC, datetime

import pytest

from tests.api.v2.checks import errors_of
from tests.conftest import Account


@pytest.fixture
def customer(account) -> dict:
    return account.post("/parties", {"party": {"type": "organisation", "name": "Capsule"}}).json()[
        "party"
    ]


@pytest.fixture
def stages(account) -> dict[str, dict]:
    return {s["name"]: s for s in account.get("/stages").json()["stages"]}


def create(account: Account, customer: dict, **extra: object) -> dict:
    body = {"name": "Research", "party": {"id": customer["id"]}, **extra}
    response = account.post("/kases", {"kase": body})
    assert response.status_code == 201, response.text
    return response.json()["kase"]


def change(account: Account, kase: dict, **values: object):
    return account.put(f"/kases/{kase['id']}", {"kase": values})


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def test_project_has_capsules_recorded_shape_key_for_key(account, customer, stages):
    kase = create(
        account,
        customer,
        description="Project focused on business research",
        stage=stages["Project Brief"]["id"],
        expectedCloseOn="2015-12-09",
    )
    assert list(kase) == [
        "id",
        "owner",
        "team",
        "party",
        "status",
        "opportunity",
        "stage",
        "createdAt",
        "updatedAt",
        "description",
        "name",
        "closedOn",
        "lastContactedAt",
        "expectedCloseOn",
        "startOn",
    ]
    assert kase["stage"] == {"name": "Project Brief", "id": stages["Project Brief"]["id"]}
    assert list(kase["stage"]) == ["name", "id"]
    assert (kase["status"], kase["closedOn"], kase["opportunity"]) == ("OPEN", None, None)
    assert kase["owner"]["id"] == account.user_id
    assert kase["party"]["name"] == "Capsule"


@pytest.mark.parametrize("missing", ["name", "party"])
def test_name_and_party_are_required(account, customer, missing):
    body = {"name": "X", "party": customer["id"]}
    del body[missing]
    assert errors_of(account.post("/kases", {"kase": body})) == [
        {"message": f"{missing} is required", "resource": "kase", "field": missing}
    ]


def test_an_owner_or_a_team_is_required(account, customer):
    kase = create(account, customer)
    assert errors_of(change(account, kase, owner=None))[0]["message"] == "owner or team is required"
    team = account.post("/teams", {"team": {"name": "Delivery"}}).json()["team"]
    teamed = change(account, kase, owner=None, team=team["id"]).json()["kase"]
    assert (teamed["owner"], teamed["team"]["name"]) == (None, "Delivery")
    refused = change(account, kase, owner=account.user_id)
    assert errors_of(refused)[0]["message"] == "owner is not a member of the team"


def test_closing_sets_closed_on_and_reopening_clears_it(account, customer):
    kase = create(account, customer)
    closed = change(account, kase, status="CLOSED").json()["kase"]
    assert (closed["status"], closed["closedOn"]) == ("CLOSED", today())
    reopened = change(account, kase, status="OPEN").json()["kase"]
    assert (reopened["status"], reopened["closedOn"]) == ("OPEN", None)
    assert errors_of(change(account, kase, status="DONE"))[0]["field"] == "status"
    created_closed = create(account, customer, status="CLOSED")
    assert created_closed["closedOn"] == today()


def test_list_filters_on_status(account, customer):
    open_one = create(account, customer)
    closed = create(account, customer, status="CLOSED")
    assert [k["id"] for k in account.get("/kases?status=OPEN").json()["kases"]] == [open_one["id"]]
    assert [k["id"] for k in account.get("/kases?status=closed").json()["kases"]] == [closed["id"]]
    assert len(account.get("/kases").json()["kases"]) == 2
    assert errors_of(account.get("/kases?status=MAYBE"))[0]["field"] == "status"


def test_stage_puts_the_project_on_a_board_and_null_takes_it_off(account, customer, stages):
    kase = create(account, customer, stage={"id": stages["Planning"]["id"]})
    moved = change(account, kase, stage=stages["Delivery"]["id"]).json()["kase"]
    assert moved["stage"]["name"] == "Delivery"
    assert change(account, kase, stage=None).json()["kase"]["stage"] is None
    assert errors_of(change(account, kase, stage=987654))[0]["message"] == "stage not found"


def test_a_project_links_the_opportunity_it_serves(account, customer):
    milestone = account.get("/milestones").json()["milestones"][0]
    body = {"name": "Website", "party": customer["id"], "milestone": milestone["id"]}
    opportunity = account.post("/opportunities", {"opportunity": body}).json()["opportunity"]
    kase = create(account, customer, opportunity=opportunity["id"])
    assert kase["opportunity"] == {"id": opportunity["id"], "name": "Website"}
    embedded = account.get(f"/kases/{kase['id']}?embed=opportunity,party").json()["kase"]
    assert (
        embedded["opportunity"]
        == account.get(f"/opportunities/{opportunity['id']}").json()["opportunity"]
    )
    assert embedded["party"] == account.get(f"/parties/{customer['id']}").json()["party"]
    listed = account.get(f"/opportunities/{opportunity['id']}/kases").json()["kases"]
    assert [k["id"] for k in listed] == [kase["id"]]
    assert errors_of(change(account, kase, opportunity=987654))[0]["field"] == "opportunity"
    account.delete(f"/opportunities/{opportunity['id']}")
    assert account.get(f"/kases/{kase['id']}").json()["kase"]["opportunity"] is None


def test_dates_are_dates(account, customer):
    kase = create(account, customer, startOn="2026-01-05", expectedCloseOn="2026-02-27")
    assert (kase["startOn"], kase["expectedCloseOn"]) == ("2026-01-05", "2026-02-27")
    assert errors_of(change(account, kase, startOn="soon"))[0]["field"] == "startOn"


def test_tags_and_fields_of_projects_are_their_own(account, customer):
    field = {"name": "Budget", "type": "number", "important": True}
    definition = account.post("/kases/fields/definitions", {"definition": field}).json()[
        "definition"
    ]
    kase = create(
        account,
        customer,
        tags=[{"name": "Urgent"}],
        fields=[{"definition": definition["id"], "value": 9000}],
    )
    shown = account.get(f"/kases/{kase['id']}?embed=tags,fields,missingImportantFields").json()[
        "kase"
    ]
    assert [t["name"] for t in shown["tags"]] == ["Urgent"]
    assert [f["value"] for f in shown["fields"]] == ["9000"]
    assert shown["missingImportantFields"] is False
    assert [t["name"] for t in account.get("/kases/tags").json()["tags"]] == ["Urgent"]


def test_search_finds_names_and_descriptions(account, customer):
    a = create(account, customer, name="Office move")
    b = create(account, customer, name="Audit", description="Prepare the office for the audit")
    create(account, customer, name="Training")
    found = account.get("/kases/search?q=office").json()["kases"]
    assert [k["id"] for k in found] == [a["id"], b["id"]]


def test_additional_parties_are_added_listed_and_removed(account, customer):
    kase = create(account, customer)
    person = account.post("/parties", {"party": {"type": "person", "lastName": "Extra"}}).json()[
        "party"
    ]
    path = f"/kases/{kase['id']}/parties"
    assert account.post(f"{path}/{person['id']}", None).status_code == 204
    assert [p["id"] for p in account.get(path).json()["parties"]] == [person["id"]]
    assert errors_of(account.post(f"{path}/{person['id']}", None))[0]["message"] == (
        "party is already a contact for this kase"
    )
    assert errors_of(account.post(f"{path}/{customer['id']}", None))[0]["message"] == (
        "party is already related to this kase"
    )
    assert account.delete(f"{path}/{person['id']}").status_code == 204
    assert account.delete(f"{path}/{person['id']}").status_code == 404


def test_deleting_a_party_deletes_its_projects_into_the_deleted_feed(account, customer):
    gone = create(account, customer)
    other = account.post("/parties", {"party": {"type": "person", "lastName": "Stays"}}).json()[
        "party"
    ]
    kept = create(account, other)
    assert [k["id"] for k in account.get(f"/parties/{customer['id']}/kases").json()["kases"]] == [
        gone["id"]
    ]
    account.delete(f"/parties/{customer['id']}")
    assert account.get(f"/kases/{gone['id']}").status_code == 404
    assert [k["id"] for k in account.get("/kases/deleted").json()["kases"]] == [gone["id"]]
    assert account.get(f"/kases/{kept['id']}").status_code == 200
