"""/api/v2/titles: the person titles of the account (wrapped as `personTitle(s)`)."""

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.domain import titles as domain
from pillbox.store import titles as store
from pillbox.store.listing import Listing
from pillbox.wire import titles as wire


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, listing.offset, listing.limit)


TITLES = Resource(
    singular="personTitle",
    plural="personTitles",
    route="/titles",
    name="titles",
    embeds=frozenset(),
    render=wire.render,
    page_ids=_page_ids,
    wire_schema=schemas.PERSON_TITLE,
    input_model=domain.TitleInput,
    create=domain.create_title,
    delete=domain.delete_title,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(TITLES)
