"""Sandbox accounts: open one without a token, empty it, copy it."""

import pytest

from tests.api.snapshot import account_snapshot


def open_account(admin, **body):
    response = admin.request("POST", "/accounts", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def v2(client, token):
    headers = {"Authorization": f"Bearer {token}"}

    def request(method, path, **kwargs):
        return client.request(method, f"/api/v2{path}", headers=headers, **kwargs)

    return request


def test_opening_an_account_answers_its_id_name_and_a_working_token(admin, client):
    opened = open_account(admin, name="acme-tests")
    assert opened["account"]["name"] == "acme-tests"
    assert isinstance(opened["account"]["id"], int)
    current = v2(client, opened["token"])("GET", "/users/current")
    assert current.status_code == 200
    assert current.json()["user"]["name"] == "Sandbox Admin"


def test_a_new_account_starts_with_a_pipeline_a_board_and_its_admins_person(admin, client):
    request = v2(client, open_account(admin)["token"])
    assert len(request("GET", "/pipelines").json()["pipelines"]) == 1
    assert len(request("GET", "/boards").json()["boards"]) == 1
    assert [p["lastName"] for p in request("GET", "/parties").json()["parties"]] == ["Admin"]


def test_an_account_name_in_use_or_blank_is_refused(admin):
    open_account(admin, name="taken")
    response = admin.request("POST", "/accounts", json={"name": "taken"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "name is already in use"
    assert admin.request("POST", "/accounts", json={"name": "  "}).status_code == 422
    assert admin.request("POST", "/accounts", json={"colour": "red"}).status_code == 422
    assert admin.request("POST", "/accounts", content=b"{nope").status_code == 400


def test_admin_paths_need_a_token_except_opening_an_account(admin):
    for method, path in [("POST", "/reset"), ("POST", "/fork"), ("GET", "/snapshots")]:
        response = admin.request(method, path)
        assert response.status_code == 401
        assert response.json() == {"message": "Requires authentication"}
        assert admin.request(method, path, token="not-a-token").status_code == 401


def test_reset_empties_the_account_and_keeps_its_tokens(admin, account, engine):
    fresh = account_snapshot(engine, account.id)
    org = {"party": {"type": "organisation", "name": "Acme", "tags": [{"name": "vip"}]}}
    assert account.post("/parties", org).status_code == 201
    response = admin.request("POST", "/reset", token=account.token)
    assert response.status_code == 204
    parties = account.get("/parties").json()["parties"]
    assert [p["lastName"] for p in parties] == ["Admin"]
    after = account_snapshot(engine, account.id)
    assert len(after["parties"]) == 1
    assert len(after["pipelines"]) == len(fresh["pipelines"])
    assert after["tags"] == []


def test_reset_leaves_other_accounts_alone(admin, account, other_account, engine):
    other_account.post("/parties", {"party": {"type": "organisation", "name": "Theirs"}})
    before = account_snapshot(engine, other_account.id)
    admin.request("POST", "/reset", token=account.token)
    assert account_snapshot(engine, other_account.id) == before


@pytest.fixture
def filled(account):
    """An account with a record of most kinds, linked to each other."""
    org = account.post("/parties", {"party": {"type": "organisation", "name": "Acme"}}).json()
    person = account.post(
        "/parties",
        {
            "party": {
                "type": "person",
                "firstName": "Ann",
                "lastName": "Lee",
                "organisation": {"id": org["party"]["id"]},
                "emailAddresses": [{"address": "ann@acme.example"}],
                "tags": [{"name": "vip"}],
            }
        },
    ).json()["party"]
    milestone = account.get("/milestones").json()["milestones"][0]
    opportunity = account.post(
        "/opportunities",
        {
            "opportunity": {
                "name": "Big deal",
                "party": {"id": person["id"]},
                "milestone": {"id": milestone["id"]},
            }
        },
    ).json()["opportunity"]
    account.post(
        "/entries",
        {"entry": {"type": "note", "content": "Met Ann", "party": {"id": person["id"]}}},
    )
    account.post(
        "/tasks",
        {"task": {"description": "Call", "dueOn": "2030-01-02", "party": {"id": person["id"]}}},
    )
    return {"person": person, "opportunity": opportunity}


def test_a_fork_holds_a_copy_of_every_record_under_its_own_ids(admin, account, client, filled):
    response = admin.request("POST", "/fork", token=account.token, json={"name": "copy"})
    assert response.status_code == 201, response.text
    forked = response.json()
    assert forked["account"]["name"] == "copy"
    request = v2(client, forked["token"])
    names = sorted(
        p.get("name") or p["lastName"] for p in request("GET", "/parties").json()["parties"]
    )
    assert names == ["Acme", "Lee"]
    person = next(
        p
        for p in request("GET", "/parties", params={"embed": "tags"}).json()["parties"]
        if p.get("lastName") == "Lee"
    )
    assert person["id"] != filled["person"]["id"]
    assert [t["name"] for t in person["tags"]] == ["vip"]
    assert person["organisation"]["name"] == "Acme"
    deals = request("GET", "/opportunities", params={"embed": "party"}).json()["opportunities"]
    assert [(d["name"], d["party"]["id"]) for d in deals] == [("Big deal", person["id"])]
    entries = request("GET", f"/parties/{person['id']}/entries").json()["entries"]
    assert [e["content"] for e in entries] == ["Met Ann"]
    tasks = request("GET", "/tasks").json()["tasks"]
    assert [(t["description"], t["party"]["id"]) for t in tasks] == [("Call", person["id"])]
    found = request("GET", "/parties/search", params={"q": "ann@acme"}).json()["parties"]
    assert [p["id"] for p in found] == [person["id"]]


def test_a_fork_copies_every_table_of_the_account(admin, account, engine, filled):
    forked = admin.request("POST", "/fork", token=account.token).json()
    original = account_snapshot(engine, account.id)
    copy = account_snapshot(engine, forked["account"]["id"])
    assert {name: len(rows) for name, rows in copy.items()} == {
        name: len(rows) for name, rows in original.items()
    }


def test_a_fork_and_its_original_change_apart(admin, account, client, filled, engine):
    forked = admin.request("POST", "/fork", token=account.token).json()
    request = v2(client, forked["token"])
    request("POST", "/parties", json={"party": {"type": "organisation", "name": "Only in fork"}})
    person_id = filled["person"]["id"]
    assert account.delete(f"/parties/{person_id}").status_code == 204
    names = [p.get("name") for p in account.get("/parties").json()["parties"]]
    assert "Only in fork" not in names
    fork_names = [p.get("lastName") for p in request("GET", "/parties").json()["parties"]]
    assert "Lee" in fork_names
    assert request("GET", f"/parties/{person_id}").status_code == 404


def test_a_fork_may_not_take_a_name_in_use(admin, account):
    open_account(admin, name="used")
    response = admin.request("POST", "/fork", token=account.token, json={"name": "used"})
    assert response.status_code == 422
