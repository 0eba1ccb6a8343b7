"""A project (Capsule's "kase") as Capsule shows it."""

from typing import Any

import sqlalchemy as sa

from pillbox.domain import kases as domain
from pillbox.store import kases as store
from pillbox.store.accounts import Principal
from pillbox.wire.extras import add_record_extras
from pillbox.wire.nested import nested_party, nested_team, nested_user
from pillbox.wire.render import found_rows


def to_wire(row: Any) -> dict[str, Any]:
    """A project as Capsule sends it, key for key in the recorded order."""
    owner = None
    if row.owner_id is not None:
        owner = nested_user(row.owner_id, row.owner_username, row.owner_name, row.owner_deleted)
    opportunity = None
    if row.opportunity_id is not None:
        opportunity = {"id": row.opportunity_id, "name": row.opportunity_name}
    stage = {"name": row.stage_name, "id": row.stage_id} if row.stage_id is not None else None
    return {
        "id": row.id,
        "owner": owner,
        "team": nested_team(row.team_id, row.team_name) if row.team_id is not None else None,
        "party": nested_party(
            row.party_id, row.party_type, row.party_first_name, row.party_last_name, row.party_name
        ),
        "status": row.status,
        "opportunity": opportunity,
        "stage": stage,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
        "description": row.description,
        "name": row.name,
        "closedOn": row.closed_on,
        "lastContactedAt": row.last_contacted_at,
        "expectedCloseOn": row.expected_close_on,
        "startOn": row.start_on,
    }


def render(
    conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    """Projects with the shared embeds; the full party and opportunity come from `renderers`."""
    items = [to_wire(row) for row in found_rows(store.load, conn, who, ids)]
    add_record_extras(conn, who.account_id, domain.ENTITY, items, embeds)
    return items
