"""An opportunity as Capsule shows it."""

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from pillbox.domain import opportunities as domain
from pillbox.store import opportunities as store
from pillbox.store.accounts import Principal
from pillbox.wire.extras import add_record_extras
from pillbox.wire.nested import nested_party, nested_team, nested_user
from pillbox.wire.render import found_rows


def _amount(text: str) -> int | float:
    """The stored decimal as a JSON number: 500, or 1250.5."""
    amount = Decimal(text)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def to_wire(row: Any) -> dict[str, Any]:
    """An opportunity in the key order of Capsule's reference, newer properties last."""
    owner = None
    if row.owner_id is not None:
        owner = nested_user(row.owner_id, row.owner_username, row.owner_name, row.owner_deleted)
    value = None
    if row.value_amount is not None:
        value = {"amount": _amount(row.value_amount), "currency": row.value_currency}
    return {
        "id": row.id,
        "updatedAt": row.updated_at,
        "description": row.description,
        "owner": owner,
        "party": nested_party(
            row.party_id, row.party_type, row.party_first_name, row.party_last_name, row.party_name
        ),
        "lostReason": {"id": row.lost_reason_id, "name": row.lost_reason_name}
        if row.lost_reason_id is not None
        else None,
        "milestone": {"id": row.milestone_id, "name": row.milestone_name},
        "value": value,
        "expectedCloseOn": row.expected_close_on,
        "probability": row.probability,
        "durationBasis": row.duration_basis,
        "duration": row.duration,
        "closedOn": row.closed_on,
        "createdAt": row.created_at,
        "name": row.name,
        "team": nested_team(row.team_id, row.team_name) if row.team_id is not None else None,
        "lastContactedAt": row.last_contacted_at,
        "lastStageChangedAt": row.last_stage_changed_at,
        "lastOpenMilestone": {
            "id": row.last_open_milestone_id,
            "name": row.last_open_milestone_name,
        }
        if row.last_open_milestone_id is not None
        else None,
    }


def render(
    conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    """Opportunities with the shared embeds; the full party and milestone come from `renderers`."""
    items = [to_wire(row) for row in found_rows(store.load, conn, who, ids)]
    add_record_extras(conn, who.account_id, domain.ENTITY, items, embeds)
    return items
