"""Who may sign in to the web interface: users by email across accounts, and the signed-in user."""

from dataclasses import dataclass

import sqlalchemy as sa

from pillbox.store.sql import Query
from pillbox.store.tables.accounts import accounts, users


@dataclass(frozen=True)
class Candidate:
    """A live user with this email, in one of the accounts it belongs to."""

    user_id: int
    account_id: int
    account_name: str
    password_hash: str | None


@dataclass(frozen=True)
class SignedInUser:
    user_id: int
    account_id: int
    account_name: str
    name: str
    email: str
    is_admin: bool


_COLUMNS = (
    users.c.id,
    users.c.account_id,
    accounts.c.name.label("account_name"),
    users.c.name,
    users.c.email,
    users.c.is_admin,
    users.c.password_hash,
)
_BY_EMAIL = Query(
    sa.select(*_COLUMNS)
    .join(accounts, accounts.c.id == users.c.account_id)
    .where(
        sa.func.lower(users.c.email) == sa.bindparam("email"),
        users.c.deleted.is_(False),
    )
    .order_by(accounts.c.name, users.c.id)
)
_BY_ID = Query(
    sa.select(*_COLUMNS)
    .join(accounts, accounts.c.id == users.c.account_id)
    .where(users.c.id == sa.bindparam("id"), users.c.deleted.is_(False))
)


def candidates(conn: sa.Connection, email: str) -> list[Candidate]:
    """Every live user with this email (any case), by account name."""
    rows = _BY_EMAIL.rows(conn, email=email.strip().lower())
    return [Candidate(r.id, r.account_id, r.account_name, r.password_hash) for r in rows]


def signed_in_user(conn: sa.Connection, user_id: int) -> SignedInUser | None:
    """The session's user while they exist and are not deleted; None otherwise."""
    row = _BY_ID.first(conn, id=user_id)
    if row is None:
        return None
    return SignedInUser(
        row.id, row.account_id, row.account_name, row.name, row.email, bool(row.is_admin)
    )


def password_hash(conn: sa.Connection, user_id: int) -> str | None:
    """The live user's password hash (None without a password or a live user)."""
    row = _BY_ID.first(conn, id=user_id)
    return row.password_hash if row is not None else None
