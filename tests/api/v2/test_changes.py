"""GET /{parties|opportunities|kases|tasks}/{id}/changes (a Pillbox extension): every change,
recorded in the write's own transaction, newest first."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain import changes
from pillbox.domain.parties import PartyInput, update_party
from pillbox.store import field_definitions
from pillbox.store.accounts import Principal
from pillbox.store.tables.changes import record_changes
from tests.api.v1.wire import V1
from tests.api.v2.checks import errors_of
from tests.conftest import Account


def create(account: Account, collection: str, key: str, **record: Any) -> dict[str, Any]:
    response = account.post(f"/{collection}", {key: record})
    assert response.status_code == 201, response.text
    return response.json()[key]


def person(account: Account, **extra: Any) -> dict[str, Any]:
    return create(account, "parties", "party", type="person", firstName="Ann", **extra)


def history(account: Account, path: str) -> list[dict[str, Any]]:
    response = account.get(f"{path}/changes?perPage=100")
    assert response.status_code == 200, response.text
    return list(response.json()["changes"])


def fields_of(found: list[dict[str, Any]]) -> dict[str, tuple[Any, Any]]:
    """Each field's latest change as (from, to); `found` is newest first."""
    return {change["field"]: (change["from"], change["to"]) for change in reversed(found)}


def test_creation_records_each_property_set_from_null(account):
    party = person(account, jobTitle="Chief", emailAddresses=[{"address": "a@b.example"}])
    found = history(account, f"/parties/{party['id']}")
    assert list(found[0]) == ["id", "at", "user", "via", "field", "from", "to"]
    assert {c["user"]["id"] for c in found} == {account.user_id}
    assert {c["user"]["name"] for c in found} == {"Ada Admin"}
    assert {c["via"] for c in found} == {"api-v2"}
    assert fields_of(found) == {
        "type": (None, "person"),
        "firstName": (None, "Ann"),
        "jobTitle": (None, "Chief"),
        "owner": (None, {"id": account.user_id}),
        "emailAddresses": ([], [{"type": None, "address": "a@b.example"}]),
    }


def test_a_creations_collections_are_recorded_as_a_read_of_the_party_shows_them(account):
    account.post("/parties/tags", {"tag": {"name": "VIP"}})
    party = person(
        account,
        emailAddresses=[{"address": "a@b.example", "type": "Work"}, {"address": "c@d.example"}],
        phoneNumbers=[{"number": "0113 496 0000"}, {"number": "0113 496 0001", "type": "Fax"}],
        websites=[{"address": "pillbox", "service": "GITHUB"}, {"address": "x.example"}],
        tags=[{"name": "vip"}, {"name": "New"}, {"name": "VIP"}],
    )
    shown = account.get(f"/parties/{party['id']}?embed=tags").json()["party"]
    recorded = fields_of(history(account, f"/parties/{party['id']}"))
    for kind in ("emailAddresses", "phoneNumbers", "websites"):
        items = [{k: v for k, v in item.items() if k != "id"} for item in shown[kind]]
        assert recorded[kind] == ([], items)
    assert len(recorded["websites"][1]) == 2
    assert recorded["tags"] == ([], ["New", "VIP"])
    assert sorted(tag["name"] for tag in shown["tags"]) == ["New", "VIP"]


def test_a_creation_naming_a_row_the_new_party_cannot_have_changes_nothing(account):
    body = {"type": "person", "firstName": "Ann", "emailAddresses": [{"id": 1, "address": "a@b"}]}
    assert account.post("/parties", {"party": body}).status_code == 404
    body = {"type": "person", "firstName": "Ann", "tags": [{"id": 1, "_delete": True}]}
    assert account.post("/parties", {"party": body}).status_code == 422
    assert account.get("/parties").json()["parties"] == []


def test_update_records_old_and_new_values_under_the_apis_names_newest_first(account):
    party = person(account, jobTitle="Chief")
    account.put(f"/parties/{party['id']}", {"party": {"jobTitle": "Boss", "firstName": "Ann"}})
    account.put(f"/parties/{party['id']}", {"party": {"jobTitle": "CEO"}})
    found = history(account, f"/parties/{party['id']}")
    assert [(c["field"], c["from"], c["to"]) for c in found[:2]] == [
        ("jobTitle", "Boss", "CEO"),
        ("jobTitle", "Chief", "Boss"),  # firstName was sent unchanged: no row
    ]
    assert [c["id"] for c in found] == sorted((c["id"] for c in found), reverse=True)
    assert found[0]["at"].endswith("Z")


def test_sub_collections_are_recorded_as_their_lists_before_and_after(account, engine):
    with engine.begin() as conn:
        definition = field_definitions.create_definition(
            conn, account.id, "parties", name="Colour", type="text"
        )
    party = person(account, phoneNumbers=[{"number": "1"}], tags=[{"name": "VIP"}])
    phone_id = party["phoneNumbers"][0]["id"]
    change = {
        "phoneNumbers": [{"id": phone_id, "_delete": True}, {"type": "Work", "number": "2"}],
        "tags": [{"name": "Lead"}],
        "fields": [{"definition": definition, "value": "red"}],
    }
    assert account.put(f"/parties/{party['id']}", {"party": change}).status_code == 200
    latest = fields_of(history(account, f"/parties/{party['id']}")[:3])
    assert latest == {
        "phoneNumbers": ([{"type": None, "number": "1"}], [{"type": "Work", "number": "2"}]),
        "tags": (["VIP"], ["Lead", "VIP"]),
        "fields": ({}, {"Colour": "red"}),
    }


