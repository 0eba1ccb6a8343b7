"""Owner and team of a record: who may be assigned, and the rule that binds the two."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain.base import Ref
from pillbox.errors import ValidationFailed
from pillbox.store import accounts as store
from pillbox.store import teams as team_store


def resolve_owner(
    conn: sa.Connection, account_id: int, ref: Ref | None, resource: str
) -> int | None:
    if ref is None:
        return None
    if ref.id is None or not store.live_user_ids(conn, account_id, {ref.id}):
        raise ValidationFailed.single("owner not found", resource, "owner")
    return ref.id


def resolve_team(
    conn: sa.Connection, account_id: int, ref: Ref | None, resource: str
) -> int | None:
    if ref is None:
        return None
    if ref.id is None or not team_store.team_ids(conn, account_id, {ref.id}):
        raise ValidationFailed.single("team not found", resource, "team")
    return ref.id


def check_owner_in_team(conn: sa.Connection, values: dict[str, Any], resource: str) -> None:
    """A record with both an owner and a team needs the owner to be a member of the team."""
    owner_id, team_id = values.get("owner_id"), values.get("team_id")
    if (
        owner_id is not None
        and team_id is not None
        and not team_store.is_team_member(conn, team_id, owner_id)
    ):
        raise ValidationFailed.single("owner is not a member of the team", resource, "owner")
