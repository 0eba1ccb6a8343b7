"""/api/v2/kases: projects (Capsule kept the old name "kase" in URLs and bodies)."""

from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import Resource, SubList, resource_endpoints, sub_list_endpoint
from pillbox.api.kit.extras import add_record_extras, embed_full
from pillbox.api.v2 import opportunities, parties, schemas
from pillbox.api.v2.nested import nested_party, nested_team, nested_user
from pillbox.domain import filters
from pillbox.domain import kases as domain
from pillbox.store import additional_parties, search
from pillbox.store import kases as store
from pillbox.store import opportunities as opportunity_store
from pillbox.store import parties as party_store
from pillbox.store.accounts import Principal


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
    if not ids:
        return []
    rows = store.load(conn, who.account_id, ids)
    items = [to_wire(rows[i]) for i in ids if i in rows]
    if "party" in embeds:
        embed_full(items, "party", parties.render, conn, who)
    if "opportunity" in embeds:
        embed_full(items, "opportunity", opportunities.render, conn, who)
    add_record_extras(conn, who.account_id, domain.ENTITY, items, embeds)
    return items


def _search_ids(
    conn: sa.Connection, account_id: int, terms: list[str], offset: int, limit: int
) -> list[int]:
    return search.search_ids(conn, account_id, terms, offset, limit, search.KASES)


KASES = Resource(
    singular="kase",
    plural="kases",
    embeds=frozenset({"tags", "fields", "party", "opportunity", "missingImportantFields"}),
    render=render,
    page_ids=store.page_ids,
    search_ids=_search_ids,
    filter_ids=filters.for_entity("kases"),
    filter_model=filters.FilterInput,
    wire_schema=schemas.KASE,
    input_model=domain.KaseInput,
    create=domain.create_kase,
    update=domain.update_kase,
    delete=domain.delete_kase,
    deleted_since_required=False,
    list_choices=(("status", ("OPEN", "CLOSED")),),
)


def _party_exists(conn: sa.Connection, account_id: int, party_id: int) -> bool:
    return party_store.find(conn, account_id, party_id) is not None


def _opportunity_exists(conn: sa.Connection, account_id: int, opportunity_id: int) -> bool:
    return opportunity_store.find(conn, account_id, opportunity_id) is not None


def _kase_exists(conn: sa.Connection, account_id: int, kase_id: int) -> bool:
    return store.find(conn, account_id, kase_id) is not None


PARTY_KASES = SubList(
    path="/parties/{id}/kases",
    summary="List the projects of a party (as their main party)",
    resource=KASES,
    parent_exists=_party_exists,
    page_ids=store.party_kase_ids,
)
OPPORTUNITY_KASES = SubList(
    path="/opportunities/{id}/kases",
    summary="List the projects linked to an opportunity",
    resource=KASES,
    parent_exists=_opportunity_exists,
    page_ids=store.opportunity_kase_ids,
)

ENDPOINTS = [
    *resource_endpoints(KASES),
    sub_list_endpoint(PARTY_KASES, "list_party_kases"),
    sub_list_endpoint(OPPORTUNITY_KASES, "list_opportunity_kases"),
    *parties.additional_party_endpoints(
        "kases",
        "a project",
        additional_parties.KASES,
        _kase_exists,
        domain.add_party,
        domain.remove_party,
    ),
]
