"""Custom field definitions (/{entity}/fields/definitions) and their values on records."""

import pytest
import sqlalchemy as sa

from tests.api.v2.checks import errors_of, job_path, run_jobs
from tests.conftest import Account


def define(account: Account, entity: str = "parties", **definition: object) -> dict:
    response = account.post(f"/{entity}/fields/definitions", {"definition": definition})
    assert response.status_code == 201, response.text
    return response.json()["definition"]


def data_tag(account: Account, name: str = "Hobby interests", entity: str = "parties") -> dict:
    response = account.post(f"/{entity}/tags", {"tag": {"name": name, "dataTag": True}})
    return response.json()["tag"]


def test_a_new_account_has_no_definitions(account):
    assert account.get("/kases/fields/definitions").json() == {"definitions": []}


def test_definition_has_capsules_shape_key_for_key(account):
    tag = data_tag(account, entity="kases")
    created = define(
        account,
        "kases",
        name="Interests",
        type="list",
        options=["Traveling", "Food", "Art"],
        tag={"id": tag["id"]},
    )
    listed = account.get("/kases/fields/definitions").json()
    # Key order as recorded from Capsule's own GET /kases/fields/definitions.
    assert list(created) == [
        "id",
        "type",
        "description",
        "important",
        "displayOrder",
        "name",
        "tag",
        "captureRule",
        "options",
    ]
    assert created == {
        "id": created["id"],
        "type": "list",
        "description": None,
        "important": False,
        "displayOrder": 1,
        "name": "Interests",
        "tag": {"id": tag["id"], "name": "Hobby interests", "dataTag": True},
        "captureRule": None,
        "options": ["Traveling", "Food", "Art"],
    }
    assert listed == {"definitions": [created]}


@pytest.mark.parametrize("field_type", ["text", "date", "boolean", "number", "link"])
def test_every_plain_type_can_be_defined_and_has_no_options(account, field_type):
    created = define(account, name=f"A {field_type}", type=field_type, options=["ignored"])
    assert (created["type"], created["options"]) == (field_type, None)


def test_name_and_type_are_required(account):
    assert errors_of(account.post("/parties/fields/definitions", {"definition": {"type": "text"}}))[
        0
    ] == {
        "message": "name is required",
        "resource": "definition",
        "field": "name",
    }
    assert errors_of(account.post("/parties/fields/definitions", {"definition": {"name": "X"}}))[
        0
    ] == {
        "message": "type is required",
        "resource": "definition",
        "field": "type",
    }


def test_unknown_type_is_422(account):
    response = account.post(
        "/parties/fields/definitions", {"definition": {"name": "X", "type": "colour"}}
    )
    assert errors_of(response)[0]["field"] == "type"


@pytest.mark.parametrize("field_type", ["list", "multiselectlist"])
def test_list_fields_need_options(account, field_type):
    for options in (None, [], ["  "]):
        body = {"name": "Sector", "type": field_type, "options": options}
        response = account.post("/parties/fields/definitions", {"definition": body})
        assert errors_of(response)[0]["field"] == "options"


def test_names_are_unique_per_record_type(account):
    define(account, name="Score", type="number")
    response = account.post(
        "/parties/fields/definitions", {"definition": {"name": "score", "type": "text"}}
    )
    assert errors_of(response)[0]["message"] == "name already exists"
    assert define(account, "opportunities", name="Score", type="number")["name"] == "Score"


def test_capture_rule_is_for_party_fields_only(account):
    created = define(account, name="Sector", type="text", captureRule="organisation")
    assert created["captureRule"] == "organisation"
    body = {"name": "Sector", "type": "text", "captureRule": "person"}
    response = account.post("/opportunities/fields/definitions", {"definition": body})
    assert errors_of(response)[0]["field"] == "captureRule"


def test_tag_of_a_field_must_be_a_data_tag_of_the_same_record_type(account):
    plain = account.post("/parties/tags", {"tag": {"name": "Plain"}}).json()["tag"]
    other = data_tag(account, "Other kind", "opportunities")
    for ref, message in (
        ({"id": plain["id"]}, "tag is not a data tag"),
        ({"id": other["id"]}, "tag not found"),
        ({"name": "Nope"}, "tag not found"),
    ):
        body = {"name": "F", "type": "text", "tag": ref}
        response = account.post("/parties/fields/definitions", {"definition": body})
        assert errors_of(response)[0] == {
            "message": message,
            "resource": "definition",
            "field": "tag",
        }


