"""/api/v2/{parties,opportunities,kases}/filters: saved filters, and the records each selects.

Listing, showing and running them is Capsule's API; saving them (POST, PUT, DELETE) is a
Pillbox extension, as Capsule's users save filters in its web app only.
"""

import sqlalchemy as sa

from pillbox.api.kit import Endpoint, Resource, resource_endpoints, selected_endpoint
from pillbox.api.kit.resource import PageIds
from pillbox.api.v2 import kases, opportunities, parties
from pillbox.api.v2.schemas import INTEGER, STRING
from pillbox.domain import saved_filters as domain
from pillbox.store import saved_filters as store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing
from pillbox.wire import saved_filters as wire

_ITEMS = {"type": "array", "items": {"type": "object"}}
SAVED_FILTER = {
    "type": "object",
    "properties": {
        "id": INTEGER,
        "name": STRING,
        "conditions": _ITEMS,
        "orderBy": _ITEMS,
        "createdAt": STRING,
        "updatedAt": STRING,
    },
    "required": ["id", "name", "conditions", "orderBy", "createdAt", "updatedAt"],
}
SAVING = (
    "Pillbox extension: Capsule's users save filters in its web app only. The body is a filter "
    "body (conditions, orderBy) with a name, checked as a filter is before it is saved."
)


def _marked(endpoint: Endpoint) -> Endpoint:
    """Saving (POST, PUT, DELETE) is the extension; listing, showing and running are Capsule's."""
    if endpoint.method == "GET":
        return endpoint
    return endpoint.as_extension(SAVING)


def _page_ids(entity: str) -> PageIds:
    def page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
        return store.page_ids(conn, account_id, entity, listing.offset, listing.limit)

    return page_ids


def _saved(records: Resource, kind: str) -> list[Endpoint]:
    """The saved-filter endpoints of one record type (`kind`: "party", …)."""
    entity = records.plural
    resource = Resource(
        singular="filter",
        plural="filters",
        route=f"/{entity}/filters",
        name=f"{kind}_filters",
        embeds=frozenset(),
        render=wire.renderer(entity),
        page_ids=_page_ids(entity),
        wire_schema=SAVED_FILTER,
        input_model=domain.SavedFilterInput,
        create=domain.creator(entity),
        update=domain.updater(entity),
        delete=domain.deleter(entity),
        since=False,
        deleted_feed=False,
        many_ids=False,
    )

    def results(
        conn: sa.Connection, who: Principal, filter_id: int, offset: int, limit: int
    ) -> list[int]:
        return domain.result_ids(conn, who, entity, filter_id, offset, limit)

    return [
        *(_marked(endpoint) for endpoint in resource_endpoints(resource)),
        selected_endpoint(
            f"/{entity}/filters/{{id}}/results",
            f"Run a saved filter of {entity}",
            f"run_{kind}_filter",
            records,
            results,
        ),
    ]


ENDPOINTS = [
    *_saved(parties.PARTIES, "party"),
    *_saved(opportunities.OPPORTUNITIES, "opportunity"),
    *_saved(kases.KASES, "kase"),
]
