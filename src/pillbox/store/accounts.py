"""Accounts, users and tokens: creation and the per-request token lookup."""

import hashlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.boards import create_default_board
from pillbox.store.pipelines import create_default_pipeline
from pillbox.store.sql import Query, add_rows, insert_id
from pillbox.store.tables.accounts import accounts, titles, tokens, users


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: one user of one account, with the token's scope.

    `app_id` is the OAuth app the token was issued to (None for personal tokens)."""

    user_id: int
    account_id: int
    scope: str
    is_admin: bool
    app_id: int | None = None
    token_id: int | None = None  # the token the request carried (None: not from a token)

    @property
    def can_write(self) -> bool:
        return "write" in self.scope.split()

    @property
    def can_change_preferences(self) -> bool:
        """Personal write tokens may; app tokens need the user_preference scope as well."""
        return self.can_write and (self.app_id is None or "user_preference" in self.scope.split())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Unknown, revoked and expired tokens are all simply not found.
_PRINCIPAL = Query(
    sa.select(
        users.c.id,
        users.c.account_id,
        tokens.c.scope,
        users.c.is_admin,
        tokens.c.app_id,
        tokens.c.id,
    )
    .join(users, users.c.id == tokens.c.user_id)
    .where(
        tokens.c.token_hash == sa.bindparam("token_hash"),
        tokens.c.revoked_at.is_(None),
        sa.or_(tokens.c.expires_at.is_(None), tokens.c.expires_at > sa.bindparam("now")),
        users.c.deleted.is_(False),
    )
)


def find_principal(conn: sa.Connection, token: str) -> Principal | None:
    row = _PRINCIPAL.first(conn, token_hash=hash_token(token), now=timestamps.now())
    return Principal(row[0], row[1], row[2], bool(row[3]), row[4], row[5]) if row else None


# The person titles every account starts with (Capsule's built-in ones); admins add more.
DEFAULT_TITLES = ("Mr", "Master", "Mrs", "Miss", "Ms", "Dr", "Prof")


def create_account(conn: sa.Connection, name: str) -> int:
    """A new account with what every account starts with (titles, a pipeline, a board)."""
    account_id = create_bare_account(conn, name)
    create_defaults(conn, account_id)
    return account_id


def create_bare_account(conn: sa.Connection, name: str) -> int:
    """The account row alone (a copy of another account fills it)."""
    return insert_id(conn, accounts.insert().values(name=name, created_at=timestamps.now()))


def create_defaults(conn: sa.Connection, account_id: int) -> None:
    create_default_titles(conn, account_id)
    create_default_pipeline(conn, account_id)
    create_default_board(conn, account_id)


def create_default_titles(conn: sa.Connection, account_id: int) -> None:
    now = timestamps.now()
    rows = [(account_id, title, title.lower(), now) for title in DEFAULT_TITLES]
    add_rows(conn, titles, ("account_id", "title", "title_key", "created_at"), rows)


def account_name(conn: sa.Connection, account_id: int) -> str:
    return str(conn.scalar(sa.select(accounts.c.name).where(accounts.c.id == account_id)))


def account_id_by_name(conn: sa.Connection, name: str) -> int | None:
    return conn.scalar(sa.select(accounts.c.id).where(accounts.c.name == name))


def create_user(
    conn: sa.Connection, account_id: int, *, email: str, name: str, username: str, admin: bool
) -> int:
    now = timestamps.now()
    values = dict(
        account_id=account_id,
        email=email,
        name=name,
        username=username,
        is_admin=admin,
        deleted=False,
        created_at=now,
        updated_at=now,
    )
    return insert_id(conn, users.insert().values(**values))


def user_id_by_email(conn: sa.Connection, account_id: int, email: str) -> int | None:
    query = sa.select(users.c.id).where(users.c.account_id == account_id, users.c.email == email)
    return conn.scalar(query)


def set_password_hash(conn: sa.Connection, user_id: int, password_hash: str) -> None:
    conn.execute(users.update().where(users.c.id == user_id).values(password_hash=password_hash))


TOKEN_PREFIX_LENGTH = 6


def create_token(conn: sa.Connection, user_id: int, token: str, scope: str) -> None:
    values = dict(
        user_id=user_id,
        token_hash=hash_token(token),
        prefix=token[:TOKEN_PREFIX_LENGTH],
        scope=scope,
        created_at=timestamps.now(),
    )
    conn.execute(tokens.insert().values(**values))


def record_token_uses(conn: sa.Connection, last_used: dict[int, str]) -> None:
    """Sets the last use of each token id given (in one statement, executed for many)."""
    if last_used:
        update = (
            tokens.update()
            .where(tokens.c.id == sa.bindparam("token_id"))
            .values(last_used_at=sa.bindparam("at"))
        )
        conn.execute(update, [{"token_id": k, "at": v} for k, v in last_used.items()])


def live_personal_tokens(conn: sa.Connection, user_id: int) -> list[Any]:
    """The user's personal tokens not revoked, oldest first: prefix, scope, created, last used."""
    query = (
        sa.select(tokens.c.prefix, tokens.c.scope, tokens.c.created_at, tokens.c.last_used_at)
        .where(
            tokens.c.user_id == user_id,
            tokens.c.app_id.is_(None),
            tokens.c.revoked_at.is_(None),
        )
        .order_by(tokens.c.id)
    )
    return list(conn.execute(query))


