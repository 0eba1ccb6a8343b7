"""Accounts (Capsule's sites): an account's name is unique on the server."""

import sqlalchemy as sa

from pillbox.errors import ValidationFailed
from pillbox.store import accounts as store


def free_name(conn: sa.Connection, name: str) -> str:
    """The name, if no account has it yet; refused otherwise."""
    if store.account_id_by_name(conn, name) is not None:
        raise ValidationFailed.single("name is already in use", "account", "name")
    return name


def create_account(conn: sa.Connection, name: str) -> int:
    """A new account named `name`; refused when another account has that name."""
    return store.create_account(conn, free_name(conn, name))
