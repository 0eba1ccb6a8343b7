"""Tags of parties, opportunities and kases (/{entity}/tags), and deleting them through a job."""

import pytest
import sqlalchemy as sa

from tests.api.v2.checks import errors_of, job_path, run_jobs
from tests.conftest import Account


def create_tag(account: Account, entity: str = "parties", **tag: object) -> dict:
    response = account.post(f"/{entity}/tags", {"tag": tag})
    assert response.status_code == 201, response.text
    return response.json()["tag"]


def tagged_party(account: Account, *names: str) -> dict:
    body = {"type": "person", "lastName": "Tagged", "tags": [{"name": n} for n in names]}
    response = account.post("/parties?embed=tags", {"party": body})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def test_a_new_account_has_no_tags(account):
    response = account.get("/parties/tags")
    assert (response.status_code, response.json()) == (200, {"tags": []})


def test_create_tag_returns_it_key_for_key(account):
    tag = create_tag(account, name="Nice Guy", description=None, dataTag=False)
    assert list(tag) == ["id", "name", "description", "dataTag"]
    assert (tag["name"], tag["description"], tag["dataTag"]) == ("Nice Guy", None, False)
    assert account.get(f"/parties/tags/{tag['id']}").json() == {"tag": tag}


def test_create_tag_without_a_name_is_422(account):
    for body in ({}, {"name": "  "}, {"name": None}):
        assert errors_of(account.post("/parties/tags", {"tag": body})) == [
            {"message": "name is required", "resource": "tag", "field": "name"}
        ]


def test_tag_names_are_unique_per_record_type_whatever_the_case(account):
    create_tag(account, name="VIP")
    assert errors_of(account.post("/parties/tags", {"tag": {"name": "vip"}}))[0] == {
        "message": "name already exists",
        "resource": "tag",
        "field": "name",
    }
    assert create_tag(account, "opportunities", name="VIP")["name"] == "VIP"


@pytest.mark.parametrize("entity", ["parties", "opportunities", "kases"])
def test_each_record_type_has_its_own_tags(account, entity):
    tag = create_tag(account, entity, name=f"Only {entity}")
    for other in {"parties", "opportunities", "kases"} - {entity}:
        assert account.get(f"/{other}/tags").json() == {"tags": []}
        assert account.get(f"/{other}/tags/{tag['id']}").status_code == 404
    assert account.get(f"/{entity}/tags").json() == {"tags": [tag]}


def test_unknown_record_type_has_no_tags(account):
    assert account.get("/widgets/tags").status_code == 404


def test_a_tag_attached_by_name_is_the_one_listed(account):
    party = tagged_party(account, "Lead")
    listed = account.get("/parties/tags").json()["tags"]
    assert listed == [
        {"id": party["tags"][0]["id"], "name": "Lead", "description": None, "dataTag": False}
    ]


def test_attaching_by_name_finds_an_existing_tag_whatever_the_case(account):
    tag = create_tag(account, name="Customer")
    party = tagged_party(account, "CUSTOMER")
    assert [t["id"] for t in party["tags"]] == [tag["id"]]


def test_renaming_a_tag_renames_it_on_every_record(account):
    party = tagged_party(account, "Prospect")
    tag_id = party["tags"][0]["id"]
    response = account.put(f"/parties/tags/{tag_id}", {"tag": {"name": "Warm prospect"}})
    assert response.json()["tag"]["name"] == "Warm prospect"
    shown = account.get(f"/parties/{party['id']}?embed=tags").json()["party"]["tags"]
    assert [t["name"] for t in shown] == ["Warm prospect"]


def test_renaming_a_tag_to_another_tags_name_is_422(account):
    create_tag(account, name="A")
    b = create_tag(account, name="B")
    response = account.put(f"/parties/tags/{b['id']}", {"tag": {"name": "a"}})
    assert errors_of(response)[0]["message"] == "name already exists"
    same = account.put(f"/parties/tags/{b['id']}", {"tag": {"name": "b"}})
    assert same.json()["tag"]["name"] == "b"


