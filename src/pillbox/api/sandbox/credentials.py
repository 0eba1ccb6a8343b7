"""More users, tokens and OAuth apps for the caller's account: what tests of permissions and of
OAuth flows need besides the administrator's write token an account opens with.

- `POST /_pillbox/users` `{name?, email?, username?, admin?, password?}` → 201
  `{"user": {"id", "username", "name", "email", "admin"}, "token"}`: a user (not an
  administrator unless `admin: true`), with the person record every user has and a write token.
  Left out, the name is made up, the email is on `sandbox.example` and the username is the
  email's local part. A `password` (8 characters or more) lets the user sign in on the OAuth
  consent page. An email or username the account has already, or an address that is not one,
  is a 422.
- `POST /_pillbox/tokens` `{scope?, user?}` → 201 `{"token", "scope", "user"}`: a new personal
  token, `write` unless `scope` is `read`, for the user whose id is `user` (one of the account's;
  default: the caller's own user).
- `POST /_pillbox/apps` `{name?, redirectUris?}` → 201
  `{"app": {"clientId", "clientSecret", "name", "redirectUris"}}`: an OAuth app registered in
  the account, as `pillbox apps create` registers one; the secret is shown only here. Redirect
  URIs default to `["http://127.0.0.1/callback"]`.
"""

import secrets
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.sandbox.http import Route, answer, body, caller
from pillbox.domain import oauth
from pillbox.domain.passwords import PasswordTooShort, set_password
from pillbox.domain.users import check_new_user, create_user
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import accounts as store
from pillbox.store.accounts import Principal

DEFAULT_REDIRECT_URI = "http://127.0.0.1/callback"
Text = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


class UserInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text | None = None
    email: Annotated[str, Field(min_length=3, max_length=320)] | None = None
    username: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    admin: bool = False
    password: Annotated[str, Field(max_length=1000)] | None = None


class TokenInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: Literal["read", "write"] = "write"
    user: int | None = None


class AppInput(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: Text = "Sandbox app"
    redirect_uris: list[str] = Field(
        default=[DEFAULT_REDIRECT_URI], alias="redirectUris", min_length=1, max_length=20
    )


def _new_token(conn: sa.Connection, user_id: int, scope: str) -> str:
    token = secrets.token_urlsafe(24)
    store.create_token(conn, user_id, token, scope)
    return token


def _add_user(conn: sa.Connection, who: Principal, data: UserInput) -> dict[str, object]:
    email = data.email or f"user-{secrets.token_hex(4)}@sandbox.example"
    username = data.username or email.partition("@")[0]
    name = data.name or f"User {username}"
    check_new_user(conn, who.account_id, email, username)
    user_id = create_user(
        conn, who.account_id, email=email, name=name, username=username, admin=data.admin
    )
    if data.password is not None:
        try:
            set_password(conn, user_id, data.password)
        except PasswordTooShort as error:
            raise ValidationFailed.single(str(error), "user", "password") from None
    user = {"id": user_id, "username": username, "name": name, "email": email, "admin": data.admin}
    return {"user": user, "token": _new_token(conn, user_id, "write")}


async def add_user(request: Request) -> Response:
    who = await caller(request)
    data = await body(request, UserInput, "user")
    return answer(await request.app.state.db.write(_add_user, who, data), 201)


def _add_token(conn: sa.Connection, who: Principal, data: TokenInput) -> dict[str, object]:
    user_id = who.user_id if data.user is None else data.user
    if user_id not in store.live_user_ids(conn, who.account_id, {user_id}):
        raise NotFound()  # another account's user is as unknown as a missing one
    return {"token": _new_token(conn, user_id, data.scope), "scope": data.scope, "user": user_id}


async def add_token(request: Request) -> Response:
    who = await caller(request)
    data = await body(request, TokenInput, "token")
    return answer(await request.app.state.db.write(_add_token, who, data), 201)


def _add_app(conn: sa.Connection, who: Principal, data: AppInput) -> dict[str, object]:
    try:
        client_id, secret = oauth.register_app(conn, who.account_id, data.name, data.redirect_uris)
    except oauth.InvalidRedirectUri as error:
        raise ValidationFailed.single(str(error), "app", "redirectUris") from None
    app = {
        "clientId": client_id,
        "clientSecret": secret,
        "name": data.name,
        "redirectUris": data.redirect_uris,
    }
    return {"app": app}


async def add_app(request: Request) -> Response:
    who = await caller(request)
    data = await body(request, AppInput, "app")
    return answer(await request.app.state.db.write(_add_app, who, data), 201)


def routes() -> list[Route]:
    return [
        ("POST", "/users", add_user),
        ("POST", "/tokens", add_token),
        ("POST", "/apps", add_app),
    ]
