"""API v1 users (`GET /api/users`), in XML and in JSON: the account's users as v2 keeps them."""

import pytest

from pillbox.store.tables.accounts import users
from tests.api.v1.wire import FORMATS, V1, items
from tests.api.v2.checks import add_user

pytestmark = pytest.mark.parametrize("fmt", FORMATS)


def listed(v1: V1, fmt: str, query: str = "") -> list[dict]:
    return items(v1.read(f"/users{query}", fmt)["users"].get("user"))


def test_the_token_user_shows_every_field_as_a_string_and_logged_in(account, v1, fmt):
    assert listed(v1, fmt) == [
        {
            "id": str(account.user_id),
            "username": "ada",
            "name": "Ada Admin",
            "currency": "GBP",
            "timezone": "Europe/London",
            "loggedIn": "true",
        }
    ]


def test_xml_shows_users_in_v1s_element_order_with_size(account, v1, fmt):
    body = v1.get("/users").text
    assert body.startswith(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<users size="1"><user><id>{account.user_id}</id><username>ada</username>'
        "<name>Ada Admin</name><currency>GBP</currency><timezone>Europe/London</timezone>"
        "<loggedIn>true</loggedIn></user></users>"
    )


def test_only_the_token_user_is_logged_in_and_each_shows_its_person(
    client, account, engine, v1, fmt
):
    colleague, headers = add_user(engine, account, "Bo Black", "bo")
    person = account.get(f"/users/{colleague}").json()["user"]["party"]["id"]
    ada, bo = listed(v1, fmt)
    assert (ada["username"], ada["loggedIn"]) == ("ada", "true")
    assert bo == {
        "id": str(colleague),
        "username": "bo",
        "name": "Bo Black",
        "currency": "GBP",
        "timezone": "Europe/London",
        "partyId": str(person),
    }
    token = headers["Authorization"].removeprefix("Bearer ")
    as_bo = [user.get("loggedIn") for user in listed(V1(client, token), fmt)]
    assert as_bo == [None, "true"]


def test_preferences_changed_in_v2_show_in_v1(account, v1, fmt):
    body = {"user": {"currency": "EUR", "timezone": "America/New_York"}}
    assert account.put(f"/users/{account.user_id}", body).status_code == 200
    [user] = listed(v1, fmt)
    assert (user["currency"], user["timezone"]) == ("EUR", "America/New_York")


def test_deleted_users_and_other_accounts_users_are_not_listed(
    account, other_account, engine, v1, fmt
):
    gone, _ = add_user(engine, account, "Gone Away", "gone")
    add_user(engine, other_account, "Theo Theirs", "theo")
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.id == gone).values(deleted=True))
    assert [user["username"] for user in listed(v1, fmt)] == ["ada"]


def test_start_and_limit_page_the_users(account, engine, v1, fmt):
    add_user(engine, account, "Bo Black", "bo")
    add_user(engine, account, "Cy Cyan", "cy")
    assert [user["username"] for user in listed(v1, fmt, "?start=1&limit=1")] == ["bo"]
    assert v1.read("/users?start=5", fmt) == {"users": {"@size": "0"}}
    assert v1.get("/users?limit=x", fmt).status_code == 400


def test_users_need_a_token_and_cannot_be_written(client, v1, fmt):
    assert client.get("/api/users").status_code == 401
    response = v1.post("/users", {"user": {"username": "new"}}, fmt)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
