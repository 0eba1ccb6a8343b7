"""Users (/users, /users/current) and their preferences."""

import pytest
import sqlalchemy as sa

from tests.api.v2.checks import add_user, errors_of


@pytest.fixture
def colleague_and_headers(account, engine):
    """A second, non-admin user of the account, with a person record and a token."""
    return add_user(engine, account, "Bo Brown", "bo")


@pytest.fixture
def colleague(colleague_and_headers):
    return colleague_and_headers[0]


@pytest.fixture
def colleague_headers(colleague_and_headers):
    return colleague_and_headers[1]


def test_current_user_is_the_tokens_user_in_capsules_shape(account):
    user = account.get("/users/current").json()["user"]
    assert list(user)[:10] == [
        "id",
        "locale",
        "currency",
        "status",
        "party",
        "username",
        "timezone",
        "lastLoginAt",
        "name",
        "taskReminder",
    ]
    assert (user["id"], user["username"], user["name"]) == (account.user_id, "ada", "Ada Admin")
    assert (user["status"], user["locale"], user["timezone"]) == (
        "ACTIVE",
        "en_GB",
        "Europe/London",
    )
    assert user["taskReminder"] is True


def test_list_users_of_the_account_only(account, other_account, colleague):
    listed = account.get("/users").json()["users"]
    assert [u["id"] for u in listed] == [account.user_id, colleague]
    assert [u["id"] for u in other_account.get("/users").json()["users"]] == [other_account.user_id]
    assert other_account.get(f"/users/{colleague}").status_code == 404


def test_a_users_person_record_is_linked_and_embedded_in_full(account, colleague):
    user = account.get(f"/users/{colleague}").json()["user"]
    assert user["name"] == "Bo Brown"
    party = user["party"]
    assert (party["type"], party["firstName"], party["lastName"]) == ("person", "Bo", "Brown")
    assert set(party) == {"id", "type", "firstName", "lastName", "pictureURL"}
    full = account.get(f"/users/{colleague}?embed=party").json()["user"]["party"]
    assert full["emailAddresses"][0]["address"] == "bo@example.com"
    assert full == account.get(f"/parties/{party['id']}").json()["party"]


def test_user_name_follows_their_person_record(account, colleague):
    party_id = account.get(f"/users/{colleague}").json()["user"]["party"]["id"]
    account.put(f"/parties/{party_id}", {"party": {"lastName": "Black"}})
    assert account.get(f"/users/{colleague}").json()["user"]["name"] == "Bo Black"
    owned = account.post(
        "/parties", {"party": {"type": "person", "lastName": "X", "owner": colleague}}
    )
    assert owned.json()["party"]["owner"]["name"] == "Bo Black"


def test_users_change_their_own_preferences(account, colleague, colleague_headers):
    body = {
        "user": {
            "locale": "en_US",
            "currency": "EUR",
            "timezone": "America/New_York",
            "taskReminder": False,
            "clickToCallPreference": "TEL",
        }
    }
    response = account.put(f"/users/{colleague}", body, headers=colleague_headers)
    user = response.json()["user"]
    assert (user["locale"], user["currency"], user["timezone"]) == (
        "en_US",
        "EUR",
        "America/New_York",
    )
    assert (user["taskReminder"], user["clickToCallPreference"]) == (False, "TEL")


def test_only_an_administrator_changes_another_users_preferences(
    account, colleague, colleague_headers
):
    response = account.put(
        f"/users/{account.user_id}", {"user": {"locale": "es_ES"}}, headers=colleague_headers
    )
    assert response.status_code == 403
    assert response.json() == {"message": "Requires additional scope"}
    assert account.put(f"/users/{colleague}", {"user": {"locale": "es_ES"}}).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"locale": "xx_XX"}, "locale"),
        ({"taskReminder": None}, "taskReminder"),
        ({"username": " "}, "username"),
    ],
)
def test_invalid_preferences_are_422(account, change, field):
    response = account.put(f"/users/{account.user_id}", {"user": change})
    assert errors_of(response)[0]["field"] == field


def test_usernames_are_unique_in_the_account(account, colleague):
    response = account.put(f"/users/{colleague}", {"user": {"username": "ADA"}})
    assert errors_of(response)[0]["message"] == "username already exists"
    renamed = account.put(f"/users/{colleague}", {"user": {"username": "bobby"}})
    assert renamed.json()["user"]["username"] == "bobby"


def test_deleted_users_are_not_listed(account, engine, colleague):
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE users SET deleted = :t WHERE id = :id"), {"t": True, "id": colleague}
        )
    assert [u["id"] for u in account.get("/users").json()["users"]] == [account.user_id]
    assert account.get(f"/users/{colleague}").status_code == 404
