"""/api/v2/entries: notes, emails and completed tasks, by date or per record."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.v2.per_record import per_record_lists
from pillbox.api.v2.schemas import INTEGER, NESTED_PARTY, STRING, nullable, obj
from pillbox.domain import entries as domain
from pillbox.store import entries as store
from pillbox.wire import renderers

ENTRY_SCHEMA = obj(
    {
        "id": INTEGER,
        "type": {"enum": ["note", "email", "task"]},
        "attachments": {
            "type": "array",
            "items": obj(
                {"id": INTEGER, "filename": STRING, "contentType": STRING, "size": INTEGER}
            ),
        },
        "parties": {"type": "array", "items": NESTED_PARTY},
        "creator": {"type": ["object", "null"]},
        "activityType": {"type": "object", "required": ["id", "name"]},
        "subject": nullable("string"),
        "createdAt": STRING,
        "updatedAt": STRING,
        "content": nullable("string"),
        "entryAt": STRING,
        "participants": {"type": "array"},
        "party": {"type": "object"},
        "opportunity": {"type": "object"},
        "kase": {"type": "object"},
    },
    required=["id", "type", "creator", "activityType", "createdAt", "updatedAt", "entryAt"],
)

EMBEDS = frozenset({"party", "kase", "opportunity", "creator", "activityType"})


ENTRIES = Resource(
    singular="entry",
    plural="entries",
    embeds=EMBEDS,
    render=renderers.ENTRY,
    page_ids=store.page_ids,
    wire_schema=ENTRY_SCHEMA,
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
