"""Resource declarations and the endpoints generated from them.

Handlers here are the only place that ties HTTP to the domain: parse parameters and the body,
call the declared domain/store functions inside one transaction, shape the envelope.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.database import Database
from pillbox.api.kit import params
from pillbox.domain.base import InputModel
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing
from pillbox.wire.render import Render

# (conn, account_id, listing) -> ids of one page
PageIds = Callable[[sa.Connection, int, Listing], list[int]]
# (conn, principal, filter body, offset, limit) -> ids of one page of the records it selects
FilterIds = Callable[[sa.Connection, Principal, Any, int, int], list[int]]
# (conn, account_id, terms, offset, limit) -> ids of one page of matches
SearchIds = Callable[[sa.Connection, int, list[str], int, int], list[int]]
Handler = Callable[[Request], Awaitable[Response]]
# (conn, account_id, offset, limit) -> the ids of one page
Fetch = Callable[[sa.Connection, int, int, int], list[int]]
# (conn, principal, parent id, offset, limit) -> the ids of one page of what the parent selects
ParentIds = Callable[[sa.Connection, Principal, int, int, int], list[int]]
# (conn, principal, record id) -> the id of the record to answer with
Action = Callable[[sa.Connection, Principal, int], int]
# (conn, principal, record id, other record id) -> None
Link = Callable[[sa.Connection, Principal, int, int], None]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity
class Resource:
    """Everything the kit needs to serve one resource; an operation left as None is not served.

    Record types (parties, opportunities, kases) keep the defaults: `since`, a deleted feed and
    several ids per show. Account settings (tags, teams, …) turn those off.
    """

    singular: str  # envelope key and 422 `resource`: "party"
    plural: str  # list key: "parties"
    embeds: frozenset[str]
    render: Render
    page_ids: PageIds | None  # None: no list of its own (tracks are listed per record only)
    wire_schema: dict[str, Any]
    input_model: type[InputModel] | None = None
    create: Callable[[sa.Connection, Principal, Any], int] | None = None
    update: Callable[[sa.Connection, Principal, int, Any], None] | None = None
    # Returns the id of the job that finishes the deletion later (202), or None when done (204).
    delete: Callable[[sa.Connection, Principal, int], str | None] | None = None
    search_ids: SearchIds | None = None
    # POST {path}/filters/results: the records a {"filter": …} body selects (filter_model)
    filter_ids: FilterIds | None = None
    filter_model: type[InputModel] | None = None
    route: str | None = None  # collection path when it is not "/{plural}": "/parties/tags"
    name: str | None = None  # operation-id stem when plural is not unique: "party_tags"
    since: bool = True
    deleted_feed: bool = True
    deleted_since_required: bool = True  # Capsule requires `since` on /parties/deleted only
    many_ids: bool = True  # show takes up to 10 comma-separated ids
    signed_ids: bool = False  # built-in records with negative ids (activity types)
    deletes_later: bool = False  # delete always answers 202 + a job
    delete_archives: bool = False  # delete only takes it out of lists; still shown by id
    list_flags: tuple[str, ...] = ()  # boolean list parameters, passed on in Listing.flags
    list_by_name: bool = False  # the list takes `q`, a part of the name (Listing.name)
    # Parameters taking one of a few values: (("status", ("OPEN", "CLOSED")),) -> Listing.choices
    list_choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Parameters of their own kind (id lists, dates, subsets) -> Listing.params
    list_params: tuple[params.ListParam, ...] = ()
    max_per_page: int = 100
    newest_first: bool = False  # lists are in id order, or (entries) newest first

    @property
    def path(self) -> str:
        return self.route or f"/{self.plural}"

    @property
    def key(self) -> str:
        return self.name or self.plural


@dataclass(frozen=True)
class SubList:
    """A paged list of `resource` records that belong to one parent record."""

    path: str  # e.g. "/parties/{id}/people"
    summary: str
    resource: Resource
    parent_exists: Callable[[sa.Connection, int, int], bool]  # (conn, account_id, parent id)
    page_ids: Callable[
        [sa.Connection, int, int, int, int], list[int]
    ]  # (…, parent id, offset, limit)


@dataclass(frozen=True)
class Endpoint:
    """One route and its OpenAPI operation, from one declaration."""

    method: str
    path: str
    handler: Handler
    summary: str
    operation_id: str
    query: tuple[str, ...] = ()  # names from docs.declarations.QUERY_PARAMETERS
    path_param: str | None = None  # "id" (integer), "ids" (id list), or a string param name
    extra_path_params: tuple[str, ...] = ()  # further integer ids in the path: ("partyId",)
    request_root: str | None = None
    request_model: type[InputModel] | None = None  # when it is not the resource's input model
    responses: dict[int, Any] = field(
        default_factory=dict
    )  # status -> (envelope key, schema), several such (either one), or None
    resource: Resource | None = None
    description: str | None = None  # more than the summary, for the OpenAPI document
    extension: bool = False  # Pillbox's own, not in Capsule's API (marked so in the document)

    def as_extension(self, description: str) -> "Endpoint":
        """The same endpoint, marked as Pillbox's own (not Capsule's) in the document."""
        return replace(self, extension=True, description=description)

    @property
    def body_model(self) -> type[InputModel] | None:
        if self.request_model is not None:
            return self.request_model
        return self.resource.input_model if self.resource else None


def principal_of(request: Request) -> Principal:
    principal: Principal = request.scope["state"]["principal"]
    return principal


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db
