"""OAuth 2.0 storage: apps, single-use authorization codes, and the tokens issued to apps.

Everything secret is looked up by its SHA-256 hash. Revoking an app revokes its tokens and drops
its codes, so `find_principal` needs no join to refuse them.
"""

from typing import Any

import sqlalchemy as sa

from pillbox import timestamps
from pillbox.store.sql import insert_id
from pillbox.store.tables.accounts import accounts, tokens, users
from pillbox.store.tables.oauth import apps, authorization_codes
from pillbox.store.tables.oauth import signing_keys as signing_keys_table


def create_app(
    conn: sa.Connection,
    account_id: int,
    *,
    client_id: str,
    secret_hash: str,
    name: str,
    redirect_uris: list[str],
) -> int:
    values = dict(
        account_id=account_id,
        client_id=client_id,
        secret_hash=secret_hash,
        name=name,
        redirect_uris=" ".join(redirect_uris),
        created_at=timestamps.now(),
    )
    return insert_id(conn, apps.insert().values(**values))


_APP_COLUMNS = (
    apps.c.id,
    apps.c.account_id,
    apps.c.client_id,
    apps.c.secret_hash,
    apps.c.name,
    apps.c.redirect_uris,
)


def live_app(conn: sa.Connection, client_id: str) -> Any:
    query = sa.select(*_APP_COLUMNS).where(
        apps.c.client_id == client_id, apps.c.revoked_at.is_(None)
    )
    return conn.execute(query).first()


def list_apps(conn: sa.Connection, account_id: int) -> list[Any]:
    query = (
        sa.select(apps.c.client_id, apps.c.name, apps.c.redirect_uris, apps.c.created_at)
        .add_columns(apps.c.revoked_at)
        .where(apps.c.account_id == account_id)
        .order_by(apps.c.id)
    )
    return list(conn.execute(query))


def revoke_app(conn: sa.Connection, client_id: str) -> bool:
    """Revokes a live app, its tokens and its codes; False when no live app has that id."""
    app_id = conn.scalar(
        sa.select(apps.c.id).where(apps.c.client_id == client_id, apps.c.revoked_at.is_(None))
    )
    if app_id is None:
        return False
    now = timestamps.now()
    conn.execute(apps.update().where(apps.c.id == app_id).values(revoked_at=now))
    conn.execute(
        tokens.update()
        .where(tokens.c.app_id == app_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    conn.execute(authorization_codes.delete().where(authorization_codes.c.app_id == app_id))
    return True


# -- authorization codes --------------------------------------------------------------------------


def save_code(conn: sa.Connection, **values: Any) -> None:
    """Stores a new code, and forgets the expired ones of every app on the way."""
    conn.execute(
        authorization_codes.delete().where(authorization_codes.c.expires_at <= timestamps.now())
    )
    conn.execute(authorization_codes.insert().values(**values))


def take_code(conn: sa.Connection, code_hash: str, app_id: int) -> Any:
    """Removes and returns the app's unexpired code with that hash: a code is used once only."""
    codes = authorization_codes.c
    statement = (
        authorization_codes.delete()
        .where(
            codes.code_hash == code_hash,
            codes.app_id == app_id,
            codes.expires_at > timestamps.now(),
        )
        .returning(
            codes.user_id,
            codes.redirect_uri,
            codes.scope,
            codes.code_challenge,
            codes.code_challenge_method,
            codes.nonce,
        )
    )
    return conn.execute(statement).first()


def nonce_used(conn: sa.Connection, app_id: int, nonce: str) -> bool:
    """Whether a live code of the app already carries this nonce (a replayed request)."""
    query = sa.select(authorization_codes.c.id).where(
        authorization_codes.c.app_id == app_id,
        authorization_codes.c.nonce == nonce,
        authorization_codes.c.expires_at > timestamps.now(),
    )
    return conn.execute(query.limit(1)).first() is not None


# -- ID token signing keys ------------------------------------------------------------------------


def signing_keys(conn: sa.Connection) -> list[Any]:
    """(kid, private_jwk) of every signing key, oldest first."""
    query = sa.select(signing_keys_table.c.kid, signing_keys_table.c.private_jwk)
    return list(conn.execute(query.order_by(signing_keys_table.c.id)))


def add_signing_key(conn: sa.Connection, kid: str, private_jwk: str) -> None:
    values = dict(kid=kid, private_jwk=private_jwk, created_at=timestamps.now())
    conn.execute(signing_keys_table.insert().values(**values))


# -- tokens issued to apps ------------------------------------------------------------------------


def save_app_token(
    conn: sa.Connection,
    *,
    user_id: int,
    app_id: int,
    token_hash: str,
    refresh_token_hash: str,
    scope: str,
    expires_at: str,
) -> None:
    values = dict(
        user_id=user_id,
        app_id=app_id,
        token_hash=token_hash,
        refresh_token_hash=refresh_token_hash,
        scope=scope,
        expires_at=expires_at,
        created_at=timestamps.now(),
    )
    conn.execute(tokens.insert().values(**values))


def _live_app_token(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> Any:
    query = sa.select(tokens.c.id, tokens.c.app_id, tokens.c.user_id, tokens.c.scope).where(
        condition, tokens.c.app_id.is_not(None), tokens.c.revoked_at.is_(None)
    )
    return conn.execute(query).first()


def app_token_by_refresh(conn: sa.Connection, refresh_hash: str) -> Any:
    """(id, app_id, user_id, scope) of the unrevoked app token with that refresh token.

    Its access token may have expired: refresh tokens do not."""
    return _live_app_token(conn, tokens.c.refresh_token_hash == refresh_hash)


def app_token_by_either(conn: sa.Connection, token_hash: str) -> Any:
    """The unrevoked app token whose access or refresh token has that hash."""
    either = sa.or_(tokens.c.token_hash == token_hash, tokens.c.refresh_token_hash == token_hash)
    return _live_app_token(conn, either)


def revoke_app_token(conn: sa.Connection, token_id: int) -> None:
    """Revokes an access token together with its refresh token."""
    conn.execute(tokens.update().where(tokens.c.id == token_id).values(revoked_at=timestamps.now()))


# -- users ----------------------------------------------------------------------------------------

_USER_COLUMNS = (users.c.id, users.c.account_id, accounts.c.name, users.c.password_hash)


def user_profile(conn: sa.Connection, user_id: int) -> Any:
    """(name, email, locale, account name) of a user who is not deleted, for OpenID claims."""
    query = (
        sa.select(users.c.name, users.c.email, users.c.locale, accounts.c.name.label("account"))
        .join(accounts, accounts.c.id == users.c.account_id)
        .where(users.c.id == user_id, users.c.deleted.is_(False))
    )
    return conn.execute(query).first()


def live_user(conn: sa.Connection, user_id: int) -> Any:
    """(id, account_id, account name, password_hash) of a user who is not deleted."""
    query = (
        sa.select(*_USER_COLUMNS)
        .join(accounts, accounts.c.id == users.c.account_id)
        .where(users.c.id == user_id, users.c.deleted.is_(False))
    )
    return conn.execute(query).first()


def live_user_by_email(conn: sa.Connection, account_id: int, email: str) -> Any:
    query = (
        sa.select(*_USER_COLUMNS)
        .join(accounts, accounts.c.id == users.c.account_id)
        .where(
            users.c.account_id == account_id,
            users.c.email == email.strip(),
            users.c.deleted.is_(False),
        )
    )
    return conn.execute(query).first()