def list_accounts(conn: sa.Connection) -> list[Any]:
    """Every account, oldest first: id, name, created, and how many live users it has."""
    live_users = (
        sa.select(sa.func.count())
        .where(users.c.account_id == accounts.c.id, users.c.deleted.is_(False))
        .scalar_subquery()
    )
    query = sa.select(
        accounts.c.id, accounts.c.name, accounts.c.created_at, live_users.label("users")
    ).order_by(accounts.c.id)
    return list(conn.execute(query))


def revoke_token(conn: sa.Connection, token: str) -> bool:
    """Marks the token revoked; False when no live token matches."""
    result = conn.execute(
        tokens.update()
        .where(tokens.c.token_hash == hash_token(token), tokens.c.revoked_at.is_(None))
        .values(revoked_at=timestamps.now())
    )
    return result.rowcount == 1


def delete_user(conn: sa.Connection, account_id: int, user_id: int) -> None:
    """Marks the user deleted (their records keep them as owner) and revokes their tokens."""
    mine = (users.c.account_id == account_id, users.c.id == user_id)
    if conn.execute(users.update().where(*mine).values(deleted=True)).rowcount == 0:
        return
    conn.execute(
        tokens.update()
        .where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=timestamps.now())
    )


def live_admin_ids(conn: sa.Connection, account_id: int) -> set[int]:
    query = sa.select(users.c.id).where(
        users.c.account_id == account_id, users.c.is_admin.is_(True), users.c.deleted.is_(False)
    )
    return set(conn.scalars(query))


def live_user_ids(conn: sa.Connection, account_id: int, ids: set[int]) -> set[int]:
    query = sa.select(users.c.id).where(
        users.c.account_id == account_id, users.c.id.in_(ids), users.c.deleted.is_(False)
    )
    return set(conn.scalars(query))


def list_users(conn: sa.Connection, account_id: int) -> list[Any]:
    """The account's users not deleted, oldest first: email, name, username, is_admin."""
    query = (
        sa.select(users.c.email, users.c.name, users.c.username, users.c.is_admin)
        .where(users.c.account_id == account_id, users.c.deleted.is_(False))
        .order_by(users.c.id)
    )
    return list(conn.execute(query))


def live_users(conn: sa.Connection, account_id: int) -> list[tuple[int, str, str, bool]]:
    """(id, email, name, is_admin) of the account's users not deleted, oldest first."""
    query = (
        sa.select(users.c.id, users.c.email, users.c.name, users.c.is_admin)
        .where(users.c.account_id == account_id, users.c.deleted.is_(False))
        .order_by(users.c.id)
    )
    return [(row.id, row.email, row.name, row.is_admin) for row in conn.execute(query)]
