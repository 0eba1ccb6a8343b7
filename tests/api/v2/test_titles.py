"""Person titles (/titles): the list a person's title is chosen from."""

from tests.api.v2.checks import errors_of

DEFAULTS = ["Mr", "Master", "Mrs", "Miss", "Ms", "Dr", "Prof"]


def titles(account) -> list[str]:
    return [t["title"] for t in account.get("/titles").json()["personTitles"]]


def test_an_account_starts_with_the_usual_titles(account):
    listed = account.get("/titles").json()["personTitles"]
    assert [t["title"] for t in listed] == DEFAULTS
    assert set(listed[0]) == {"id", "title"}


def test_a_new_title_is_listed_and_usable_on_people(account):
    created = account.post("/titles", {"personTitle": {"title": "Sir"}})
    assert created.status_code == 201
    assert created.json()["personTitle"]["title"] == "Sir"
    assert titles(account)[-1] == "Sir"
    body = {"type": "person", "lastName": "Lancelot", "title": "sir"}
    party = account.post("/parties", {"party": body}).json()["party"]
    assert party["title"] == "Sir"  # the account's own spelling


def test_a_title_the_account_does_not_have_is_422_on_a_person(account):
    body = {"type": "person", "lastName": "X", "title": "Captain"}
    assert errors_of(account.post("/parties", {"party": body}))[0] == {
        "message": "title is not one of the account's titles",
        "resource": "party",
        "field": "title",
    }


def test_titles_are_unique_and_required(account):
    assert errors_of(account.post("/titles", {"personTitle": {"title": "dr"}}))[0]["message"] == (
        "title already exists"
    )
    assert (
        errors_of(account.post("/titles", {"personTitle": {}}))[0]["message"] == "title is required"
    )


def test_an_account_has_at_most_fifty_titles(account):
    for n in range(50 - len(DEFAULTS)):
        assert account.post("/titles", {"personTitle": {"title": f"T{n}"}}).status_code == 201
    response = account.post("/titles", {"personTitle": {"title": "One too many"}})
    assert errors_of(response)[0]["message"] == "an account has at most 50 titles"


def test_a_title_in_use_cannot_be_deleted(account):
    listed = account.get("/titles").json()["personTitles"]
    dr = next(t for t in listed if t["title"] == "Dr")
    party = account.post(
        "/parties", {"party": {"type": "person", "lastName": "Who", "title": "Dr"}}
    ).json()["party"]
    assert errors_of(account.delete(f"/titles/{dr['id']}"))[0]["message"] == "title is in use"
    account.delete(f"/parties/{party['id']}")
    assert account.delete(f"/titles/{dr['id']}").status_code == 204
    assert "Dr" not in titles(account)


def test_titles_cannot_be_changed(account):
    listed = account.get("/titles").json()["personTitles"]
    response = account.put(f"/titles/{listed[0]['id']}", {"personTitle": {"title": "Mister"}})
    assert response.status_code == 405
