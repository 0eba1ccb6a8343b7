"""/api/v2/opportunities: potential sales on a pipeline, and their additional parties."""

from pillbox.api.kit import (
    Resource,
    SubList,
    resource_endpoints,
    sub_list_endpoint,
)
from pillbox.api.v2 import parties
from pillbox.api.v2.schemas import (
    INTEGER,
    NAMED,
    NESTED_PARTY,
    NESTED_TEAM,
    NESTED_USER,
    STRING,
    nullable,
    obj,
    record,
)
from pillbox.domain import filters
from pillbox.domain import opportunities as domain
from pillbox.store import additional_parties
from pillbox.store import opportunities as store
from pillbox.store import parties as party_store
from pillbox.wire import renderers

OPPORTUNITY_SCHEMA = record(
    {
        "id": INTEGER,
        "updatedAt": STRING,
        "description": nullable("string"),
        "owner": {"oneOf": [NESTED_USER, {"type": "null"}]},
        "party": NESTED_PARTY,
        "lostReason": {"oneOf": [NAMED, {"type": "null"}]},
        "milestone": {"type": "object", "required": ["id", "name"]},
        "value": {
            "oneOf": [
                obj({"amount": {"type": "number"}, "currency": STRING}),
                {"type": "null"},
            ]
        },
        "expectedCloseOn": nullable("string"),
        "probability": INTEGER,
        "durationBasis": {"enum": ["FIXED", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"]},
        "duration": nullable("integer"),
        "closedOn": nullable("string"),
        "createdAt": STRING,
        "name": STRING,
        "team": {"oneOf": [NESTED_TEAM, {"type": "null"}]},
        "lastContactedAt": nullable("string"),
        "lastStageChangedAt": nullable("string"),
        "lastOpenMilestone": {"oneOf": [NAMED, {"type": "null"}]},
    }
)


OPPORTUNITIES = Resource(
    singular="opportunity",
    plural="opportunities",
    embeds=frozenset({"tags", "fields", "party", "milestone", "missingImportantFields"}),
    render=renderers.OPPORTUNITY,
    page_ids=store.page_ids,
    search_ids=store.RECORDS.search_ids,
    filter_ids=filters.for_entity("opportunities"),
    filter_model=filters.FilterInput,
    wire_schema=OPPORTUNITY_SCHEMA,
    input_model=domain.OpportunityInput,
    create=domain.create_opportunity,
    update=domain.update_opportunity,
    delete=domain.delete_opportunity,
    deleted_since_required=False,
)


PARTY_OPPORTUNITIES = SubList(
    path="/parties/{id}/opportunities",
    summary="List the opportunities of a party (as their main party)",
    resource=OPPORTUNITIES,
    parent_exists=party_store.SCOPED.exists,
    page_ids=store.party_opportunity_ids,
)


ENDPOINTS = [
    *resource_endpoints(OPPORTUNITIES),
    sub_list_endpoint(PARTY_OPPORTUNITIES, "list_party_opportunities"),
    *parties.additional_party_endpoints(
        "opportunities",
        "an opportunity",
        additional_parties.OPPORTUNITIES,
        store.SCOPED.exists,
        domain.add_party,
        domain.remove_party,
    ),
]
