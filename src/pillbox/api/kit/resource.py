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

from pillbox.api.kit import params
from pillbox.api.kit.body import read_envelope
from pillbox.api.kit.db import Database
from pillbox.api.kit.paging import base_url, page_response
from pillbox.api.kit.responses import accepted, json_response, no_content
from pillbox.api.paths import V2_PREFIX
from pillbox.domain.base import InputModel
from pillbox.errors import NotFound
from pillbox.store import records
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


def _show_ids(
    conn: sa.Connection, resource: Resource, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    found = resource.render(conn, who, ids, embeds)
    if len(found) != len(ids):
        raise NotFound()  # one unknown id (or another account's) makes the whole request a 404
    return found


# (conn, account_id, offset, limit) -> the ids of one page
Fetch = Callable[[sa.Connection, int, int, int], list[int]]


async def _page(request: Request, resource: Resource, fetch: Fetch) -> Response:
    """A list envelope of the `resource` records whose ids `fetch` pages through."""
    paging = params.paging(request.query_params, resource.singular, resource.max_per_page)
    embeds = params.embeds(request.query_params, resource.embeds)
    who = principal_of(request)

    def run(conn: sa.Connection) -> tuple[list[dict[str, Any]], bool]:
        # One id more than the page holds tells whether another page follows.
        ids = fetch(conn, who.account_id, paging.offset, paging.per_page + 1)
        items = resource.render(conn, who, ids[: paging.per_page], embeds)
        return items, len(ids) > paging.per_page

    items, more = await database(request).read(run)
    return page_response(request, resource.plural, items, paging, more)


def list_handler(resource: Resource) -> Handler:
    page_ids = resource.page_ids
    assert page_ids is not None

    async def handle(request: Request) -> Response:
        query = request.query_params
        since = params.since(query, resource.singular) if resource.since else None
        flags = {name: params.flag(query, name, resource.singular) for name in resource.list_flags}
        name = (query.get("q") or "").replace("\x00", "").strip() or None
        name = name if resource.list_by_name else None
        choices = {
            key: params.choice(query, key, allowed, resource.singular)
            for key, allowed in resource.list_choices
        }
        own = {p.name: p.parse(query, resource.singular) for p in resource.list_params}
        return await _page(
            request,
            resource,
            lambda conn, account_id, offset, limit: page_ids(
                conn, account_id, Listing(since, offset, limit, flags, name, choices, own)
            ),
        )

    return handle


def search_handler(resource: Resource) -> Handler:
    search_ids = resource.search_ids
    assert search_ids is not None

    async def handle(request: Request) -> Response:
        terms = params.search_terms(request.query_params)
        return await _page(
            request,
            resource,
            lambda conn, account_id, offset, limit: search_ids(
                conn, account_id, terms, offset, limit
            ),
        )

    return handle


def filter_handler(resource: Resource) -> Handler:
    filter_ids, model = resource.filter_ids, resource.filter_model
    assert filter_ids is not None and model is not None

    async def handle(request: Request) -> Response:
        data = await read_envelope(request, "filter", model, "filter")
        who = principal_of(request)
        return await _page(
            request,
            resource,
            lambda conn, _account_id, offset, limit: filter_ids(conn, who, data, offset, limit),
        )

    return handle


def sub_list_handler(sub: SubList) -> Handler:
    async def handle(request: Request) -> Response:
        parent_id = params.record_id(request.path_params["id"])

        def fetch(conn: sa.Connection, account_id: int, offset: int, limit: int) -> list[int]:
            if not sub.parent_exists(conn, account_id, parent_id):
                raise NotFound()
            return sub.page_ids(conn, account_id, parent_id, offset, limit)

        return await _page(request, sub.resource, fetch)

    return handle


# (conn, principal, parent id, offset, limit) -> the ids of one page of what the parent selects
ParentIds = Callable[[sa.Connection, Principal, int, int, int], list[int]]


def selected_handler(resource: Resource, fetch: ParentIds) -> Handler:
    """A page of the `resource` records one record selects for its caller (a saved filter)."""

    async def handle(request: Request) -> Response:
        parent_id = params.record_id(request.path_params["id"])
        who = principal_of(request)
        return await _page(
            request,
            resource,
            lambda conn, _account_id, offset, limit: fetch(conn, who, parent_id, offset, limit),
        )

    return handle


def deleted_handler(resource: Resource) -> Handler:
    async def handle(request: Request) -> Response:
        paging = params.paging(request.query_params, resource.singular, resource.max_per_page)
        required = resource.deleted_since_required
        since = params.since(request.query_params, resource.singular, required=required)
        account_id = principal_of(request).account_id

        def run(conn: sa.Connection) -> list[Any]:
            return records.deleted_page(
                conn, account_id, resource.plural, since, paging.offset, paging.per_page + 1
            )

        rows = await database(request).read(run)
        items = [{"id": row.id, "deletedAt": row.deleted_at} for row in rows[: paging.per_page]]
        return page_response(request, resource.plural, items, paging, len(rows) > paging.per_page)

    return handle


def show_handler(resource: Resource) -> Handler:
    async def handle(request: Request) -> Response:
        raw = request.path_params.get("ids") or request.path_params["id"]
        ids = params.record_ids(raw, resource.singular, resource.many_ids, resource.signed_ids)
        embeds = params.embeds(request.query_params, resource.embeds)
        items = await database(request).read(
            _show_ids, resource, principal_of(request), ids, embeds
        )
        if "," in raw:
            return json_response({resource.plural: items})
        return json_response({resource.singular: items[0]})

    return handle


def create_handler(resource: Resource) -> Handler:
    create, model = resource.create, resource.input_model
    assert create is not None and model is not None

    async def handle(request: Request) -> Response:
        data = await read_envelope(
            request, resource.singular, model, resource.singular, resource.wire_schema
        )
        who = principal_of(request)
        embeds = params.embeds(request.query_params, resource.embeds)

        def run(conn: sa.Connection) -> dict[str, Any]:
            new_id = create(conn, who, data)
            return _show_ids(conn, resource, who, [new_id], embeds)[0]

        item = await database(request).write(run)
        location = f"{base_url(request)}{V2_PREFIX}{resource.path}/{item['id']}"
        return json_response({resource.singular: item}, 201, {"Location": location})

    return handle


def update_handler(resource: Resource) -> Handler:
    update, model = resource.update, resource.input_model
    assert update is not None and model is not None

    async def handle(request: Request) -> Response:
        record_id = params.record_id(request.path_params["id"], resource.signed_ids)
        data = await read_envelope(
            request, resource.singular, model, resource.singular, resource.wire_schema
        )
        who = principal_of(request)
        embeds = params.embeds(request.query_params, resource.embeds)

        def run(conn: sa.Connection) -> dict[str, Any]:
            update(conn, who, record_id, data)
            return _show_ids(conn, resource, who, [record_id], embeds)[0]

        item = await database(request).write(run)
        return json_response({resource.singular: item})

    return handle


def delete_handler(resource: Resource) -> Handler:
    delete = resource.delete
    assert delete is not None

    async def handle(request: Request) -> Response:
        record_id = params.record_id(request.path_params["id"], resource.signed_ids)
        job_id = await database(request).write(delete, principal_of(request), record_id)
        if job_id is None:
            return no_content()
        request.app.state.wake_worker()
        return accepted(f"{base_url(request)}{V2_PREFIX}/jobs/{job_id}")

    return handle


def paged_list_handler(resource: Resource, fetch: Fetch) -> Handler:
    """A list of `resource` records other than its own list (e.g. /milestones/all)."""

    async def handle(request: Request) -> Response:
        return await _page(request, resource, fetch)

    return handle


# (conn, principal, record id) -> the id of the record to answer with
Action = Callable[[sa.Connection, Principal, int], int]


def action_handler(resource: Resource, action: Action, status: int) -> Handler:
    """POST /{path}/{id}/verb without a body, answered with the record the action leaves."""

    async def handle(request: Request) -> Response:
        record_id = params.record_id(request.path_params["id"])
        who = principal_of(request)
        embeds = params.embeds(request.query_params, resource.embeds)

        def run(conn: sa.Connection) -> dict[str, Any]:
            result_id = action(conn, who, record_id)
            return _show_ids(conn, resource, who, [result_id], embeds)[0]

        item = await database(request).write(run)
        if status == 201:
            location = f"{base_url(request)}{V2_PREFIX}{resource.path}/{item['id']}"
            return json_response({resource.singular: item}, 201, {"Location": location})
        return json_response({resource.singular: item}, status)

    return handle


# (conn, principal, record id, other record id) -> None
Link = Callable[[sa.Connection, Principal, int, int], None]


def link_handler(link: Link, other: str) -> Handler:
    """Links or unlinks two records (`/{id}/parties/{partyId}`); 204 with no body."""

    async def handle(request: Request) -> Response:
        record_id = params.record_id(request.path_params["id"])
        other_id = params.record_id(request.path_params[other])
        await database(request).write(link, principal_of(request), record_id, other_id)
        return no_content()

    return handle
