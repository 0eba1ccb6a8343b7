"""Two accounts on one server never see or touch each other's data, by any route."""


def create(account, **party):
    response = account.post("/parties", {"party": party})
    assert response.status_code == 201, response.text
    return response.json()["party"]


def test_search_list_and_people_show_only_the_callers_parties(account, other_account):
    org = create(account, type="organisation", name="Secret Org")
    create(account, type="person", lastName="Secret", organisation={"id": org["id"]})
    assert other_account.get("/parties/search?q=secret").json() == {"parties": []}
    assert other_account.get("/parties").json() == {"parties": []}
    assert other_account.get(f"/parties/{org['id']}/people").status_code == 404


def test_another_accounts_organisation_cannot_be_linked_by_id(account, other_account):
    org = create(account, type="organisation", name="Theirs")
    response = other_account.post(
        "/parties",
        {"party": {"type": "person", "lastName": "X", "organisation": {"id": org["id"]}}},
    )
    assert response.status_code == 404


def test_organisation_names_and_tags_are_per_account(account, other_account):
    create(account, type="organisation", name="Same Name", tags=[{"name": "Shared"}])
    mine = create(other_account, type="organisation", name="Same Name", tags=[{"name": "Shared"}])
    theirs = account.get("/parties?embed=tags").json()["parties"][0]
    shown = other_account.get(f"/parties/{mine['id']}?embed=tags").json()["party"]
    assert shown["tags"][0]["id"] != theirs["tags"][0]["id"]


def test_another_accounts_tag_cannot_be_detached_or_attached_by_id(account, other_account):
    tagged = create(account, type="organisation", name="Tagged", tags=[{"name": "Mine"}])
    tag_id = account.get(f"/parties/{tagged['id']}?embed=tags").json()["party"]["tags"][0]["id"]
    party = create(other_account, type="organisation", name="Other")
    response = other_account.put(f"/parties/{party['id']}", {"party": {"tags": [{"id": tag_id}]}})
    assert response.status_code == 422


def test_multi_show_mixing_accounts_is_404(account, other_account):
    mine = create(account, type="organisation", name="A")
    theirs = create(other_account, type="organisation", name="B")
    assert account.get(f"/parties/{mine['id']},{theirs['id']}").status_code == 404


def test_delete_leaves_the_tombstone_in_its_own_account_only(account, other_account):
    party = create(account, type="organisation", name="Gone")
    account.delete(f"/parties/{party['id']}")
    assert other_account.get("/parties/deleted?since=2000-01-01").json() == {"parties": []}
