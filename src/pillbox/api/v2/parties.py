"""/api/v2/parties: people and organisations."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from pillbox.api.kit import (
    Endpoint,
    Resource,
    SubList,
    link_endpoint,
    resource_endpoints,
    sub_list_endpoint,
)
from pillbox.api.kit.extras import add_record_extras
from pillbox.api.kit.resource import Link
from pillbox.api.v2 import schemas
from pillbox.api.v2.nested import (
    ORGANISATION_PICTURE_URL,
    PERSON_PICTURE_URL,
    nested_team,
    nested_user,
)
from pillbox.domain import filters
from pillbox.domain import parties as domain
from pillbox.store import parties as store
from pillbox.store import search
from pillbox.store.accounts import Principal
from pillbox.store.additional_parties import PartyLinks


def to_wire(row: Any, children: dict[str, dict[int, list[dict[str, Any]]]]) -> dict[str, Any]:
    """A party as Capsule sends it, key for key in Capsule's order."""
    party_id = row.id
    owner = None
    if row.owner_id is not None:
        owner = nested_user(row.owner_id, row.owner_username, row.owner_name, row.owner_deleted)
    team = nested_team(row.team_id, row.team_name) if row.team_id is not None else None
    wire: dict[str, Any] = {
        "id": party_id,
        "owner": owner,
        "team": team,
        "type": row.type,
        "about": row.about,
    }
    if row.type == "person":
        organisation = None
        if row.organisation_id is not None:
            organisation = {
                "id": row.organisation_id,
                "type": "organisation",
                "name": row.organisation_name,
                "pictureURL": ORGANISATION_PICTURE_URL,
            }
        wire.update(
            firstName=row.first_name,
            lastName=row.last_name,
            jobTitle=row.job_title,
            createdAt=row.created_at,
            updatedAt=row.updated_at,
            organisation=organisation,
            lastContactedAt=row.last_contacted_at,
            pictureURL=PERSON_PICTURE_URL,
            title=row.title,
        )
    else:
        wire.update(
            name=row.name,
            createdAt=row.created_at,
            updatedAt=row.updated_at,
            lastContactedAt=row.last_contacted_at,
            pictureURL=ORGANISATION_PICTURE_URL,
        )
    wire["enrichment"] = None
    for kind in ("phoneNumbers", "addresses", "emailAddresses", "websites"):
        wire[kind] = children[kind].get(party_id, [])
    return wire


def render(
    conn: sa.Connection, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = store.load(conn, who.account_id, ids)
    found = [rows[i] for i in ids if i in rows]
    organisation_ids = [row.organisation_id for row in found if row.organisation_id is not None]
    if "organisation" in embeds and organisation_ids:
        # The full organisations, loaded as one more page (no per-row queries).
        organisation_rows = store.load(conn, who.account_id, organisation_ids)
        found_ids = [row.id for row in found] + [i for i in organisation_rows if i not in rows]
        rows.update(organisation_rows)
    else:
        found_ids = [row.id for row in found]
    children = store.load_children(conn, found_ids)
    wires = {i: to_wire(rows[i], children) for i in found_ids}
    if "organisation" in embeds:
        for row in found:
            if row.organisation_id is not None:
                wires[row.id]["organisation"] = wires[row.organisation_id]
    items = [wires[row.id] for row in found]
    kinds = {row.id: row.type for row in found}
    add_record_extras(conn, who.account_id, domain.ENTITY, items, embeds, kinds)
    return items


def _organisation_exists(conn: sa.Connection, account_id: int, party_id: int) -> bool:
    return store.find(conn, account_id, party_id) is not None


PARTIES = Resource(
    singular="party",
    plural="parties",
    embeds=frozenset({"tags", "fields", "organisation", "missingImportantFields"}),
    render=render,
    page_ids=store.page_ids,
    search_ids=search.search_ids,
    filter_ids=filters.for_entity("parties"),
    filter_model=filters.FilterInput,
    input_model=domain.PartyInput,
    create=domain.create_party,
    update=domain.update_party,
    delete=domain.delete_party,
    wire_schema=schemas.PARTY,
)

PEOPLE = SubList(
    path="/parties/{id}/people",
    summary="List the people of an organisation",
    resource=PARTIES,
    parent_exists=_organisation_exists,
    page_ids=store.people_ids,
)

ENDPOINTS = [*resource_endpoints(PARTIES), sub_list_endpoint(PEOPLE, "list_people")]


def additional_party_endpoints(
    collection: str,
    record: str,
    links: PartyLinks,
    record_exists: Callable[[sa.Connection, int, int], bool],
    add: Link,
    remove: Link,
) -> list[Endpoint]:
    """`/{collection}/{id}/parties`: list, add (POST …/{partyId}) and remove the parties of a
    record (an opportunity, a project) besides its main one."""

    def page(
        conn: sa.Connection, _account_id: int, record_id: int, offset: int, limit: int
    ) -> list[int]:
        return links.party_ids(conn, record_id, offset, limit)

    listing = SubList(
        path=f"/{collection}/{{id}}/parties",
        summary=f"List the additional parties of {record}",
        resource=PARTIES,
        parent_exists=record_exists,
        page_ids=page,
    )
    key = links.column.removesuffix("_id")
    one = f"/{collection}/{{id}}/parties/{{partyId}}"
    return [
        sub_list_endpoint(listing, f"list_{key}_parties"),
        link_endpoint("POST", one, f"Add a party to {record}", f"add_{key}_party", add, "partyId"),
        link_endpoint(
            "DELETE", one, f"Remove a party from {record}", f"remove_{key}_party", remove, "partyId"
        ),
    ]
