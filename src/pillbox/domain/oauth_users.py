"""Who may sign in to authorise an OAuth app: a live user of the app's account, with a password."""

from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa

from pillbox.domain.passwords import password_matches
from pillbox.domain.site import subdomain
from pillbox.store import oauth as store


class OfAccount(Protocol):
    """An OAuth app, as far as signing in is concerned: the account it belongs to."""

    @property
    def account_id(self) -> int: ...


@dataclass(frozen=True)
class User:
    id: int
    account_id: int
    subdomain: str
    password_hash: str | None


def user_of(row: Any) -> User | None:
    return User(row.id, row.account_id, subdomain(row.name), row.password_hash) if row else None


def signed_in_user(conn: sa.Connection, app: OfAccount, user_id: int | None) -> User | None:
    """The session's user, if they still exist and belong to the app's account."""
    user = user_of(store.live_user(conn, user_id)) if user_id is not None else None
    return user if user is not None and user.account_id == app.account_id else None


def user_by_email(conn: sa.Connection, app: OfAccount, email: str) -> User | None:
    """The user of the app's account with that email: the one who may sign in with it."""
    return user_of(store.live_user_by_email(conn, app.account_id, email))


def sign_in(user: User | None, password: str) -> User | None:
    """The user, if the password is theirs. Slow on purpose (argon2): keep it off the event loop."""
    matches = password_matches(user.password_hash if user else None, password)
    return user if matches else None
