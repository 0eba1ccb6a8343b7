"""Personal API tokens a user makes and revokes for themself: a name, a scope, shown once."""

import secrets
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import Field

from pillbox.domain.base import InputModel, required_name
from pillbox.errors import NotFound
from pillbox.store import personal_tokens as store
from pillbox.store.accounts import Principal

RESOURCE = "token"
SCOPES = ("read", "write")


class TokenInput(InputModel):
    name: Annotated[str, Field(max_length=100)] | None = None
    scope: Literal["read", "write"] = "write"


def create_token(conn: sa.Connection, who: Principal, data: TokenInput) -> str:
    """Makes a token for the acting user and returns it: the only time it can be seen."""
    name = required_name(data.name, RESOURCE)
    token = secrets.token_hex(32)  # hex, as the CLI's: it never starts with "-"
    store.create_named_token(conn, who.user_id, token, name, data.scope)
    return token


def revoke_token(conn: sa.Connection, who: Principal, token_id: int) -> None:
    """Revokes one of the acting user's own tokens; anyone else's is not found."""
    if not store.revoke_own_token(conn, who.user_id, token_id):
        raise NotFound()
