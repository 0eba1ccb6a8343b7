"""/api/v2/entries: notes, emails and completed tasks, by date or per record."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2 import schemas
from pillbox.api.v2.per_record import per_record_lists
from pillbox.domain import entries as domain
from pillbox.store import entries as store
from pillbox.wire import renderers

EMBEDS = frozenset({"party", "kase", "opportunity", "creator", "activityType"})


ENTRIES = Resource(
    singular="entry",
    plural="entries",
    embeds=EMBEDS,
    render=renderers.ENTRY,
    page_ids=store.page_ids,
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