def test_tag_can_be_given_by_name(account):
    tag = data_tag(account, "Lead")
    created = define(account, name="Lead Score", type="number", tag={"name": "lead"})
    assert created["tag"] == {"id": tag["id"], "name": "Lead", "dataTag": True}


def test_list_is_in_display_order_and_display_order_can_be_set(account):
    first = define(account, name="First", type="text")
    second = define(account, name="Second", type="text")
    assert (first["displayOrder"], second["displayOrder"]) == (1, 2)
    account.put(f"/parties/fields/definitions/{first['id']}", {"definition": {"displayOrder": 5}})
    names = [d["name"] for d in account.get("/parties/fields/definitions").json()["definitions"]]
    assert names == ["Second", "First"]


def test_data_tag_fields_can_be_left_out_and_listed_per_tag(account):
    tag = data_tag(account, "Lead")
    plain = define(account, name="Plain", type="text")
    tagged = define(account, name="Lead Score", type="number", tag=tag["id"])
    everything = account.get("/parties/fields/definitions").json()["definitions"]
    assert [d["id"] for d in everything] == [plain["id"], tagged["id"]]
    without = account.get("/parties/fields/definitions?includeDataTagFields=false").json()
    assert [d["id"] for d in without["definitions"]] == [plain["id"]]
    of_tag = account.get(f"/parties/tags/{tag['id']}/definitions").json()
    assert of_tag == {"definitions": [tagged]}
    assert account.get("/parties/tags/987654/definitions").status_code == 404
    bad = account.get("/parties/fields/definitions?includeDataTagFields=maybe")
    assert errors_of(bad)[0]["field"] == "includeDataTagFields"


def test_type_cannot_change_but_the_rest_can(account):
    created = define(account, name="Sector", type="list", options=["A"])
    path = f"/parties/fields/definitions/{created['id']}"
    assert errors_of(account.put(path, {"definition": {"type": "text"}}))[0]["message"] == (
        "type cannot be changed"
    )
    changed = account.put(
        path,
        {
            "definition": {
                "type": "list",
                "name": "Industry",
                "options": ["A", "B"],
                "important": True,
            }
        },
    ).json()["definition"]
    assert (changed["name"], changed["options"], changed["important"]) == (
        "Industry",
        ["A", "B"],
        True,
    )


def test_new_definition_takes_values_on_records_validated_by_its_type(account):
    created = define(account, name="Renewal", type="date")
    ok = account.post(
        "/parties?embed=fields",
        {
            "party": {
                "type": "person",
                "lastName": "X",
                "fields": [{"definition": created["id"], "value": "2026-01-31"}],
            }
        },
    )
    assert ok.json()["party"]["fields"][0]["value"] == "2026-01-31"
    bad = account.post(
        "/parties",
        {
            "party": {
                "type": "person",
                "lastName": "Y",
                "fields": [{"definition": created["id"], "value": "soon"}],
            }
        },
    )
    assert errors_of(bad)[0]["field"] == "field.value"


def test_important_field_without_a_value_marks_records_missing_it(account):
    define(account, name="Score", type="number", important=True)
    party = account.post("/parties", {"party": {"type": "person", "lastName": "X"}}).json()["party"]
    shown = account.get(f"/parties/{party['id']}?embed=missingImportantFields").json()["party"]
    assert shown["missingImportantFields"] is True


def test_deleting_a_definition_hides_its_values_at_once_and_the_job_removes_them(account, engine):
    created = define(account, name="Notes", type="text")
    body = {
        "type": "person",
        "lastName": "X",
        "fields": [{"definition": created["id"], "value": "hi"}],
    }
    party = account.post("/parties", {"party": body}).json()["party"]
    response = account.delete(f"/parties/fields/definitions/{created['id']}")
    job = account.get(job_path(response)).json()["job"]
    assert job["action"] == "Deleting Custom Field"
    assert account.get(f"/parties/fields/definitions/{created['id']}").status_code == 404
    assert account.get(f"/parties/{party['id']}?embed=fields").json()["party"]["fields"] == []
    reuse = account.post(
        "/parties",
        {
            "party": {
                "type": "person",
                "lastName": "Y",
                "fields": [{"definition": created["id"], "value": "x"}],
            }
        },
    )
    assert errors_of(reuse)[0]["message"] == "definition not found"
    run_jobs(engine)
    assert account.get(job_path(response)).json()["job"]["status"] == "completed"
    with engine.connect() as conn:
        query = "SELECT count(*) FROM field_values WHERE definition_id = :d"
        assert conn.execute(sa.text(query), {"d": created["id"]}).scalar() == 0
