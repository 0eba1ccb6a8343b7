"""What the record pages of parties, opportunities and projects share: how each kind is written
to (its domain update and input model) and drawn, and the rows every one of them shows (tags,
custom fields, open tasks and the timeline), read in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from pillbox.store import entries, records
from pillbox.store import field_definitions as definitions
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing
from pillbox.web.forms import FieldErrors
from pillbox.web.kit import Viewer
from pillbox.web.paging import Paging
from pillbox.web.parties import account_tags
from pillbox.web.tasks import categories, open_task_ids, task_rows

LINKED = 100  # open tasks (and other linked rows) shown on a record page
MAX_DEFINITIONS = 500

# (conn, viewer, record id, timeline paging) -> the page's data; NotFound when not the account's
PageLoader = Callable[[sa.Connection, Viewer, int, Paging], Any]
# (request, viewer, page, status, errors, entered, failed form) -> the page
PageRenderer = Callable[[Request, Viewer, Any, int, FieldErrors, dict[str, Any], str], Response]


@dataclass(frozen=True)
class RecordKind:
    """One kind of record with a page: where it lives, its names in the API, how it changes."""

    path: str  # "/parties": the page is {path}/{id}
    entity: str  # "parties": the store's name, for tags and field values
    link: str  # "party": the API's name for it on a task or an entry
    resource: str  # "party": the domain's resource, which its 422s name
    input_model: type[BaseModel]
    update: Callable[[sa.Connection, Principal, int, Any], None]
    find: Callable[[sa.Connection, int, int], Any]
    load_page: PageLoader
    render_page: PageRenderer

    def url(self, record_id: int) -> str:
        return f"{self.path}/{record_id}"


@dataclass(frozen=True)
class RecordExtras:
    """Tags, custom fields, open tasks and the timeline of one record, with the page's choices."""

    tags: list[Any]
    values: list[Any]
    definitions: list[Any]
    tag_names: list[str]
    tasks: list[Any]
    timeline: list[Any]
    attachments: dict[int, list[Any]]
    timeline_paging: Paging
    categories: list[Any]


def field_definitions(conn: sa.Connection, account_id: int, entity: str) -> list[Any]:
    ids = definitions.page_ids(conn, account_id, entity, Listing(None, 0, MAX_DEFINITIONS))
    found = definitions.load(conn, account_id, entity, ids) if ids else {}
    return [found[i] for i in ids if i in found]


def in_order(loaded: dict[int, Any], ids: list[int]) -> list[Any]:
    return [loaded[i] for i in ids if i in loaded]


def load_extras(
    conn: sa.Connection, account_id: int, kind: "RecordKind", record_id: int, timeline: Paging
) -> RecordExtras:
    shown, entry_ids = timeline.trim(
        entries.record_entry_ids(
            conn, account_id, f"{kind.link}_id", record_id, timeline.offset, timeline.fetch
        )
    )
    task_ids = open_task_ids(conn, account_id, None, LINKED, **{kind.link: record_id})
    return RecordExtras(
        tags=records.load_tags(conn, kind.entity, [record_id]).get(record_id, []),
        values=records.load_field_values(conn, kind.entity, [record_id]).get(record_id, []),
        definitions=field_definitions(conn, account_id, kind.entity),
        tag_names=[tag.name for tag in account_tags(conn, account_id, kind.entity)],
        tasks=task_rows(conn, account_id, task_ids),
        timeline=in_order(entries.load(conn, account_id, entry_ids), entry_ids)
        if entry_ids
        else [],
        attachments=entries.load_attachments(conn, entry_ids) if entry_ids else {},
        timeline_paging=shown,
        categories=categories(conn, account_id),
    )
