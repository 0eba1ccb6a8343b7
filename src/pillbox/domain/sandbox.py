"""Sandbox accounts: made in one step, saved and restored by name, copied, emptied.

- A new account is the whole cost of a clean slate for an integration test: the account's
  default titles, pipeline and board, its administrator (with the person record every Capsule
  user has) and a write token.
- A snapshot keeps every row of the account (store/account_data.py) and a copy of each file its
  attachments name. Restoring one puts the records back under their own ids, so ids a test
  holds stay valid; ids are never reused on PostgreSQL, and should SQLite have given one to
  another account meanwhile, the restore is refused (409) and changes nothing.
- A fork copies every record into a new account under new ids, with a token for the copy of the
  caller's user. A reset empties the account to how a new one starts, keeping users and tokens.
"""

import contextlib
import secrets
import shutil
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

import sqlalchemy as sa

from pillbox.domain.accounts import create_account, free_name
from pillbox.domain.users import create_user, recreate_person
from pillbox.errors import ApiError, NotFound
from pillbox.store import account_data, snapshots
from pillbox.store import accounts as store
from pillbox.store import entries as entry_store
from pillbox.store.accounts import Principal
from pillbox.store.files import FileStore

ADMIN_EMAIL = "admin@sandbox.example"
ADMIN_NAME = "Sandbox Admin"


class SnapshotConflict(ApiError):
    status = 409
    message = "The snapshot cannot be restored: some of its ids now belong to other records"


@dataclass(frozen=True)
class SandboxAccount:
    account_id: int
    user_id: int
    name: str
    token: str


def new_account_name() -> str:
    return f"sandbox-{uuid.uuid4().hex[:12]}"


def open_account(conn: sa.Connection, name: str | None = None) -> SandboxAccount:
    """A new account, its administrator and a new write token (returned once, stored hashed)."""
    name = name or new_account_name()
    account_id = create_account(conn, name)
    user_id = create_user(
        conn, account_id, email=ADMIN_EMAIL, name=ADMIN_NAME, username="admin", admin=True
    )
    token = secrets.token_urlsafe(24)
    store.create_token(conn, user_id, token, "write")
    return SandboxAccount(account_id, user_id, name, token)


# -- snapshots, forks and resets ----------------------------------------------------------------


def copy_file(files: FileStore, key: str) -> str:
    """A copy of stored file `key` under a new key (a missing file copies as an empty one)."""
    new_key = files.new_key()
    with (
        files.open_for_writing(new_key) as target,
        contextlib.suppress(FileNotFoundError),
        files.open_for_reading(key) as source,
    ):
        shutil.copyfileobj(source, target)
    return new_key


def save_snapshot(
    conn: sa.Connection, files: FileStore, account_id: int, name: str
) -> dict[str, Any]:
    """Saves the account's rows as `name`, with copies of its files (so they outlive deletes)."""
    rows = account_data.with_file_copies(
        account_data.read(conn, account_id), partial(copy_file, files)
    )
    replaced = snapshots.delete(conn, account_id, name)
    if replaced is not None:
        entry_store.orphan(conn, account_data.storage_keys(replaced))
    return snapshots.save(conn, account_id, name, rows)


def restore_snapshot(conn: sa.Connection, files: FileStore, account_id: int, name: str) -> None:
    """Puts the account back as it was when `name` was saved: same records, same ids."""
    rows = snapshots.load(conn, account_id, name)
    if rows is None:
        raise NotFound()
    entry_store.orphan(conn, account_data.remove(conn, account_id))
    try:
        account_data.put_back(
            conn, account_id, account_data.with_file_copies(rows, partial(copy_file, files))
        )
    except sa.exc.IntegrityError:
        raise SnapshotConflict() from None


def delete_snapshot(conn: sa.Connection, account_id: int, name: str) -> None:
    rows = snapshots.delete(conn, account_id, name)
    if rows is None:
        raise NotFound()
    entry_store.orphan(conn, account_data.storage_keys(rows))


def reset_account(conn: sa.Connection, account_id: int) -> None:
    """Empties the account back to how a new one starts; its users and tokens stay, each user
    with a fresh person record."""
    entry_store.orphan(conn, account_data.remove(conn, account_id))
    store.create_defaults(conn, account_id)
    for user_id, email, name, admin in store.live_users(conn, account_id):
        recreate_person(conn, account_id, user_id, email, name, admin)


def fork_account(
    conn: sa.Connection, files: FileStore, who: Principal, name: str | None = None
) -> SandboxAccount:
    """A new account holding a copy of every record of `who`'s account, renumbered, and a write
    token for the copy of `who`'s user."""
    name = free_name(
        conn, name or f"{store.account_name(conn, who.account_id)}-fork-{uuid.uuid4().hex[:8]}"
    )
    rows = account_data.with_file_copies(
        account_data.read(conn, who.account_id), partial(copy_file, files)
    )
    new_account_id = store.create_bare_account(conn, name)
    ids = account_data.copy_to(conn, rows, new_account_id)
    user_id = ids.of("users", who.user_id)
    token = secrets.token_urlsafe(24)
    store.create_token(conn, user_id, token, "write")
    return SandboxAccount(new_account_id, user_id, name, token)