def test_a_data_tag_with_fields_cannot_become_a_plain_tag(account):
    tag = create_tag(account, name="Lead", dataTag=True)
    field = {"name": "Lead Score", "type": "number", "tag": {"id": tag["id"]}}
    definition = account.post("/parties/fields/definitions", {"definition": field}).json()
    response = account.put(f"/parties/tags/{tag['id']}", {"tag": {"dataTag": False}})
    assert errors_of(response)[0]["field"] == "dataTag"
    delete = account.delete(f"/parties/fields/definitions/{definition['definition']['id']}")
    assert delete.status_code == 202
    response = account.put(f"/parties/tags/{tag['id']}", {"tag": {"dataTag": False}})
    assert response.json()["tag"]["dataTag"] is False


# -- deletion ---------------------------------------------------------------------------------


def test_delete_tag_is_accepted_with_the_location_of_its_job(account):
    tag = create_tag(account, name="Old")
    response = account.delete(f"/parties/tags/{tag['id']}")
    assert response.status_code == 202
    assert response.content == b""
    location = response.headers["Location"]
    assert location.startswith("http://pillbox.test/api/v2/jobs/")
    job = account.get(job_path(response)).json()["job"]
    assert list(job) == ["status", "progress", "action", "id"]
    assert (job["status"], job["progress"], job["action"]) == ("pending", 0, "Deleting Tag")
    assert location.endswith(job["id"])


def test_a_deleted_tag_is_gone_at_once_and_the_job_detaches_it(account, engine):
    tag_id = tagged_party(account, "Gone", "Kept")["tags"][0]["id"]
    parties = [tagged_party(account, "Gone") for _ in range(3)]
    response = account.delete(f"/parties/tags/{tag_id}")

    assert account.get(f"/parties/tags/{tag_id}").status_code == 404
    assert [t["name"] for t in account.get("/parties/tags").json()["tags"]] == ["Kept"]
    shown = account.get(f"/parties/{parties[0]['id']}?embed=tags").json()["party"]["tags"]
    assert shown == []
    assert account.delete(f"/parties/tags/{tag_id}").status_code == 404

    assert run_jobs(engine, batch=2) >= 1  # PostgreSQL tests share a schema: others may wait too
    job = account.get(job_path(response)).json()["job"]
    assert (job["status"], job["progress"]) == ("completed", 100)
    with engine.connect() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM record_tags WHERE tag_id = :t"), {"t": tag_id}
        )
        assert left.scalar() == 0
        assert (
            conn.execute(sa.text("SELECT count(*) FROM tags WHERE id = :t"), {"t": tag_id}).scalar()
            == 0
        )


def test_the_name_of_a_tag_being_deleted_is_free_at_once(account):
    old = create_tag(account, name="Reused")
    account.delete(f"/parties/tags/{old['id']}")
    new = create_tag(account, name="Reused")
    assert new["id"] != old["id"]
    party = tagged_party(account, "reused")
    assert [t["id"] for t in party["tags"]] == [new["id"]]


def test_deleting_a_data_tag_removes_its_fields_and_their_values(account, engine):
    tag = create_tag(account, name="Lead", dataTag=True)
    field = {"name": "Lead Score", "type": "number", "tag": {"id": tag["id"]}}
    definition = account.post("/parties/fields/definitions", {"definition": field}).json()
    definition_id = definition["definition"]["id"]
    body = {
        "type": "person",
        "lastName": "X",
        "fields": [{"definition": definition_id, "value": 7}],
    }
    party = account.post("/parties", {"party": body}).json()["party"]

    account.delete(f"/parties/tags/{tag['id']}")
    assert account.get(f"/parties/fields/definitions/{definition_id}").status_code == 404
    assert account.get(f"/parties/{party['id']}?embed=fields").json()["party"]["fields"] == []
    run_jobs(engine)
    with engine.connect() as conn:
        query = "SELECT count(*) FROM field_values WHERE definition_id = :d"
        assert conn.execute(sa.text(query), {"d": definition_id}).scalar() == 0


def test_jobs_of_another_account_and_unknown_jobs_are_404(account, other_account):
    tag = create_tag(account, name="Mine")
    path = job_path(account.delete(f"/parties/tags/{tag['id']}"))
    missing = other_account.get("/jobs/02ae8e16-9199-426c-9984-6362b08f8555")
    assert missing.status_code == 404
    assert (other_account.get(path).status_code, other_account.get(path).json()) == (
        404,
        missing.json(),
    )
    assert account.get("/jobs/not-a-uuid").status_code == 404
