"""The handlers the kit makes of a Resource declaration: parse the request, run the declared
domain and store functions in one transaction, answer with the envelope."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from pillbox.api.kit import params
from pillbox.api.kit.body import read_envelope
from pillbox.api.kit.paging import base_url, page_response
from pillbox.api.kit.resource import (
    Action,
    Fetch,
    Handler,
    Link,
    ParentIds,
    Resource,
    SubList,
    database,
    principal_of,
)
from pillbox.api.kit.responses import accepted, json_response, no_content
from pillbox.api.paths import V2_PREFIX
from pillbox.errors import NotFound
from pillbox.store import records
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing


def _show_ids(
    conn: sa.Connection, resource: Resource, who: Principal, ids: list[int], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    found = resource.render(conn, who, ids, embeds)
    if len(found) != len(ids):
        raise NotFound()  # one unknown id (or another account's) makes the whole request a 404
    return found


async def _write_and_show(
    request: Request, resource: Resource, act: Callable[[sa.Connection, Principal], int]
) -> dict[str, Any]:
    """Runs `act` in a write transaction and answers with the record whose id it returns, as
    a show with the request's embeds would."""
    who = principal_of(request)
    embeds = params.embeds(request.query_params, resource.embeds)

    def run(conn: sa.Connection) -> dict[str, Any]:
        return _show_ids(conn, resource, who, [act(conn, who)], embeds)[0]

    result: dict[str, Any] = await database(request).write(run)
    return result


def _created(request: Request, resource: Resource, item: dict[str, Any]) -> Response:
    location = f"{base_url(request)}{V2_PREFIX}{resource.path}/{item['id']}"
    return json_response({resource.singular: item}, 201, {"Location": location})


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
        item = await _write_and_show(request, resource, lambda conn, who: create(conn, who, data))
        return _created(request, resource, item)

    return handle


def update_handler(resource: Resource) -> Handler:
    update, model = resource.update, resource.input_model
    assert update is not None and model is not None

    async def handle(request: Request) -> Response:
        record_id = params.record_id(request.path_params["id"], resource.signed_ids)
        data = await read_envelope(
            request, resource.singular, model, resource.singular, resource.wire_schema
        )

        def act(conn: sa.Connection, who: Principal) -> int:
            update(conn, who, record_id, data)
            return record_id

        item = await _write_and_show(request, resource, act)
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


def action_handler(resource: Resource, action: Action, status: int) -> Handler:
    """POST /{path}/{id}/verb without a body, answered with the record the action leaves."""

    async def handle(request: Request) -> Response:
        record_id = params.record_id(request.path_params["id"])
        item = await _write_and_show(
            request, resource, lambda conn, who: action(conn, who, record_id)
        )
        if status == 201:
            return _created(request, resource, item)
        return json_response({resource.singular: item}, status)

    return handle


def link_handler(link: Link, other: str) -> Handler:
    """Links or unlinks two records (`/{id}/parties/{partyId}`); 204 with no body."""

    async def handle(request: Request) -> Response:
        record_id = params.record_id(request.path_params["id"])
        other_id = params.record_id(request.path_params[other])
        await database(request).write(link, principal_of(request), record_id, other_id)
        return no_content()

    return handle
