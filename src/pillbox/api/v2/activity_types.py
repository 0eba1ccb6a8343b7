"""/api/v2/activitytypes: Capsule's built-in activity types and the account's own."""

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2.schemas import BOOLEAN, INTEGER, STRING, obj
from pillbox.domain import activity_types as domain
from pillbox.store import activity_types as store
from pillbox.store.listing import Listing
from pillbox.wire import activity_types as wire

ACTIVITY_TYPE_SCHEMA = obj(
    {
        "id": INTEGER,
        "name": STRING,
        "icon": obj(
            {
                "order": INTEGER,
                "id": STRING,
                "displayName": STRING,
                "iconName": STRING,
                "isSystem": BOOLEAN,
            }
        ),
        "updateLastContacted": BOOLEAN,
    }
)


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    """The built-in types first, then the account's own, paged as one list."""
    built_in = domain.BUILT_IN_IDS[listing.offset : listing.offset + listing.limit]
    offset = max(0, listing.offset - len(domain.BUILT_IN_IDS))
    limit = listing.limit - len(built_in)
    own = store.page_ids(conn, account_id, offset, limit) if limit > 0 else []
    return built_in + own


ACTIVITY_TYPES = Resource(
    singular="activityType",
    plural="activityTypes",
    route="/activitytypes",
    name="activity_types",
    embeds=frozenset(),
    render=wire.render,
    page_ids=_page_ids,
    wire_schema=ACTIVITY_TYPE_SCHEMA,
    input_model=domain.ActivityTypeInput,
    create=domain.create_activity_type,
    update=domain.update_activity_type,
    delete=domain.delete_activity_type,
    since=False,
    deleted_feed=False,
    many_ids=False,
    signed_ids=True,
)

ENDPOINTS = resource_endpoints(ACTIVITY_TYPES)