def test_opportunity_changes_show_references_and_value_as_the_api_does(account):
    party = person(account)
    milestones = account.get("/milestones").json()["milestones"]
    deal = create(
        account,
        "opportunities",
        "opportunity",
        name="Deal",
        party={"id": party["id"]},
        milestone={"id": milestones[0]["id"]},
    )
    change = {"milestone": {"id": milestones[1]["id"]}, "value": {"amount": 5, "currency": "GBP"}}
    assert account.put(f"/opportunities/{deal['id']}", {"opportunity": change}).status_code == 200
    found = fields_of(history(account, f"/opportunities/{deal['id']}"))
    assert found["milestone"] == ({"id": milestones[0]["id"]}, {"id": milestones[1]["id"]})
    assert found["value"] == (None, {"amount": "5", "currency": "GBP"})


def test_closing_a_project_records_its_status_and_closing_date(account):
    party = person(account)
    project = create(account, "kases", "kase", name="Fit-out", party={"id": party["id"]})
    assert account.put(f"/kases/{project['id']}", {"kase": {"status": "CLOSED"}}).status_code == 200
    found = fields_of(history(account, f"/kases/{project['id']}"))
    assert found["status"] == ("OPEN", "CLOSED")
    assert found["closedOn"][0] is None and found["closedOn"][1] is not None


def test_completing_a_task_records_its_status_and_completion(account):
    task = create(account, "tasks", "task", description="Call", dueOn="2030-01-01")
    response = account.put(f"/tasks/{task['id']}", {"task": {"status": "COMPLETED"}})
    assert response.status_code == 200
    found = fields_of(history(account, f"/tasks/{task['id']}"))
    assert found["status"] == ("OPEN", "COMPLETED")
    assert found["completedAt"][0] is None and found["completedAt"][1].endswith("Z")


def test_a_refused_write_records_nothing(account, engine):
    party = person(account)
    before = history(account, f"/parties/{party['id']}")
    errors_of(account.put(f"/parties/{party['id']}", {"party": {"firstName": "", "lastName": ""}}))
    assert history(account, f"/parties/{party['id']}") == before


def test_a_deleted_records_history_stays_readable_ending_with_its_deletion(account):
    party = person(account)
    assert account.delete(f"/parties/{party['id']}").status_code == 204
    found = history(account, f"/parties/{party['id']}")
    assert (found[0]["field"], found[0]["from"]) == ("deletedAt", None)
    assert found[0]["to"].endswith("Z")
    assert account.get(f"/parties/{party['id']}").status_code == 404


def test_deleting_an_organisation_records_its_people_leaving_it(account):
    org = create(account, "parties", "party", type="organisation", name="Acme")
    employee = person(account, organisation={"id": org["id"]})
    account.delete(f"/parties/{org['id']}")
    latest = history(account, f"/parties/{employee['id']}")[0]
    assert (latest["field"], latest["from"], latest["to"]) == (
        "organisation",
        {"id": org["id"]},
        None,
    )


def test_changes_of_a_missing_or_another_accounts_record_are_a_404(account, other_account):
    theirs = person(other_account)
    other_account.delete(f"/parties/{theirs['id']}")
    mine = person(other_account)
    missing = account.get("/parties/987654321/changes")
    assert missing.status_code == 404
    for record_id in (theirs["id"], mine["id"]):
        response = account.get(f"/parties/{record_id}/changes")
        assert (response.status_code, response.json()) == (404, missing.json()), record_id
    assert account.get("/tasks/987654321/changes").status_code == 404


def test_changes_are_paged_and_readable_with_a_read_token(account):
    party = person(account)
    for title in ("A", "B", "C"):
        account.put(f"/parties/{party['id']}", {"party": {"jobTitle": title}})
    response = account.get(
        f"/parties/{party['id']}/changes?perPage=2", headers=account.read_headers
    )
    assert response.status_code == 200
    assert [c["to"] for c in response.json()["changes"]] == ["C", "B"]
    assert response.headers["X-Pagination-Has-More"] == "true"
    assert 'rel="next"' in response.headers["Link"]
    second = account.get(f"/parties/{party['id']}/changes?perPage=2&page=2").json()["changes"]
    assert [c["to"] for c in second] == ["A", {"id": account.user_id}]  # then its creation


def test_writes_through_api_v1_are_recorded_as_api_v1(account):
    party = person(account)
    v1 = V1(account.client, account.token)
    assert (
        v1.put(f"/person/{party['id']}", {"person": {"jobTitle": "Chief"}}, "json").status_code
        == 200
    )
    latest = history(account, f"/parties/{party['id']}")[0]
    assert (latest["via"], latest["field"], latest["to"]) == ("api-v1", "jobTitle", "Chief")


def test_other_layers_name_themselves_once_around_their_writes(account, engine):
    party = person(account)
    who = Principal(account.user_id, account.id, "write", True)
    with engine.begin() as conn, changes.via("import"):
        update_party(conn, who, party["id"], PartyInput.model_validate({"jobTitle": "Chief"}))
    with engine.begin() as conn:
        update_party(conn, who, party["id"], PartyInput.model_validate({"jobTitle": "Boss"}))
    found = history(account, f"/parties/{party['id']}")
    assert [(c["via"], c["to"]) for c in found[:2]] == [(None, "Boss"), ("import", "Chief")]


def test_a_write_adds_its_changes_in_one_statement(account, engine):
    from tests.api.test_query_counts import StatementCounter

    party = person(account)
    counter = StatementCounter(engine)
    try:
        account.put(f"/parties/{party['id']}", {"party": {"jobTitle": "A", "about": "B"}})
    finally:
        counter.close()
    inserts = [s for s in counter.statements if s.startswith("INSERT INTO record_changes")]
    assert len(inserts) == 1
    with engine.connect() as conn:
        rows = conn.scalar(
            sa.select(sa.func.count()).where(record_changes.c.record_id == party["id"])
        )
    assert rows == len(history(account, f"/parties/{party['id']}"))
