"""Teams (/teams) and their memberships."""

import pytest

from tests.api.v2.checks import add_user, errors_of


@pytest.fixture
def member_and_headers(account, engine):
    return add_user(engine, account, "Cy Cole", "cy")


@pytest.fixture
def member(member_and_headers):
    return member_and_headers[0]


@pytest.fixture
def member_headers(member_and_headers):
    return member_and_headers[1]


def test_team_has_capsules_shape_and_memberships_only_when_embedded(account):
    team = account.post("/teams", {"team": {"name": "The North"}}).json()["team"]
    assert list(team) == ["id", "name", "createdAt", "updatedAt"]
    shown = account.get(f"/teams/{team['id']}?embed=memberships").json()["team"]
    assert shown["memberships"] == []


def test_memberships_are_added_and_removed(account, member):
    body = {
        "team": {
            "name": "Sales",
            "memberships": [{"user": account.user_id}, {"user": {"id": member}}],
        }
    }
    team = account.post("/teams?embed=memberships", body).json()["team"]
    assert [m["user"]["id"] for m in team["memberships"]] == [account.user_id, member]
    assert team["memberships"][1]["user"] == {
        "id": member,
        "deleted": False,
        "username": "cy",
        "pictureURL": "https://capsulecrm.com/theme/default/images/person_avatar_70.png",
        "name": "Cy Cole",
    }
    change = {"team": {"memberships": [{"user": member, "_delete": True}]}}
    changed = account.put(f"/teams/{team['id']}?embed=memberships", change).json()["team"]
    assert [m["user"]["id"] for m in changed["memberships"]] == [account.user_id]


def test_membership_of_an_unknown_or_other_accounts_user_is_422(account, other_account):
    for user in (987654, other_account.user_id, None):
        body = {"team": {"name": "T", "memberships": [{"user": user}]}}
        assert errors_of(account.post("/teams", body))[0]["field"] == "memberships.user"
    assert account.get("/teams").json() == {"teams": []}


def test_team_name_is_required(account):
    assert errors_of(account.post("/teams", {"team": {"name": ""}}))[0] == {
        "message": "name is required",
        "resource": "team",
        "field": "name",
    }


def test_only_administrators_manage_teams(account, member, member_headers):
    headers = member_headers
    response = account.post("/teams", {"team": {"name": "Mine"}}, headers=headers)
    assert (response.status_code, response.json()) == (
        403,
        {"message": "Requires additional scope"},
    )
    team = account.post("/teams", {"team": {"name": "Theirs"}}).json()["team"]
    assert account.delete(f"/teams/{team['id']}", headers=headers).status_code == 403
    assert account.get(f"/teams/{team['id']}", headers=headers).status_code == 200


def test_owner_must_be_in_the_team_a_party_is_assigned_to(account, member):
    team = account.post(
        "/teams", {"team": {"name": "Sales", "memberships": [{"user": member}]}}
    ).json()["team"]
    body = {"type": "person", "lastName": "X", "owner": account.user_id, "team": team["id"]}
    assert errors_of(account.post("/parties", {"party": body}))[0]["message"] == (
        "owner is not a member of the team"
    )
    body["owner"] = member
    assert account.post("/parties", {"party": body}).status_code == 201


def test_deleting_a_team_unassigns_its_records(account):
    team = account.post(
        "/teams", {"team": {"name": "Gone", "memberships": [{"user": account.user_id}]}}
    ).json()["team"]
    party = account.post(
        "/parties", {"party": {"type": "person", "lastName": "X", "team": team["id"]}}
    ).json()["party"]
    assert party["team"] == {"id": team["id"], "name": "Gone"}
    assert account.delete(f"/teams/{team['id']}").status_code == 204
    assert account.get(f"/parties/{party['id']}").json()["party"]["team"] is None
