"""/settings/users and /settings/teams: the account's users and teams, for administrators."""

import sqlalchemy as sa
from starlette.testclient import TestClient

from pillbox.store.tables.accounts import users
from pillbox.store.tables.hooks import hook_deliveries
from tests.web.conftest import WebUser


def _user_id(engine, account_id: int, email: str) -> int:
    with engine.connect() as conn:
        query = sa.select(users.c.id).where(
            users.c.account_id == account_id, users.c.email == email
        )
        return int(conn.scalar(query))


def test_add_a_user_who_can_then_sign_in(web, app):
    body = {"name": "Nia New", "email": "nia@example.com", "password": "long enough pw"}
    assert web.post("/settings/items/users", body).status_code == 200
    assert "Nia New" in web.get("/settings/users").text
    found = [u for u in web.account.get("/users").json()["users"] if u["name"] == "Nia New"]
    assert found and found[0]["username"] == "nia"
    nia = WebUser(
        web.account,
        web.account_name,
        "nia@example.com",
        TestClient(app, base_url="http://pillbox.test"),
    )
    assert nia.sign_in("long enough pw").status_code == 303


def test_add_a_user_with_a_bad_email_or_short_password_is_refused(web):
    response = web.post("/settings/items/users", {"name": "X", "email": "not-an-address"})
    assert response.status_code == 422
    assert "is not an email address" in response.text
    response = web.post(
        "/settings/items/users", {"name": "Y", "email": "y@example.com", "password": "short"}
    )
    assert response.status_code == 422
    assert 'id="users-new-password-error">A password needs at least 8 characters.' in response.text
    names = {u["name"] for u in web.account.get("/users").json()["users"]}
    assert not {"X", "Y"} & names


def test_make_and_unmake_an_administrator_fires_user_updated(web, engine):
    web.post("/settings/items/users", {"name": "Ola", "email": "ola@example.com"})
    ola = _user_id(engine, web.account.id, "ola@example.com")
    hook = web.account.post(
        "/resthooks", {"restHook": {"event": "user/updated", "targetUrl": "https://h.invalid/"}}
    ).json()["restHook"]
    web.post(f"/settings/items/users/{ola}", {"administrator": "on"})
    assert "administrator" in web.get("/settings/users").text.split("Ola")[1].split("</legend>")[0]
    web.post(f"/settings/items/users/{ola}", {})
    with engine.connect() as conn:
        assert conn.scalar(sa.select(users.c.is_admin).where(users.c.id == ola)) is False
        of_hook = hook_deliveries.c.hook_id == hook["id"]
        events = list(conn.scalars(sa.select(hook_deliveries.c.event).where(of_hook)))
    assert events.count("user/updated") == 2


def test_the_last_administrator_stays_one(web):
    response = web.post(f"/settings/items/users/{web.user_id}", {})
    assert response.status_code == 422
    assert "an account needs an administrator" in response.text


def test_set_a_users_password(web, engine, app):
    web.post("/settings/items/users", {"name": "Pat", "email": "pat@example.com"})
    pat = _user_id(engine, web.account.id, "pat@example.com")
    web.post(f"/settings/items/users/{pat}", {"password": "brand new password"})
    signed = WebUser(
        web.account,
        web.account_name,
        "pat@example.com",
        TestClient(app, base_url="http://pillbox.test"),
    )
    assert signed.sign_in("brand new password").status_code == 303


def test_delete_a_user_after_asking(web, engine):
    web.post("/settings/items/users", {"name": "Gone Soon", "email": "gone@example.com"})
    gone = _user_id(engine, web.account.id, "gone@example.com")
    assert "Delete user “Gone Soon”?" in web.get(f"/settings/items/users/{gone}/delete").text
    assert web.post(f"/settings/items/users/{gone}/delete").status_code == 200
    assert "Gone Soon" not in web.get("/settings/users").text


def test_an_administrator_cannot_delete_themselves(web):
    response = web.post(f"/settings/items/users/{web.user_id}/delete")
    assert response.status_code == 422
    assert "you cannot delete yourself" in response.text


def test_another_accounts_user_is_the_404_page(web, other_web):
    assert (
        web.post(f"/settings/items/users/{other_web.user_id}", {"administrator": "on"}).status_code
        == 404
    )
    assert web.post(f"/settings/items/users/{other_web.user_id}/delete").status_code == 404


def test_add_rename_fill_and_delete_a_team(web, engine):
    web.post("/settings/items/users", {"name": "Tess", "email": "tess@example.com"})
    tess = _user_id(engine, web.account.id, "tess@example.com")
    offered = [str(web.user_id), str(tess)]
    web.post(
        "/settings/items/teams",
        {"name": "Sales", "memberships": [str(tess)], "memberships-offered": offered},
    )
    team = web.account.get("/teams", params={"embed": "memberships"}).json()["teams"][0]
    assert team["name"] == "Sales"
    assert [m["user"]["id"] for m in team["memberships"]] == [tess]
    web.post(
        f"/settings/items/teams/{team['id']}",
        {"name": "Sales team", "memberships": [str(web.user_id)], "memberships-offered": offered},
    )
    team = web.account.get(f"/teams/{team['id']}", params={"embed": "memberships"}).json()["team"]
    assert team["name"] == "Sales team"
    assert [m["user"]["id"] for m in team["memberships"]] == [web.user_id]
    assert web.post(f"/settings/items/teams/{team['id']}/delete").status_code == 200
    assert web.account.get("/teams").json()["teams"] == []


def test_team_with_someone_elses_user_is_refused(web, other_web):
    response = web.post(
        "/settings/items/teams",
        {
            "name": "Mixed",
            "memberships": [str(other_web.user_id)],
            "memberships-offered": [str(other_web.user_id)],
        },
    )
    assert response.status_code == 422
    assert "user not found" in response.text
    assert web.account.get("/teams").json()["teams"] == []
