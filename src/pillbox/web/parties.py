"""/parties: people and organisations, paged as the API pages them, found with the API's ranked
search, filtered by tag and by type."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.store import parties as store
from pillbox.store import ranked, records, search
from pillbox.store import tags as tag_store
from pillbox.web.kit import Viewer, database, render, screen
from pillbox.web.paging import Paging, paging

ENTITY = "parties"
MAX_TAGS = 1000  # the tag filter's choices


@dataclass(frozen=True)
class PartyList:
    paging: Paging
    parties: list[Any]
    children: dict[str, dict[int, list[dict[str, Any]]]]
    tags: dict[int, list[Any]]
    tag_names: list[str]


def account_tags(conn: sa.Connection, account_id: int, entity: str) -> list[Any]:
    ids = tag_store.page_ids(conn, account_id, entity, 0, MAX_TAGS)
    found = tag_store.load(conn, account_id, entity, ids) if ids else {}
    return sorted((found[i] for i in ids if i in found), key=lambda tag: tag.name.lower())


def _criteria(request: Request) -> store.PartyCriteria:
    query = request.query_params
    kind = query.get("type")
    return store.PartyCriteria(
        tag=(query.get("tag") or "").strip() or None,
        type=kind if kind in ("person", "organisation") else None,
    )


def _load(conn: sa.Connection, viewer: Viewer, request: Request) -> PartyList:
    page = paging(request, ("q", "tag", "type"))
    terms = (request.query_params.get("q") or "").replace("\x00", "").split()
    found = ranked.ranked_ids(
        conn,
        viewer.account_id,
        search.PARTIES,
        terms,
        _criteria(request),
        store.matching_ids,
        page.offset,
        page.fetch,
    )
    shown, ids = page.trim(found)
    rows = store.load(conn, viewer.account_id, ids) if ids else {}
    return PartyList(
        paging=shown,
        parties=[rows[i] for i in ids if i in rows],
        children=store.load_children(conn, ids) if ids else {},
        tags=records.load_tags(conn, ENTITY, ids) if ids else {},
        tag_names=[tag.name for tag in account_tags(conn, viewer.account_id, ENTITY)],
    )


async def list_parties(request: Request, viewer: Viewer) -> Response:
    found = await database(request).read(_load, viewer, request)
    query = request.query_params
    return render(
        request,
        "parties.html",
        viewer,
        found=found,
        q=query.get("q", ""),
        tag=query.get("tag", ""),
        kind=query.get("type", ""),
    )


ROUTES = [Route("/parties", screen(list_parties), methods=["GET"])]
