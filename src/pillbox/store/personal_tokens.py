"""A user's personal API tokens as their owner sees them: listed, made with a name, revoked.

Only the SHA-256 of a token is stored (store/accounts.py), so a token is shown once, when made.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.accounts import hash_token
from pillbox.store.sql import Query, insert_id
from pillbox.store.tables.accounts import tokens


@dataclass(frozen=True)
class PersonalToken:
    id: int
    name: str | None
    scope: str
    created_at: str


_LIVE = Query(
    sa.select(tokens.c.id, tokens.c.name, tokens.c.scope, tokens.c.created_at)
    .where(
        tokens.c.user_id == sa.bindparam("user_id"),
        tokens.c.app_id.is_(None),
        tokens.c.revoked_at.is_(None),
    )
    .order_by(tokens.c.id.desc())
)


def live_tokens(conn: sa.Connection, user_id: int) -> list[PersonalToken]:
    """The user's personal tokens not revoked, newest first (app tokens are the apps' business)."""
    return [PersonalToken(*row) for row in _LIVE.rows(conn, user_id=user_id)]


def create_named_token(conn: sa.Connection, user_id: int, token: str, name: str, scope: str) -> int:
    values = dict(
        user_id=user_id,
        token_hash=hash_token(token),
        scope=scope,
        name=name,
        created_at=timestamps.now(),
    )
    return insert_id(conn, tokens.insert().values(**values))


def revoke_own_token(conn: sa.Connection, user_id: int, token_id: int) -> bool:
    """Revokes one of the user's live personal tokens; False when they have none by that id."""
    result = conn.execute(
        tokens.update()
        .where(
            tokens.c.id == token_id,
            tokens.c.user_id == user_id,
            tokens.c.app_id.is_(None),
            tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=timestamps.now())
    )
    return result.rowcount == 1
