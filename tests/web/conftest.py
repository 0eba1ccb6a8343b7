"""Web interface fixtures: a signed-in browser-like client per user, on both databases.

Each user gets an email of their own (the suite's accounts share one PostgreSQL schema, and an
email found in several accounts is asked which account) and their own cookie jar.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from pillbox.domain.passwords import set_password
from pillbox.store import accounts as account_store
from pillbox.store.tables.accounts import users
from tests.conftest import Account, make_account

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@dataclass
class WebUser:
    """A user signed in to the web interface, with their account and a client of their own."""

    account: Account
    account_name: str
    email: str
    client: TestClient
    csrf: str = ""

    @property
    def user_id(self) -> int:
        return self.account.user_id

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """A form post carrying the session's CSRF token, as every page's forms do."""
        return self.client.post(path, data={"csrf": self.csrf, **(data or {})}, **kwargs)

    def sign_in(self, password: str = PASSWORD) -> Any:
        page = self.client.get("/login")
        response = self.client.post(
            "/login",
            data={"csrf": csrf_of(page.text), "email": self.email, "password": password},
            follow_redirects=False,
        )
        if response.status_code == 303:
            self.csrf = csrf_of(self.client.get("/").text)
        return response


def give_password(engine: sa.Engine, user_id: int, email: str, password: str = PASSWORD) -> None:
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.id == user_id).values(email=email))
        set_password(conn, user_id, password)


def web_user(
    engine: sa.Engine,
    app: Any,
    client: TestClient,
    email: str | None = None,
    signed_in: bool = True,
) -> WebUser:
    account_name = f"Account {uuid.uuid4().hex[:10]}"
    account = make_account(engine, client, account_name)
    email = email or f"user-{uuid.uuid4().hex[:12]}@example.com"
    give_password(engine, account.user_id, email)
    # The suite's `client` has started the app (lifespan); this one only keeps its own cookies.
    own_client = TestClient(app, base_url="http://pillbox.test")
    user = WebUser(account, account_name, email, own_client)
    if signed_in:
        assert user.sign_in().status_code == 303
    return user


@pytest.fixture
def web(engine: sa.Engine, app: Any, client: TestClient) -> WebUser:
    return web_user(engine, app, client)


@pytest.fixture
def other_web(engine: sa.Engine, app: Any, client: TestClient) -> WebUser:
    return web_user(engine, app, client)


@pytest.fixture
def anonymous(app: Any, client: TestClient) -> TestClient:
    return TestClient(app, base_url="http://pillbox.test")


def member_of(owner: WebUser, engine: sa.Engine, app: Any, admin: bool = False) -> WebUser:
    """Another user of `owner`'s account, signed in with a client of their own."""
    email = f"member-{uuid.uuid4().hex[:12]}@example.com"
    with engine.begin() as conn:
        user_id = account_store.create_user(
            conn, owner.account.id, email=email, name="Mo Member", username=email, admin=admin
        )
    give_password(engine, user_id, email)
    account = Account(owner.account.id, user_id, "", "", owner.account.client)
    user = WebUser(
        account, owner.account_name, email, TestClient(app, base_url="http://pillbox.test")
    )
    assert user.sign_in().status_code == 303
    return user


@pytest.fixture
def member(web: WebUser, engine: sa.Engine, app: Any) -> WebUser:
    """A user of `web`'s account who is not an administrator."""
    return member_of(web, engine, app)
