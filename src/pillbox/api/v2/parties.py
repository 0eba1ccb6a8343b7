"""/api/v2/parties: people and organisations."""

from collections.abc import Callable

import sqlalchemy as sa

from pillbox.api.kit import (
    Endpoint,
    Resource,
    SubList,
    link_endpoint,
    resource_endpoints,
    sub_list_endpoint,
)
from pillbox.api.kit.resource import Link
from pillbox.api.v2.schemas import (
    INTEGER,
    NESTED_TEAM,
    NESTED_USER,
    STRING,
    nullable,
    obj,
    record,
)
from pillbox.domain import filters
from pillbox.domain import parties as domain
from pillbox.store import parties as store
from pillbox.store import search
from pillbox.store.additional_parties import PartyLinks
from pillbox.wire import renderers

NESTED_ORGANISATION_SCHEMA = obj(
    {
        "id": INTEGER,
        "type": {"const": "organisation"},
        "name": nullable("string"),
        "pictureURL": STRING,
    }
)
_TYPED = {"id": INTEGER, "type": nullable("string")}
ADDRESS_SCHEMA = obj(
    {**_TYPED, **{k: nullable("string") for k in ("city", "country", "street", "state", "zip")}}
)
PHONE_NUMBER_SCHEMA = obj({**_TYPED, "number": STRING})
WEBSITE_SCHEMA = obj({**_TYPED, "address": STRING, "service": STRING, "url": STRING})
EMAIL_ADDRESS_SCHEMA = obj({**_TYPED, "address": STRING})
_COMMON = {
    "id": INTEGER,
    "owner": {"oneOf": [NESTED_USER, {"type": "null"}]},
    "team": {"oneOf": [NESTED_TEAM, {"type": "null"}]},
    "about": nullable("string"),
    "createdAt": STRING,
    "updatedAt": STRING,
    "lastContactedAt": nullable("string"),
    "pictureURL": STRING,
    "enrichment": {"type": "null"},
    "phoneNumbers": {"type": "array", "items": PHONE_NUMBER_SCHEMA},
    "addresses": {"type": "array", "items": ADDRESS_SCHEMA},
    "emailAddresses": {"type": "array", "items": EMAIL_ADDRESS_SCHEMA},
    "websites": {"type": "array", "items": WEBSITE_SCHEMA},
}
ORGANISATION_SCHEMA = record({**_COMMON, "type": {"const": "organisation"}, "name": STRING})
PERSON_SCHEMA = record(
    {
        **_COMMON,
        "type": {"const": "person"},
        "firstName": nullable("string"),
        "lastName": nullable("string"),
        "jobTitle": nullable("string"),
        "title": nullable("string"),
        "organisation": {
            "oneOf": [NESTED_ORGANISATION_SCHEMA, ORGANISATION_SCHEMA, {"type": "null"}]
        },
    },
)
PARTY_SCHEMA = {"oneOf": [PERSON_SCHEMA, ORGANISATION_SCHEMA]}

PARTIES = Resource(
    singular="party",
    plural="parties",
    embeds=frozenset({"tags", "fields", "organisation", "missingImportantFields"}),
    render=renderers.PARTY,
    page_ids=store.page_ids,
    search_ids=search.search_ids,
    filter_ids=filters.for_entity("parties"),
    filter_model=filters.FilterInput,
    input_model=domain.PartyInput,
    create=domain.create_party,
    update=domain.update_party,
    delete=domain.delete_party,
    wire_schema=PARTY_SCHEMA,
)

PEOPLE = SubList(
    path="/parties/{id}/people",
    summary="List the people of an organisation",
    resource=PARTIES,
    parent_exists=store.SCOPED.exists,
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
