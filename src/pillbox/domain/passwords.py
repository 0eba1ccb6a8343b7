"""Users' sign-in passwords, kept only as argon2 hashes; they serve the OAuth consent page."""

from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pillbox import metrics
from pillbox.store import accounts as store

MIN_LENGTH = 8

_hasher = PasswordHasher()


class PasswordTooShort(ValueError):
    def __init__(self) -> None:
        super().__init__(f"A password needs at least {MIN_LENGTH} characters.")


@cache
def _no_one_has_this() -> str:
    return _hasher.hash("a hash to verify against when the user is unknown")


def set_password(conn: sa.Connection, user_id: int, password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordTooShort()
    store.set_password_hash(conn, user_id, _hasher.hash(password))


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether the password is right; an unknown user costs the same time as a wrong password."""
    try:
        matches = _hasher.verify(stored_hash or _no_one_has_this(), password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        matches = False
    if not matches:
        metrics.SIGN_IN_FAILURES.inc()
    return matches
