"""More users, tokens and OAuth apps for an account (/_pillbox/users, /tokens, /apps)."""

import pytest

from tests.api.snapshot import account_snapshot

ACTIVITY = {"activityType": {"name": "Site visit", "icon": {"id": "TRAVEL"}}}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def add_user(controls, account, **document):
    response = controls.request("POST", "/users", token=account.token, json=document)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_new_user_gets_a_write_token_and_is_no_administrator(admin, account, client):
    added = add_user(admin, account, name="Bob Smith", email="bob@acme.example")
    assert added["user"] == {
        "id": added["user"]["id"],
        "username": "bob",
        "name": "Bob Smith",
        "email": "bob@acme.example",
        "admin": False,
    }
    me = client.get("/api/v2/users/current", headers=bearer(added["token"])).json()["user"]
    assert (me["id"], me["username"]) == (added["user"]["id"], "bob")
    party = {"party": {"type": "organisation", "name": "Bob's"}}
    made = client.post("/api/v2/parties", json=party, headers=bearer(added["token"]))
    assert made.status_code == 201
    refused = client.post("/api/v2/activitytypes", json=ACTIVITY, headers=bearer(added["token"]))
    assert refused.status_code == 403
    assert account.post("/activitytypes", ACTIVITY).status_code == 201


def test_a_user_made_up_entirely_and_an_administrator(admin, account, client):
    first, second = add_user(admin, account), add_user(admin, account, admin=True)
    assert first["user"]["email"] != second["user"]["email"]
    assert first["user"]["email"].endswith("@sandbox.example")
    made = client.post("/api/v2/activitytypes", json=ACTIVITY, headers=bearer(second["token"]))
    assert made.status_code == 201


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"email": "admin@example.com"}, "email"),  # the administrator's
        ({"email": "not-an-address"}, "email"),
        ({"email": "x@y.example", "username": "ADA"}, "username"),
        ({"password": "short"}, "password"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_user_that_cannot_be_added_is_422_and_adds_nothing(
    admin, account, engine, document, field
):
    before = account_snapshot(engine, account.id)
    response = admin.request("POST", "/users", token=account.token, json=document)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert account_snapshot(engine, account.id) == before


def test_a_read_token_reads_but_cannot_write(admin, account, client):
    response = admin.request("POST", "/tokens", token=account.token, json={"scope": "read"})
    assert response.status_code == 201
    read = bearer(response.json()["token"])
    assert response.json()["scope"] == "read"
    assert client.get("/api/v2/parties", headers=read).status_code == 200
    party = {"party": {"type": "organisation", "name": "X"}}
    assert client.post("/api/v2/parties", json=party, headers=read).status_code == 403


def test_a_token_for_another_user_of_the_account(admin, account, client):
    bob = add_user(admin, account)["user"]
    body = {"user": bob["id"]}
    token = admin.request("POST", "/tokens", token=account.token, json=body).json()["token"]
    me = client.get("/api/v2/users/current", headers=bearer(token)).json()["user"]
    assert me["id"] == bob["id"]


def test_a_token_for_another_accounts_user_is_404(admin, account, other_account):
    theirs = add_user(admin, other_account)["user"]
    body = {"user": theirs["id"]}
    response = admin.request("POST", "/tokens", token=account.token, json=body)
    assert response.status_code == 404


def test_an_app_trades_a_personal_token_for_an_oauth_token(admin, account, client):
    response = admin.request("POST", "/apps", token=account.token, json={"name": "Sync"})
    assert response.status_code == 201
    app = response.json()["app"]
    assert (app["name"], app["redirectUris"]) == ("Sync", ["http://127.0.0.1/callback"])
    grant = {
        "grant_type": "password",
        "username": account.token,
        "client_id": app["clientId"],
        "client_secret": app["clientSecret"],
    }
    answer = client.post("/oauth/token", data=grant)
    assert answer.status_code == 200, answer.text
    headers = bearer(answer.json()["access_token"])
    assert client.get("/api/v2/users/current", headers=headers).status_code == 200


def test_an_app_with_a_bad_redirect_uri_is_422(admin, account):
    body = {"redirectUris": ["/relative"]}
    response = admin.request("POST", "/apps", token=account.token, json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "redirectUris"


@pytest.mark.parametrize("path", ["/users", "/tokens", "/apps"])
def test_credentials_need_a_token_of_the_account(admin, path):
    assert admin.request("POST", path).status_code == 401
