"""Sandbox accounts: a fresh account with an administrator and a write token, in one step.

Integration tests make one per test, so this is the whole cost of a clean slate: the account's
default titles, pipeline and board, its administrator (with the person record every Capsule user
has) and a token.
"""

import secrets
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from pillbox.domain.users import create_user
from pillbox.store import accounts as store

ADMIN_EMAIL = "admin@sandbox.example"
ADMIN_NAME = "Sandbox Admin"


@dataclass(frozen=True)
class SandboxAccount:
    account_id: int
    user_id: int
    name: str
    token: str


def open_account(conn: sa.Connection, name: str | None = None) -> SandboxAccount:
    """A new account, its administrator and a new write token (returned once, stored hashed)."""
    name = name or f"sandbox-{uuid.uuid4().hex[:12]}"
    account_id = store.create_account(conn, name)
    user_id = create_user(
        conn, account_id, email=ADMIN_EMAIL, name=ADMIN_NAME, username="admin", admin=True
    )
    token = secrets.token_urlsafe(24)
    store.create_token(conn, user_id, token, "write")
    return SandboxAccount(account_id, user_id, name, token)
