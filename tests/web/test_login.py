"""Signing in and out of the web interface: passwords, the session cookie, `next`, accounts
sharing an email, CSRF on the sign-in form, and throttling."""

import pytest

from pillbox.web.throttle import SignInThrottle
from tests.web.conftest import PASSWORD, csrf_of, give_password, web_user


def test_show_login_page_has_email_password_and_sign_in(anonymous):
    page = anonymous.get("/login")
    assert page.status_code == 200
    assert '<label for="email">Email</label>' in page.text
    assert '<label for="password">Password</label>' in page.text
    assert ">Sign in</button>" in page.text


@pytest.mark.parametrize("path", ["/", "/parties", "/parties/1", "/tasks", "/settings/tokens"])
def test_show_page_signed_out_redirects_to_login_with_next(anonymous, path):
    response = anonymous.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


def test_sign_in_returns_to_next_and_sets_a_safe_cookie(engine, app, client):
    user = web_user(engine, app, client)
    user.client.cookies.clear()
    page = user.client.get("/login?next=/tasks")
    response = user.client.post(
        "/login?next=/tasks",
        data={"csrf": csrf_of(page.text), "email": user.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/tasks"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Path=/" in cookie
    assert user.client.get("/tasks").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_sign_in_with_foreign_next_goes_home(web, target):
    web.client.cookies.clear()
    page = web.client.get("/login")
    response = web.client.post(
        "/login",
        params={"next": target},
        data={"csrf": csrf_of(page.text), "email": web.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_sign_in_with_wrong_password_says_so_and_keeps_email(web):
    web.client.cookies.clear()
    response = web.sign_in("not the password")
    assert response.status_code == 200
    assert "Wrong email or password." in response.text
    assert f'value="{web.email}"' in response.text
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_with_unknown_email_is_the_same_refusal(anonymous):
    page = anonymous.get("/login")
    response = anonymous.post(
        "/login",
        data={"csrf": csrf_of(page.text), "email": "nobody@example.com", "password": PASSWORD},
    )
    assert "Wrong email or password." in response.text


def test_sign_in_without_csrf_token_is_403(web):
    web.client.cookies.clear()
    web.client.get("/login")
    response = web.client.post("/login", data={"email": web.email, "password": PASSWORD})
    assert response.status_code == 403


def test_sign_in_of_deleted_user_is_refused(engine, web):
    from pillbox.store.accounts import delete_user

    with engine.begin() as conn:
        delete_user(conn, web.account.id, web.user_id)
    assert web.get("/", follow_redirects=False).status_code == 303
    web.client.cookies.clear()
    assert "Wrong email or password." in web.sign_in().text


def test_sign_out_ends_the_session(web):
    response = web.post("/logout", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert web.get("/", follow_redirects=False).status_code == 303


def test_sign_out_without_csrf_token_is_403(web):
    assert web.client.post("/logout").status_code == 403
    assert web.get("/").status_code == 200


def test_sign_in_with_email_of_two_accounts_asks_which(engine, app, client):
    first = web_user(engine, app, client)
    second = web_user(engine, app, client, email=first.email.upper(), signed_in=False)
    first.client.cookies.clear()
    page = first.client.get("/login")
    asked = first.client.post(
        "/login", data={"csrf": csrf_of(page.text), "email": first.email, "password": PASSWORD}
    )
    assert "Which account?" in asked.text
    chosen = first.client.post(
        "/login",
        data={"csrf": csrf_of(asked.text), "account": str(second.user_id)},
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    home = first.client.get("/")
    assert home.status_code == 200
    assert f"Ada Admin · {second.account_name}" in home.text


def test_choose_account_not_offered_is_refused(engine, app, client):
    first = web_user(engine, app, client)
    stranger = web_user(engine, app, client)
    web_user(engine, app, client, email=first.email, signed_in=False)
    first.client.cookies.clear()
    page = first.client.get("/login")
    asked = first.client.post(
        "/login", data={"csrf": csrf_of(page.text), "email": first.email, "password": PASSWORD}
    )
    response = first.client.post(
        "/login",
        data={"csrf": csrf_of(asked.text), "account": str(stranger.user_id)},
        follow_redirects=False,
    )
    assert response.status_code == 200
    assert first.client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_after_ten_failures_is_429_until_the_window_passes(web):
    web.client.cookies.clear()
    for _ in range(10):
        assert web.sign_in("wrong password").status_code == 200
    refused = web.sign_in()
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert int(refused.headers["retry-after"]) > 0


def test_throttle_forgets_failures_older_than_its_window():
    now = [1000.0]
    throttle = SignInThrottle(max_failures=2, window=60, now=lambda: now[0])
    throttle.failed("a@example.com", "1.2.3.4")
    throttle.failed("A@example.com", "5.6.7.8")
    assert throttle.blocked("a@example.com", "9.9.9.9")
    assert not throttle.blocked("b@example.com", "9.9.9.9")
    now[0] += 61
    assert not throttle.blocked("a@example.com", "1.2.3.4")


def test_throttle_counts_per_address_across_emails():
    throttle = SignInThrottle(max_failures=3, window=60, now=lambda: 0.0)
    for email in ("a@x.example", "b@x.example", "c@x.example"):
        throttle.failed(email, "1.2.3.4")
    assert throttle.blocked("d@x.example", "1.2.3.4")
    assert throttle.retry_after("d@x.example", "1.2.3.4") == 60


def test_password_change_is_not_needed_for_a_new_session(engine, web):
    give_password(engine, web.user_id, web.email, "another password")
    web.client.cookies.clear()
    assert web.sign_in("another password").status_code == 303
