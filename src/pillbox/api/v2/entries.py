"""/api/v2/entries: notes, emails and completed tasks, by date or per record."""

import sqlalchemy as sa

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.api.v2.per_record import per_record_lists
from pillbox.domain import entries as domain
from pillbox.store import entries as store
from pillbox.store.listing import Listing
from pillbox.wire import renderers

EMBEDS = frozenset({"party", "kase", "opportunity", "creator", "activityType"})


def _page_ids(conn: sa.Connection, account_id: int, listing: Listing) -> list[int]:
    return store.page_ids(conn, account_id, listing.offset, listing.limit)


ENTRIES = Resource(
    singular="entry",
    plural="entries",
    embeds=EMBEDS,
    render=renderers.ENTRY,
    page_ids=_page_ids,
    wire_schema=schemas.ENTRY,
    input_model=domain.EntryInput,
    create=domain.create_entry,
    update=domain.update_entry,
    delete=domain.delete_entry,
    since=False,
    deleted_feed=False,
    many_ids=False,
    newest_first=True,
)

ENDPOINTS = [
    *resource_endpoints(ENTRIES),
    *per_record_lists(
        ENTRIES, store.record_entry_ids, "List the entries of one of the {entity}, newest first"
    ),
]
