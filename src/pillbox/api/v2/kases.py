"""/api/v2/kases: projects (Capsule kept the old name "kase" in URLs and bodies)."""

from pillbox.api.kit import Resource, SubList, resource_endpoints, sub_list_endpoint
from pillbox.api.v2 import parties
from pillbox.api.v2.schemas import (
    INTEGER,
    NAMED,
    NESTED_PARTY,
    NESTED_TEAM,
    NESTED_USER,
    STRING,
    nullable,
    record,
)
from pillbox.domain import filters
from pillbox.domain import kases as domain
from pillbox.store import additional_parties
from pillbox.store import kases as store
from pillbox.store import opportunities as opportunity_store
from pillbox.store import parties as party_store
from pillbox.wire import renderers

KASE_SCHEMA = record(
    {
        "id": INTEGER,
        "owner": {"oneOf": [NESTED_USER, {"type": "null"}]},
        "team": {"oneOf": [NESTED_TEAM, {"type": "null"}]},
        "party": NESTED_PARTY,
        "status": {"enum": ["OPEN", "CLOSED"]},
        "opportunity": {"type": ["object", "null"]},
        "stage": {"oneOf": [NAMED, {"type": "null"}]},
        "createdAt": STRING,
        "updatedAt": STRING,
        "description": nullable("string"),
        "name": STRING,
        "closedOn": nullable("string"),
        "lastContactedAt": nullable("string"),
        "expectedCloseOn": nullable("string"),
        "startOn": nullable("string"),
    }
)


KASES = Resource(
    singular="kase",
    plural="kases",
    embeds=frozenset({"tags", "fields", "party", "opportunity", "missingImportantFields"}),
    render=renderers.KASE,
    page_ids=store.page_ids,
    search_ids=store.RECORDS.search_ids,
    filter_ids=filters.for_entity("kases"),
    filter_model=filters.FilterInput,
    wire_schema=KASE_SCHEMA,
    input_model=domain.KaseInput,
    create=domain.create_kase,
    update=domain.update_kase,
    delete=domain.delete_kase,
    deleted_since_required=False,
    list_choices=(("status", ("OPEN", "CLOSED")),),
)


PARTY_KASES = SubList(
    path="/parties/{id}/kases",
    summary="List the projects of a party (as their main party)",
    resource=KASES,
    parent_exists=party_store.SCOPED.exists,
    page_ids=store.party_kase_ids,
)
OPPORTUNITY_KASES = SubList(
    path="/opportunities/{id}/kases",
    summary="List the projects linked to an opportunity",
    resource=KASES,
    parent_exists=opportunity_store.SCOPED.exists,
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
        store.SCOPED.exists,
        domain.add_party,
        domain.remove_party,
    ),
]
