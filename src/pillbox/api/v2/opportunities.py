"""/api/v2/opportunities: potential sales on a pipeline, and their additional parties."""

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import (
    Resource,
    SubList,
    resource_endpoints,
    sub_list_endpoint,
)
from pillbox.api.kit.extras import add_record_extras, embed_full
from pillbox.api.v2 import parties, pipelines, schemas
from pillbox.api.v2.nested import nested_party, nested_team, nested_user
from pillbox.domain import filters
from pillbox.domain import opportunities as domain
from pillbox.store import additional_parties, search
from pillbox.store import opportunities as store
from pillbox.store import parties as party_store
from pillbox.store.accounts import Principal


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
    if not ids:
        return []
    rows = store.load(conn, who.account_id, ids)
    items = [to_wire(rows[i]) for i in ids if i in rows]
    if "party" in embeds:
        embed_full(items, "party", parties.render, conn, who)
    if "milestone" in embeds:
        embed_full(items, "milestone", pipelines.render_milestones, conn, who)
    add_record_extras(conn, who.account_id, domain.ENTITY, items, embeds)
    return items


def _search_ids(
    conn: sa.Connection, account_id: int, terms: list[str], offset: int, limit: int
) -> list[int]:
    return search.search_ids(conn, account_id, terms, offset, limit, search.OPPORTUNITIES)


OPPORTUNITIES = Resource(
    singular="opportunity",
    plural="opportunities",
    embeds=frozenset({"tags", "fields", "party", "milestone", "missingImportantFields"}),
    render=render,
    page_ids=store.page_ids,
    search_ids=_search_ids,
    filter_ids=filters.for_entity("opportunities"),
    filter_model=filters.FilterInput,
    wire_schema=schemas.OPPORTUNITY,
    input_model=domain.OpportunityInput,
    create=domain.create_opportunity,
    update=domain.update_opportunity,
    delete=domain.delete_opportunity,
    deleted_since_required=False,
)


def _party_exists(conn: sa.Connection, account_id: int, party_id: int) -> bool:
    return party_store.find(conn, account_id, party_id) is not None


def _opportunity_exists(conn: sa.Connection, account_id: int, opportunity_id: int) -> bool:
    return store.find(conn, account_id, opportunity_id) is not None


PARTY_OPPORTUNITIES = SubList(
    path="/parties/{id}/opportunities",
    summary="List the opportunities of a party (as their main party)",
    resource=OPPORTUNITIES,
    parent_exists=_party_exists,
    page_ids=store.party_opportunity_ids,
)


ENDPOINTS = [
    *resource_endpoints(OPPORTUNITIES),
    sub_list_endpoint(PARTY_OPPORTUNITIES, "list_party_opportunities"),
    *parties.additional_party_endpoints(
        "opportunities",
        "an opportunity",
        additional_parties.OPPORTUNITIES,
        _opportunity_exists,
        domain.add_party,
        domain.remove_party,
    ),
]
