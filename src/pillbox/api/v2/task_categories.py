"""/api/v2/categories: task categories."""

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.domain import task_categories as domain
from pillbox.store import task_categories as store
from pillbox.store.listing import Listing
from pillbox.wire import task_categories as wire


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, listing.offset, listing.limit)


CATEGORIES = Resource(
    singular="category",
    plural="categories",
    embeds=frozenset(),
    render=wire.render,
    page_ids=_page_ids,
    wire_schema=schemas.CATEGORY,
    input_model=domain.CategoryInput,
    create=domain.create_category,
    update=domain.update_category,
    delete=domain.delete_category,
    since=False,
    deleted_feed=False,
    many_ids=False,
)

ENDPOINTS = resource_endpoints(CATEGORIES)
